"""流程看板 upstream: a case reported through the provincial platform is followed there, so each
status it reaches is sent to the platform; other reporters are not bothered with it."""

from __future__ import annotations

from builders import T0, assess_and_dispatch, new_case
from fengqiao.contracts.codes import Category, Channel
from fengqiao.contracts.events import CaseUpdated
from intake.domain.board import reporter_update
from intake.domain.case import Case, CaseStatus


def from_platform() -> Case:
    case = new_case(Category.THEFT, reporter="platform")
    case.channel = Channel.PLATFORM
    case.external_ref = "YPA-2026-000123"
    return case


def test_each_new_status_of_a_platform_case_is_sent_to_the_platform() -> None:
    case = from_platform()
    assess_and_dispatch(case, now=T0)
    [notice] = reporter_update(case, was=CaseStatus.REGISTERED, at=T0)
    assert notice.recipient == "platform"
    assert isinstance(notice.data, CaseUpdated)
    assert (notice.data.status, notice.data.external_ref) == ("dispatched", "YPA-2026-000123")
    assert notice.data.status_zh == "办理中" and notice.data.case_id == case.id


def test_no_update_when_nothing_moved_or_when_another_event_tells_it() -> None:
    case = from_platform()
    assert reporter_update(case, was=CaseStatus.REGISTERED, at=T0) == []  # case.registered did
    assess_and_dispatch(case, now=T0)
    assert reporter_update(case, was=CaseStatus.DISPATCHED, at=T0) == []
    case.status = CaseStatus.CLOSED
    assert reporter_update(case, was=CaseStatus.VERIFIED, at=T0) == []  # case.closed does


def test_reporters_outside_the_platform_get_no_updates() -> None:
    for reporter in (None, "grid"):
        case = new_case(Category.THEFT, reporter=reporter)
        assess_and_dispatch(case, now=T0)
        assert reporter_update(case, was=CaseStatus.REGISTERED, at=T0) == []
