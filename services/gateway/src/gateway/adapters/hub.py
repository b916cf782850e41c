"""The hub's public case view (``GET /api/v1/track/{code}``), which citizens' tracking and the
Open311 requests read: the gateway only carries it."""

from __future__ import annotations

import re

import httpx
from pydantic import ValidationError

from gateway.domain.open311 import HubView

CODE = re.compile(r"[A-Za-z0-9]{4,40}")


class HubUnavailable(Exception):
    """The hub did not answer, or answered with something other than a view or a 404."""


def hub_client(hub_url: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=hub_url, timeout=5.0)


async def fetch_view(client: httpx.AsyncClient, code: str) -> HubView | None:
    """The hub's public view of the case with tracking ``code``; None if there is none."""
    if not CODE.fullmatch(code):
        return None  # nothing the hub issues; and never a path of our making
    try:
        answer = await client.get(f"/api/v1/track/{code}")
    except httpx.HTTPError as error:
        raise HubUnavailable(f"the hub is unreachable ({type(error).__name__})") from None
    if answer.status_code == 404:
        return None
    if answer.status_code != 200:
        raise HubUnavailable(f"the hub answered {answer.status_code}")
    try:
        return HubView.model_validate_json(answer.content)
    except ValidationError:
        raise HubUnavailable("the hub's answer is not a case view") from None
