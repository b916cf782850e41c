"""进度查询: a citizen follows a case by its tracking code, as JSON or as a small page for a phone.

The data is the hub's public view (no personal data); the gateway only carries and renders it.
The tracking code is the key to that view, so answers are neither cached nor sent on as a
referrer.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from html import escape
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from fengqiao.web.problems import problem_response
from gateway.adapters.hub import HubUnavailable, fetch_view, hub_client
from gateway.api.deps import gateway_in, public_rate_limit
from gateway.domain.open311 import HubView, outcome_labels

router = APIRouter(tags=["citizen"], dependencies=[Depends(public_rate_limit)])

BEIJING = timezone(timedelta(hours=8))  # China keeps one zone and no daylight saving
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _time(at: datetime) -> str:
    return at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:1rem;max-width:40rem;color:#222}"
    "h1{font-size:1.3rem;margin:0 0 .5rem}.en{color:#666;font-size:.9em}"
    ".stage{font-size:1.5rem;font-weight:bold;margin:.5rem 0}dl{margin:0}dt{color:#666}"
    "dd{margin:0 0 .5rem}ol{padding-left:1.2rem}li{margin:.3rem 0}time{color:#666}"
)


def tracking_page(view: HubView) -> str:
    """The view as a self-contained page: Chinese first, English second, everything escaped."""
    e = escape
    steps = "".join(
        f"<li><time>{_time(s.at)}</time> {e(s.step.zh)} <span class=en>{e(s.step.en)}</span></li>"
        for s in view.steps
    )
    outcome = ""
    if view.outcome is not None:
        zh, en = outcome_labels(view.outcome)
        outcome = f"<dt>结果 Outcome</dt><dd>{e(zh)} <span class=en>{e(en)}</span></dd>"
    return (
        "<!doctype html><html lang=zh-CN><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>案件进度 Case progress</title><style>{STYLE}</style></head><body>"
        f"<h1>案件进度 <span class=en>Case progress</span></h1>"
        f"<p>查询码 <span class=en>Tracking code</span>: <b>{e(view.tracking_code)}</b></p>"
        f"<p class=stage>{e(view.stage.zh)} <span class=en>{e(view.stage.en)}</span></p><dl>"
        f"<dt>类别 Category</dt><dd>{e(view.category.zh)} "
        f"<span class=en>{e(view.category.en)}</span></dd>"
        f"<dt>受理时间 Registered</dt><dd>{_time(view.registered_at)}</dd>"
        f"<dt>办结时限 Due</dt><dd>{_time(view.due_at)}</dd>{outcome}</dl>"
        f"<h2>办理过程 <span class=en>Steps</span></h2><ol>{steps}</ol>"
        "<p class=en>时间为北京时间 · Times are Beijing time (UTC+8)</p></body></html>"
    )


def wants_html(request: Request, format_: str | None) -> bool:
    if format_ is not None:
        return format_ == "html"
    return "text/html" in request.headers.get("accept", "")


@router.get("/track/{tracking_code}", response_model=HubView)
async def track(
    request: Request,
    tracking_code: str,
    format_: Annotated[str | None, Query(alias="format", pattern="^(json|html)$")] = None,
) -> Response:
    """The stage and steps of a case, by its tracking code (JSON, or HTML for a browser)."""
    try:
        async with hub_client(gateway_in(request).settings.hub_url) as client:
            view = await fetch_view(client, tracking_code)
    except HubUnavailable as error:
        return problem_response(503, str(error), instance=request.url.path)
    if view is None:
        return problem_response(
            404, "no case has this tracking code", instance=request.url.path, headers=PRIVATE
        )
    if wants_html(request, format_):
        page_headers = {
            **PRIVATE,
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
            "X-Robots-Tag": "noindex",
        }
        return HTMLResponse(tracking_page(view), headers=page_headers)
    return JSONResponse(view.model_dump(mode="json"), headers=PRIVATE)
