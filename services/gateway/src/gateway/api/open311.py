"""Open311 GeoReport v2 (``/open311/v2``): citizens' apps report and follow matters through the
gateway, which sends each report to the hub as ``case.reported.v1`` over the exchange like any
agency would. Errors are the spec's error list, in the format the path asked for.

Reading one request needs only its id (the tracking code, itself the secret); listing needs the
app's api_key and lists only that app's requests, since every id listed opens a case's view.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from fengqiao.clock import now_utc
from gateway.adapters.credentials import open311_app
from gateway.adapters.hub import HubUnavailable, fetch_view, hub_client
from gateway.api.deps import gateway_in, public_rate_limit
from gateway.domain import open311 as spec
from gateway.domain.open311 import Open311Failure, Row, fail
from gateway.handlers.open311 import take_request

router = APIRouter(
    prefix="/open311/v2", tags=["open311"], dependencies=[Depends(public_rate_limit)]
)

FORMATS = ("json", "xml")
MAX_BODY = 32 * 1024  # a 4000-character description in UTF-8, percent-encoded, fits
LIST_LIMIT = 100
WINDOW = timedelta(days=90)  # the spec's default and widest date range
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
NOTICE = (
    "已提交综治中心，受理后凭编号查询进度 / sent to the hub; follow it by its id once registered"
)
Work = Callable[[], Awaitable[Row | list[Row]]]


def _render(fmt: str, root: str, item: str | None, body: Row | list[Row], status: int) -> Response:
    if fmt == "xml":
        xml = spec.to_xml(root, body, item)
        return Response(xml, status_code=status, media_type="text/xml; charset=utf-8")
    return JSONResponse(body, status_code=status)


async def _answer(fmt: str, root: str, item: str | None, work: Work) -> Response:
    """Run ``work`` and render its rows, or the spec's error list, in ``fmt``."""
    try:
        if fmt not in FORMATS:
            raise fail(404, f"format {fmt!r} is not served; use json or xml")
        body = await work()
    except Open311Failure as failure:
        rows = spec.error_rows(failure.errors)
        return _render(fmt if fmt in FORMATS else "json", "errors", "error", rows, failure.status)
    return _render(fmt, root, item, body, 200)


def _app_of(api_key: str | None) -> str:
    app = open311_app(api_key) if api_key else None
    if app is None:
        raise fail(403, "api_key is missing or not valid")
    return app


async def _form(request: Request) -> dict[str, str]:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in ("", "application/x-www-form-urlencoded"):
        raise fail(400, "send the request as application/x-www-form-urlencoded")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise fail(413, f"the request is over {MAX_BODY} bytes")
    try:
        pairs = parse_qsl(body.decode(), keep_blank_values=True, max_num_fields=100)
    except ValueError:  # bad UTF-8 too
        raise fail(400, "the request is not a valid UTF-8 form") from None
    fields: dict[str, str] = {}
    for name, value in pairs:
        fields.setdefault(name, value)  # a repeated field: the first counts
    return fields


@router.get("/services.{fmt}", summary="Service list")
async def services(fmt: str) -> Response:
    async def work() -> list[Row]:
        return spec.service_list()

    return await _answer(fmt, "services", "service", work)


@router.get("/services/{service_code}.{fmt}", summary="Service definition")
async def service_definition(service_code: str, fmt: str) -> Response:
    async def work() -> Row:
        return spec.service_definition(service_code)

    return await _answer(fmt, "service_definition", None, work)


# fmt: off
_FIELDS = ["api_key", "service_code", "lat", "long", "address_string", "address_id",
           "description", "first_name", "last_name", "phone", "email", "device_id",
           "account_id", "media_url"]
# fmt: on
# The body is read by hand (no multipart dependency), so the docs are told its shape here.
FORM_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["api_key", "service_code"],
                    "properties": {name: {"type": "string"} for name in _FIELDS},
                }
            }
        },
    }
}


@router.post("/requests.{fmt}", summary="Create a service request", openapi_extra=FORM_DOC)
async def create_request(request: Request, fmt: str) -> Response:
    async def work() -> list[Row]:
        fields = await _form(request)
        app = _app_of(fields.get("api_key"))
        token = await take_request(gateway=gateway_in(request), app=app, fields=fields)
        return [{"token": token, "service_notice": NOTICE}]

    return await _answer(fmt, "service_requests", "request", work)


def _listed(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _date(name: str, text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        at = datetime.fromisoformat(text)
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    except (ValueError, OverflowError):
        raise fail(400, f"{name} is not an ISO 8601 date and time") from None
    if not EARLIEST <= at <= LATEST:  # date arithmetic and the store stay within range
        raise fail(400, f"{name} must lie between 2000 and 2100")
    return at


@router.get("/requests.{fmt}", summary="Service requests of the calling app")
async def list_requests(
    request: Request,
    fmt: str,
    api_key: str | None = None,
    service_request_id: str | None = None,
    service_code: str | None = None,
    status: str | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
) -> Response:
    async def work() -> list[Row]:
        app = _app_of(api_key)
        ids = [code.upper() for code in _listed(service_request_id)]
        statuses = set(_listed(status))
        if not statuses <= {"open", "closed"}:
            raise fail(400, "status is open, closed, or both")
        since, until = _date("start_date", start_date), _date("end_date", end_date)
        if not ids:  # the ids override every other filter, as the spec says
            until = until or now_utc()
            since = since or until - WINDOW
            if until - since > WINDOW:
                raise fail(400, "start_date and end_date may not span more than 90 days")
        gateway = gateway_in(request)
        taken = await gateway.open311.taken(
            app,
            tracking_codes=ids,
            service_codes=[] if ids else _listed(service_code),
            since=None if ids else since,
            until=None if ids else until,
            limit=LIST_LIMIT,
        )
        try:
            async with hub_client(gateway.settings.hub_url) as client:
                views = await asyncio.gather(
                    *(fetch_view(client, t.tracking_code or "") for t in taken)
                )
        except HubUnavailable as error:
            raise fail(503, str(error)) from None
        rows = [spec.service_request(v) for v in views if v is not None]
        return [r for r in rows if ids or not statuses or r["status"] in statuses]

    return await _answer(fmt, "service_requests", "request", work)


@router.get("/requests/{service_request_id}.{fmt}", summary="One service request")
async def get_request(request: Request, service_request_id: str, fmt: str) -> Response:
    async def work() -> list[Row]:
        try:
            async with hub_client(gateway_in(request).settings.hub_url) as client:
                view = await fetch_view(client, service_request_id)
        except HubUnavailable as error:
            raise fail(503, str(error)) from None
        if view is None:
            raise fail(404, f"no service request {service_request_id!r}")
        return [spec.service_request(view)]

    return await _answer(fmt, "service_requests", "request", work)


@router.get("/tokens/{token}.{fmt}", summary="The service request id of a token")
async def token_lookup(request: Request, token: str, fmt: str) -> Response:
    async def work() -> list[Row]:
        taken = await gateway_in(request).open311.get(token)
        if taken is None or taken.tracking_code is None:
            raise fail(404, "no service request has this token yet")
        return [{"token": token, "service_request_id": taken.tracking_code}]

    return await _answer(fmt, "service_requests", "request", work)
