"""Intake (事件接入): a good platform event becomes the hub's report; anything else becomes a
rejection naming what is wrong, never a guess."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from fengqiao.contracts.codes import Category, Channel, Severity
from fengqiao.contracts.events import Party
from platform_adapter.domain.codes import RejectReason
from platform_adapter.domain.intake import Rejection, Translated, translate
from platform_adapter.domain.mapping import load_tables

NOW = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)  # 09:00 in Guangdong
TABLES = load_tables()
EVENT: dict[str, Any] = {
    "event_id": "YPA-2026-000123",
    "seq": 123,
    "channel": "app",
    "category_code": "ZA-0101",
    "area_code": "440781105201",
    "title": "青蟹塘夜间被盗",
    "description": "养殖户反映蟹塘昨夜被盗约二百斤。",
    "reported_at": "2026-11-22T08:30:00+08:00",
    "reporter": {"name": "黄大明", "phone": "+86 138-0013-8000"},
    "location": {"lon": 112.85, "lat": 21.955, "address": "莲湖村蟹塘"},
    "urgency": "normal",
}


def event(**changes: Any) -> dict[str, Any]:
    raw = copy.deepcopy(EVENT)
    for key, value in changes.items():
        if value is None:
            raw.pop(key, None)
        else:
            raw[key] = value
    return raw


def translated(raw: object) -> Translated:
    result = translate(raw, tables=TABLES, now=NOW)
    assert isinstance(result, Translated), result
    return result


def rejected(raw: object) -> Rejection:
    result = translate(raw, tables=TABLES, now=NOW)
    assert isinstance(result, Rejection), result
    return result


def test_a_good_event_becomes_the_report_the_hub_gets() -> None:
    result = translated(event())
    report = result.report
    assert report.external_ref == "YPA-2026-000123"
    assert report.channel is Channel.PLATFORM
    assert (report.category, report.severity) == (Category.THEFT, Severity.GENERAL)
    assert (report.title, report.description) == (EVENT["title"], EVENT["description"])
    assert report.location.model_dump(exclude_none=True) == {
        "county": "440781",
        "town": "440781105",
        "village": "440781105201",
        "address": "莲湖村蟹塘",
        "lon": 112.85,
        "lat": 21.955,
    }
    assert report.parties == [Party(name="黄大明", role="reporter", phone="+86 138-0013-8000")]
    assert report.reported_at == datetime(2026, 11, 22, 0, 30, tzinfo=UTC)
    assert report.reported_at.utcoffset() is not None and not report.reported_at.utcoffset()
    assert report.emergency is False


def test_the_dedupe_facts_carry_the_bare_phone_area_category_and_time() -> None:
    facts = translated(event()).facts
    assert (facts.event_id, facts.phone, facts.area_code) == (
        "YPA-2026-000123",
        "13800138000",
        "440781105201",
    )
    assert facts.category is Category.THEFT
    assert facts.reported_at == datetime(2026, 11, 22, 0, 30, tzinfo=UTC)
    assert facts.case_id is None


def test_an_urgent_event_at_town_level_without_reporter_or_location() -> None:
    raw = event(urgency="urgent", area_code="440781105000", reporter=None, location=None)
    report = translated(raw).report
    assert report.emergency is True
    assert report.parties == []
    assert report.location.village is None and report.location.town == "440781105"
    assert report.location.lon is None
    assert translated(raw).facts.phone is None


def test_a_reporter_without_name_is_recorded_as_anonymous_with_the_phone() -> None:
    report = translated(event(reporter={"phone": "13900000000"})).report
    assert report.parties == [Party(name="匿名", role="reporter", phone="13900000000")]


def test_fields_the_contract_does_not_name_are_ignored() -> None:
    assert translated(event(new_field={"x": 1})).report.external_ref == "YPA-2026-000123"


@pytest.mark.parametrize(
    ("raw", "kind"),
    [("not json at all {", "str"), ([EVENT], "list"), (42, "int"), (None, "null")],
)
def test_anything_but_an_object_is_malformed(raw: object, kind: str) -> None:
    rejection = rejected(raw)
    assert rejection.reason_code is RejectReason.MALFORMED
    assert rejection.reason == f"the event must be a JSON object, not {kind}"
    assert rejection.event_id is None
    assert rejection.record_id.startswith("sha256:")
    assert rejection.record_id == rejected(raw).record_id  # the same garbage, the same record


def test_missing_fields_are_named_and_the_event_id_kept() -> None:
    rejection = rejected(event(title=None, reported_at=None, urgency=None))
    assert rejection.reason_code is RejectReason.MALFORMED
    assert rejection.reason == "missing title, reported_at, urgency"
    assert rejection.event_id == rejection.record_id == "YPA-2026-000123"


def test_wrong_shapes_are_named_by_field() -> None:
    raw = event(seq="123", channel="fax", area_code="4407811052", reporter={"phone": 138})
    reason = rejected(raw).reason
    for field in ("seq:", "channel:", "area_code:", "reporter.phone:"):
        assert field in reason
    assert "title" not in reason


def test_an_event_without_a_usable_id_is_rejected_without_one() -> None:
    rejection = rejected(event(event_id=12345))
    assert rejection.event_id is None and "event_id:" in rejection.reason


@pytest.mark.parametrize(
    "when",
    [
        "2026-11-22 08:30",  # no offset: local time of where?
        "2026-11-22T08:30:00",
        "22/11/2026",
        "2026-02-30T08:30:00+08:00",
        1795314600,  # a Unix time, not the contract's text
    ],
)
def test_bad_dates_are_malformed(when: object) -> None:
    rejection = rejected(event(reported_at=when))
    assert rejection.reason_code is RejectReason.MALFORMED
    assert rejection.reason.startswith("reported_at:")


def test_an_event_reported_in_the_future_is_malformed() -> None:
    rejection = rejected(event(reported_at="2026-11-22T10:00:00+08:00"))
    assert rejection.reason_code is RejectReason.MALFORMED
    assert "in the future" in rejection.reason
    assert isinstance(
        translate(event(reported_at="2026-11-22T09:05:00+08:00"), tables=TABLES, now=NOW),
        Translated,
    )  # within the clock skew


def test_an_unknown_category_is_rejected_naming_the_code() -> None:
    rejection = rejected(event(category_code="ZA-9999"))
    assert rejection.reason_code is RejectReason.UNKNOWN_CATEGORY
    assert "'ZA-9999'" in rejection.reason
    assert rejection.event_id == "YPA-2026-000123"


def test_an_unknown_area_is_rejected_naming_the_code() -> None:
    rejection = rejected(event(area_code="440781106201"))
    assert rejection.reason_code is RejectReason.UNKNOWN_AREA
    assert "'440781106201'" in rejection.reason


def test_the_excerpt_is_what_came_cut_to_2000_characters() -> None:
    rejection = rejected(event(category_code="ZA-9999", description="长" * 5000))
    assert len(rejection.excerpt) == 2000
    assert rejection.excerpt.startswith('{"event_id": "YPA-2026-000123"')
    assert rejected("garbage").excerpt == '"garbage"'
