"""Open311 GeoReport v2 (pure): the service list, a citizen's request as a case report, the hub's
public view as a service request, and the spec's JSON and XML documents.

Services are the shared case categories, so an app's report lands in the hub's rule table as is.
A request is known by its token until the hub registers it; its service_request_id is then the
hub's tracking code, the one secret that opens the public view.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from pydantic import BaseModel, ConfigDict, ValidationError

from fengqiao.contracts.codes import Category, Channel, Outcome
from fengqiao.contracts.events import CaseReported, Location, Party

Row = dict[str, Any]
MAX_DESCRIPTION = 4000  # the spec's limit for description
MAX_ADDRESS = 500
FINISHED_STAGES = frozenset({"closed", "followed_up"})  # the hub's statuses after 结案

# Open311 groups services for an app's menu; the categories themselves have no grouping.
_GROUPS = {
    "农村农业 / rural affairs": "land_rural collective_income crop_insurance "
    "illegal_aquaculture water",
    "治安安全 / public safety": "theft public_order road_traffic work_safety food_drug",
    "民生服务 / livelihood": "labour_wage doctor_patient medical education finance_insurance "
    "housing_construction property_management",
    "婚姻邻里 / family and neighbours": "marriage_family neighbour civil_debt",
}
_GROUP_OF = {code: group for group, codes in _GROUPS.items() for code in codes.split()}
_OTHER_GROUP = "政务其他 / government and other"
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Open311Error:
    code: int
    description: str


class Open311Failure(Exception):
    """One or more errors to answer with the spec's error list; the first code is the status."""

    def __init__(self, *errors: Open311Error) -> None:
        super().__init__("; ".join(e.description for e in errors))
        self.errors = errors
        self.status = errors[0].code


def fail(code: int, description: str) -> Open311Failure:
    return Open311Failure(Open311Error(code, description))


def service_list() -> list[Row]:
    return [
        {
            "service_code": c.value,
            "service_name": f"{c.zh} / {c.en}",
            "description": f"{c.zh}类诉求 / requests about {c.en}",
            "metadata": False,
            "type": "realtime",
            "keywords": ", ".join((c.value, c.zh, c.en)),
            "group": _GROUP_OF.get(c.value, _OTHER_GROUP),
        }
        for c in Category
    ]


def service_definition(service_code: str) -> Row:
    """The definition of a service; none has extra attributes (metadata is false for all)."""
    if service_code not in Category._value2member_map_:
        raise fail(404, f"service_code {service_code!r} not found")
    return {"service_code": service_code, "attributes": []}


def _text(fields: Mapping[str, str], name: str) -> str | None:
    value = fields.get(name, "").strip()
    return value or None


def _coordinate(fields: Mapping[str, str], name: str, bound: float) -> float | None:
    text = _text(fields, name)
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        raise fail(400, f"{name} is not a number") from None
    if not -bound <= value <= bound:
        raise fail(400, f"{name} must lie within ±{bound:g}")
    return value


def _requester(fields: Mapping[str, str]) -> list[Party]:
    first, last = _text(fields, "first_name"), _text(fields, "last_name")
    if first is None and last is None:
        return []  # an anonymous report: a phone number alone names nobody
    names = [n for n in (first, last) if n]
    # 张 + 三 is 张三 (family name first, no space); John + Smith is "John Smith".
    name = (last or "") + (first or "") if _CJK.search("".join(names)) else " ".join(names)
    return [Party(name=name[:100], role="applicant", phone=_text(fields, "phone"))]


def _place(address: str | None, address_id: str | None) -> str | None:
    # The hub's location has no slot for an app's address id; keep it readable in the address.
    if address_id is None:
        return address
    return f"{address} (address_id {address_id})" if address else f"address_id {address_id}"


