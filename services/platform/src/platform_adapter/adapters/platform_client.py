"""The HTTP client of the provincial platform's API (docs/platform-contract.md).

It sorts every failure into two kinds, because the callers act on the difference: the platform
was unavailable (timeout, connection, 5xx, 429) — try again later, it may even have applied the
call — or it refused the call (another 4xx) — trying again will not help.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx


class PlatformUnavailable(Exception):
    """No usable answer: retry later (with the same idempotency key)."""


class PlatformRefused(Exception):
    """The platform answered that this call will never succeed as sent."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"platform refused ({status}): {detail}")
        self.status = status


@dataclass(frozen=True)
class EventsPage:
    events: list[Any]  # raw JSON values: the adapter judges each one itself
    next_cursor: str | None
    has_more: bool


class PlatformClient:
    def __init__(
        self,
        base_url: str,
        *,
        client_id: str,
        client_secret: str,
        timeout_s: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout_s, transport=transport)
        self._credentials = {"client_id": client_id, "client_secret": client_secret}
        self._token: str | None = None

    async def close(self) -> None:
        await self._http.aclose()

    async def events(self, *, after: str | None, limit: int) -> EventsPage:
        params: dict[str, str | int] = {"limit": limit}
        if after is not None:
            params["after"] = after
        body = await self._call("GET", "/api/v1/events", params=params)
        if not isinstance(body, dict) or not isinstance(body.get("events"), list):
            raise PlatformUnavailable("the event list is not in the contract's shape")
        cursor = body.get("next_cursor")
        return EventsPage(
            events=list(body["events"]),
            next_cursor=cursor if isinstance(cursor, str) else None,
            has_more=bool(body.get("has_more")),
        )

    async def push(self, path: str, body: dict[str, Any], *, key: str) -> Any:
        """A status or closure push (``path`` from the push itself), idempotent by ``key``."""
        return await self._call("POST", path, json=body, key=key)

    async def status(self, event_id: str) -> Any:
        return await self._call("GET", f"/api/v1/events/{quote(event_id, safe='')}/status")

    async def _call(self, method: str, path: str, *, key: str | None = None, **kw: Any) -> Any:
        for attempt in (1, 2):  # a second time only after a fresh token
            headers = {"Authorization": f"Bearer {await self._bearer()}"}
            if key is not None:
                headers["Idempotency-Key"] = key
            try:
                answer = await self._http.request(method, path, headers=headers, **kw)
            except httpx.HTTPError as error:
                raise PlatformUnavailable(f"{method} {path}: {type(error).__name__}") from None
            if answer.status_code == 401 and attempt == 1:
                self._token = None
                continue
            return _body(answer, f"{method} {path}")
        raise PlatformUnavailable(f"{method} {path}: our token is refused")

    async def _bearer(self) -> str:
        if self._token is None:
            form = {"grant_type": "client_credentials", **self._credentials}
            try:
                answer = await self._http.post("/oauth/token", data=form)
            except httpx.HTTPError as error:
                raise PlatformUnavailable(f"token: {type(error).__name__}") from None
            body = _body(answer, "token")
            token = body.get("access_token") if isinstance(body, dict) else None
            if not isinstance(token, str):
                raise PlatformUnavailable("token: no access_token in the answer")
            self._token = token
        return self._token


def _body(answer: httpx.Response, what: str) -> Any:
    if answer.status_code >= 500 or answer.status_code in (408, 429):
        raise PlatformUnavailable(f"{what}: HTTP {answer.status_code}")
    try:
        body = answer.json()
    except ValueError:
        raise PlatformUnavailable(f"{what}: the answer is not JSON") from None
    if answer.status_code >= 400:
        detail = body.get("detail", "") if isinstance(body, dict) else ""
        raise PlatformRefused(answer.status_code, f"{what}: {detail}"[:500])
    return body
