"""Dispute information the procuratorate collects (12309 检察服务中心) reported to the hub."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fengqiao.contracts.codes import Category, Channel, Severity
from fengqiao.contracts.events import CaseReported, Location, Party
from procuratorate.domain.dispute_report import report_dispute
from procuratorate.domain.errors import InvalidRequest

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
PLACE = Location(county="440781", town="440781105", village="440781105201")


def report(
    *,
    external_ref: str = "12309-2026-0001",
    title: str = "村民反映征地补偿款未发放",
    location: Location = PLACE,
    reported_at: datetime = NOW - timedelta(hours=1),
) -> CaseReported:
    notice = report_dispute(
        external_ref=external_ref,
        category=Category.LAND_RURAL,
        title=title,
        description="十余户村民来访, 反映补偿款拖欠两年",
        location=location,
        reported_at=reported_at,
        now=NOW,
        severity=Severity.MAJOR,
        parties=[Party(name="陈阿福", phone="13812345678")],
    )
    assert notice.recipient == "intake"
    assert isinstance(notice.data, CaseReported)
    return notice.data


def test_a_dispute_goes_to_the_hub_as_reported_by_the_procuratorate() -> None:
    event = report()
    assert event.channel is Channel.PROCURATORATE
    assert (event.external_ref, event.category, event.severity) == (
        "12309-2026-0001", Category.LAND_RURAL, Severity.MAJOR,
    )  # fmt: skip
    assert event.title == "村民反映征地补偿款未发放"
    assert event.location == PLACE and [p.name for p in event.parties] == ["陈阿福"]
    assert event.reported_at == NOW - timedelta(hours=1)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"external_ref": " "}, "external_ref"),
        ({"title": ""}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"location": Location(county="440781")}, "location"),
        ({"reported_at": NOW + timedelta(minutes=5)}, "future"),
        ({"reported_at": datetime(2026, 11, 22, 1, 0)}, "time zone"),
    ],
)
def test_a_report_the_hub_could_not_act_on_is_refused(
    change: dict[str, object], problem: str
) -> None:
    with pytest.raises(InvalidRequest, match=problem):
        report(**change)  # type: ignore[arg-type]


def test_every_problem_is_named_at_once() -> None:
    with pytest.raises(InvalidRequest) as refused:
        report(external_ref="", title="", location=Location())
    assert all(word in str(refused.value) for word in ("external_ref", "title", "location"))


def test_coordinates_alone_place_a_report() -> None:
    assert report(location=Location(lon=112.8, lat=21.93)).location.lat == 21.93