def case_report(fields: Mapping[str, str], *, token: str, now: datetime) -> CaseReported:
    """A POSTed request as the hub's report; Open311Failure (400) lists what is wrong."""
    errors: list[Open311Error] = []
    code = _text(fields, "service_code")
    if code is None:
        errors.append(Open311Error(400, "service_code is required"))
    elif code not in Category._value2member_map_:
        errors.append(Open311Error(400, f"service_code {code!r} is not a service of this server"))
    lat = lon = None
    try:
        lat = _coordinate(fields, "lat", 90)
        lon = _coordinate(fields, "long", 180)
    except Open311Failure as failure:
        errors.extend(failure.errors)
    address, address_id = _text(fields, "address_string"), _text(fields, "address_id")
    if (lat is None) != (lon is None):
        errors.append(Open311Error(400, "lat and long go together"))
    elif lat is None and address is None and address_id is None:
        errors.append(
            Open311Error(400, "a location is required: lat and long, address_string or address_id")
        )
    for name, value in (("address_string", address), ("address_id", address_id)):
        if value is not None and len(value) > MAX_ADDRESS:
            errors.append(Open311Error(400, f"{name} is over {MAX_ADDRESS} characters"))
    description = _text(fields, "description") or ""
    if len(description) > MAX_DESCRIPTION:
        errors.append(Open311Error(400, f"description is over {MAX_DESCRIPTION} characters"))
    if errors or code is None:
        raise Open311Failure(*errors)
    category = Category(code)
    summary = " ".join(description.split())
    try:
        return CaseReported(
            external_ref=token,
            channel=Channel.ONLINE,
            category=category,
            title=f"{category.zh}: {summary[:80]}" if summary else category.zh,
            description=description,
            location=Location(address=_place(address, address_id), lat=lat, lon=lon),
            parties=_requester(fields),
            reported_at=now,
        )
    except ValidationError as error:  # a field over the contract's limits, e.g. a long phone
        raise fail(
            400, "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        ) from None


class HubLabel(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: str
    zh: str
    en: str


class HubStep(BaseModel):
    model_config = ConfigDict(frozen=True)
    at: datetime
    step: HubLabel


class HubView(BaseModel):
    """The hub's public view of a case (``GET /api/v1/track/{code}``): no personal data."""

    model_config = ConfigDict(frozen=True)
    tracking_code: str
    stage: HubLabel
    category: HubLabel
    registered_at: datetime
    due_at: datetime
    outcome: str | None = None
    steps: list[HubStep] = []

    @property
    def is_open(self) -> bool:
        return self.stage.code not in FINISHED_STAGES


def outcome_labels(code: str) -> tuple[str, str]:
    """Chinese and English names of a closure outcome (the code itself if unknown)."""
    if code in Outcome._value2member_map_:
        outcome = Outcome(code)
        return outcome.zh, outcome.en
    return code, code


def _when(at: datetime) -> str:
    return at.isoformat(timespec="seconds")


def service_request(view: HubView) -> Row:
    """The view as a service request. The hub shows no place, so address and lat/long stay
    null: a dispute's address would point at its parties."""
    notes = f"{view.stage.zh} / {view.stage.en}"
    if view.outcome is not None:
        notes += " · " + " / ".join(outcome_labels(view.outcome))
    updated = max((s.at for s in view.steps), default=view.registered_at)
    return {
        "service_request_id": view.tracking_code,
        "status": "open" if view.is_open else "closed",
        "status_notes": notes,
        "service_name": f"{view.category.zh} / {view.category.en}",
        "service_code": view.category.code,
        "description": None,
        "agency_responsible": None,
        "service_notice": None,
        "requested_datetime": _when(view.registered_at),
        "updated_datetime": _when(updated),
        "expected_datetime": _when(view.due_at),
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def error_rows(errors: Sequence[Open311Error]) -> list[Row]:
    return [{"code": e.code, "description": e.description} for e in errors]


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for name, inner in value.items():
            _fill(ElementTree.SubElement(element, name), inner)
    elif isinstance(value, list):  # e.g. attributes: one <attribute> per item
        for inner in value:
            _fill(ElementTree.SubElement(element, element.tag.removesuffix("s")), inner)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def to_xml(root: str, value: Row | list[Row], item: str | None = None) -> bytes:
    """``<root><item>…</item>…</root>`` for a list, ``<root>…</root>`` for one object."""
    element = ElementTree.Element(root)
    if isinstance(value, list):
        for row in value:
            _fill(ElementTree.SubElement(element, item or root.removesuffix("s")), row)
    else:
        _fill(element, value)
    xml: bytes = ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)
    return xml
