"""How the demo reaches the running platform: service addresses, staff tokens, HTTP calls that
fail loudly, and waiting for a condition."""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

import httpx

from fengqiao.catalog import spec_of
from fengqiao.security import issue_token, service_secret
from fengqiao.settings import service_settings

T = TypeVar("T")
SIM_PORT = 8017  # the stand-in 粤平安 platform `fengqiao up` starts


class DemoError(Exception):
    """A step of a scenario the platform refused, or a state it did not reach in time."""


def service_url(service: str) -> str:
    """Where `fengqiao up` runs ``service`` (catalogue port, or FENGQIAO_<SVC>_PORT)."""
    settings = service_settings(service, port=spec_of(service).port)
    return f"http://127.0.0.1:{settings.port}"


def sim_url() -> str:
    return f"http://127.0.0.1:{os.environ.get('FENGQIAO_PLATFORM_SIM_PORT', SIM_PORT)}"


def agency_of(service: str) -> str:
    """The agency id a service runs as (FENGQIAO_<SVC>_AGENCY_ID, default its name)."""
    return service_settings(service, port=spec_of(service).port).agency_id


def staff(service: str, *roles: str, name: str, subject: str | None = None) -> dict[str, str]:
    """A staff member's bearer header, signed as `fengqiao token issue` signs it."""
    token = issue_token(
        secret=service_secret(service, "token-key"),
        agency=agency_of(service),
        subject=subject or f"demo-{service}-{roles[0]}",
        name=name,
        roles=roles,
        ttl=timedelta(hours=1),
    )
    return {"Authorization": f"Bearer {token}"}


def matter_id(sender: str, assignment_id: str) -> str:
    """The id a force files an order under: one order, one matter (as the services derive it)."""
    return hashlib.sha256(f"{sender}\n{assignment_id}".encode()).hexdigest()[:20]


async def call(
    http: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    json: Any = None,
    ok: tuple[int, ...] = (200, 201, 202),
    **kwargs: Any,
) -> Any:
    """The JSON answer of a call that must succeed; else DemoError naming the call."""
    try:
        answer = await http.request(method, url, headers=headers, json=json, **kwargs)
    except httpx.HTTPError as error:
        raise DemoError(f"{method} {url}: {error!r}") from None
    if answer.status_code not in ok:
        raise DemoError(f"{method} {url} → {answer.status_code}: {answer.text[:500]}")
    return answer.json() if answer.content else None


async def found(http: httpx.AsyncClient, url: str, headers: dict[str, str]) -> Any | None:
    """The resource at ``url``, or None while it is not there yet (404)."""
    answer = await http.get(url, headers=headers)
    if answer.status_code == 404:
        return None
    if answer.status_code != 200:
        raise DemoError(f"GET {url} → {answer.status_code}: {answer.text[:500]}")
    return answer.json()


async def until(
    probe: Callable[[], Awaitable[T | None]], what: str, *, timeout_s: float, every_s: float = 0.5
) -> T:
    """Ask ``probe`` until it answers, or DemoError after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        answer = await probe()
        if answer is not None:
            return answer
        if time.monotonic() > deadline:
            raise DemoError(f"timed out after {timeout_s:.0f} s waiting for {what}")
        await asyncio.sleep(every_s)
