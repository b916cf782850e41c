"""Open311 GeoReport v2, pure: services, a POST as a case report, a case view as a request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest

from fengqiao.contracts.codes import Category, Channel
from gateway.api.track import tracking_page
from gateway.domain.open311 import (
    HubView,
    Open311Failure,
    case_report,
    error_rows,
    service_definition,
    service_list,
    service_request,
    to_xml,
)

NOW = datetime(2026, 5, 4, 8, 30, tzinfo=UTC)
PLACE = {"lat": "21.95", "long": "112.85"}


def failure_of(fields: dict[str, str]) -> Open311Failure:
    with pytest.raises(Open311Failure) as caught:
        case_report(fields, token="tok-1", now=NOW)
    return caught.value


def test_every_category_is_a_realtime_service_without_metadata() -> None:
    services = service_list()
    assert [s["service_code"] for s in services] == [c.value for c in Category]
    neighbour = next(s for s in services if s["service_code"] == "neighbour")
    assert neighbour["service_name"] == "邻里纠纷 / neighbour dispute"
    assert neighbour["metadata"] is False and neighbour["type"] == "realtime"
    assert neighbour["group"] == "婚姻邻里 / family and neighbours"
    assert next(s for s in services if s["service_code"] == "other")["group"].startswith("政务")


def test_a_service_definition_has_no_attributes_and_unknown_codes_are_404() -> None:
    assert service_definition("theft") == {"service_code": "theft", "attributes": []}
    with pytest.raises(Open311Failure) as caught:
        service_definition("potholes")
    assert caught.value.status == 404


def test_a_request_becomes_an_online_report_under_its_token() -> None:
    report = case_report(
        {
            "service_code": "neighbour",
            "description": "邻居围墙越界\n占了我家菜地",
            **PLACE,
            "first_name": "三",
            "last_name": "张",
            "phone": "13800138000",
            "email": "zhang@example.cn",
        },
        token="tok-1",
        now=NOW,
    )
    assert report.external_ref == "tok-1"
    assert report.channel is Channel.ONLINE
    assert report.category is Category.NEIGHBOUR
    assert report.title == "邻里纠纷: 邻居围墙越界 占了我家菜地"
    assert report.description == "邻居围墙越界\n占了我家菜地"
    assert (report.location.lat, report.location.lon) == (21.95, 112.85)
    assert [(p.name, p.role, p.phone) for p in report.parties] == [
        ("张三", "applicant", "13800138000")
    ]
    assert report.reported_at == NOW


def test_a_latin_name_keeps_its_order_and_an_unnamed_requester_is_no_party() -> None:
    named = case_report(
        {
            "service_code": "theft",
            "address_string": "莲塘村 3 号",
            "first_name": "Li",
            "last_name": "Wei",
        },
        token="t",
        now=NOW,
    )
    assert [p.name for p in named.parties] == ["Li Wei"]
    assert named.location.address == "莲塘村 3 号" and named.title == "盗窃"
    anonymous = case_report(
        {"service_code": "theft", "address_id": "A-17", "phone": "13800138000"},
        token="t",
        now=NOW,
    )
    assert anonymous.parties == []
    assert anonymous.location.address == "address_id A-17"


def test_every_problem_of_a_request_is_listed_as_a_400() -> None:
    failure = failure_of({"description": "x"})
    assert failure.status == 400
    descriptions = [e["description"] for e in error_rows(failure.errors)]
    assert descriptions == [
        "service_code is required",
        "a location is required: lat and long, address_string or address_id",
    ]


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"service_code": "potholes", **PLACE}, "not a service"),
        ({"service_code": "theft", "lat": "21.9"}, "lat and long go together"),
        ({"service_code": "theft", "lat": "95", "long": "112"}, "lat must lie within ±90"),
        ({"service_code": "theft", "lat": "x", "long": "112"}, "lat is not a number"),
        ({"service_code": "theft", "lat": "nan", "long": "112"}, "lat must lie"),
        ({"service_code": "theft", **PLACE, "description": "长" * 4001}, "over 4000"),
        ({"service_code": "theft", **PLACE, "first_name": "三", "phone": "1" * 41}, "phone"),
    ],
)
def test_a_bad_field_is_a_400_naming_it(fields: dict[str, str], says: str) -> None:
    failure = failure_of(fields)
    assert failure.status == 400
    assert says in str(failure)


def view(stage: str, outcome: str | None = None) -> HubView:
    label = {"registered": ("已受理", "registered"), "closed": ("已结案", "closed")}[stage]
    return HubView.model_validate(
        {
            "tracking_code": "FQ0123456789",
            "stage": {"code": stage, "zh": label[0], "en": label[1]},
            "category": {"code": "neighbour", "zh": "邻里纠纷", "en": "neighbour dispute"},
            "registered_at": NOW,
            "due_at": NOW + timedelta(days=15),
            "outcome": outcome,
            "steps": [
                {"at": NOW, "step": {"code": "registered", "zh": "登记受理", "en": "registered"}},
                {
                    "at": NOW + timedelta(hours=5),
                    "step": {"code": "assessed", "zh": "研判", "en": "assessed"},
                },
            ],
        }
    )


def test_an_open_case_is_an_open_request_with_its_times() -> None:
    row = service_request(view("registered"))
    assert row["service_request_id"] == "FQ0123456789"
    assert row["status"] == "open"
    assert row["status_notes"] == "已受理 / registered"
    assert row["service_code"] == "neighbour"
    assert row["service_name"] == "邻里纠纷 / neighbour dispute"
    assert row["requested_datetime"] == "2026-05-04T08:30:00+00:00"
    assert row["updated_datetime"] == "2026-05-04T13:30:00+00:00"
    assert row["expected_datetime"] == "2026-05-19T08:30:00+00:00"
    assert row["address"] is None and row["lat"] is None and row["description"] is None


def test_a_closed_case_is_closed_with_its_outcome_in_the_notes() -> None:
    row = service_request(view("closed", outcome="resolved"))
    assert row["status"] == "closed"
    assert row["status_notes"] == "已结案 / closed · 已化解 / resolved"


def test_xml_documents_follow_the_spec_and_escape_text() -> None:
    services = ElementTree.fromstring(to_xml("services", service_list(), "service"))
    first = services.findall("service")[0]
    assert services.tag == "services" and len(services) == len(Category)
    assert first.findtext("service_code") == "land_rural"
    assert first.findtext("metadata") == "false"
    errors = ElementTree.fromstring(
        to_xml("errors", error_rows(failure_of({"service_code": "<b>&"}).errors), "error")
    )
    assert errors.findtext("error/code") == "400"
    assert "'<b>&'" in (errors.findtext("error/description") or "")
    definition = ElementTree.fromstring(to_xml("service_definition", service_definition("water")))
    assert definition.findtext("service_code") == "water"
    assert definition.find("attributes") is not None
    request = ElementTree.fromstring(
        to_xml("service_requests", [service_request(view("registered"))], "request")
    )
    assert request.findtext("request/status") == "open"
    assert request.findtext("request/lat") == ""


def test_the_tracking_page_escapes_everything_the_hub_says() -> None:
    hostile = view("registered").model_copy(
        update={"tracking_code": "<script>x</script>", "outcome": "<img src=x>"}
    )
    page = tracking_page(hostile)
    assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<img" not in page
    assert page.index("已受理") < page.index("registered")  # Chinese first
    assert "2026-05-04 16:30" in page  # Beijing time
