"""The Open311 requests this gateway took: token → app, service, time, and once the hub has
registered it, the case id and tracking code. Nothing the citizen wrote is kept here; the
report itself went to the hub."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.storage import IndexSpec
from fengqiao.storage.mongo import Document

COLLECTION = "open311_requests"
INDEXES = (
    IndexSpec(COLLECTION, (("tracking_code", 1),)),
    IndexSpec(COLLECTION, (("app", 1), ("requested_at", 1))),
)


@dataclass(frozen=True)
class Open311Request:
    token: str
    app: str
    service_code: str
    requested_at: datetime
    case_id: str | None = None
    tracking_code: str | None = None


class TokenConflict(Exception):
    """The hub registered a token this gateway never handed out, or twice as different cases."""


class Open311Store:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._requests = db[COLLECTION]

    async def add(self, token: str, *, app: str, service_code: str, at: datetime) -> None:
        await self._requests.insert_one(
            {"_id": token, "app": app, "service_code": service_code, "requested_at": at}
        )

    async def forget(self, token: str) -> None:
        """Drop a request whose report never left (the broker refused it)."""
        await self._requests.delete_one({"_id": token, "case_id": {"$exists": False}})

    async def get(self, token: str) -> Open311Request | None:
        doc = await self._requests.find_one({"_id": token})
        return None if doc is None else _request(doc)

    async def registered(self, token: str, *, case_id: str, tracking_code: str) -> bool:
        """Record the hub's case for ``token``; False if it was already recorded (a redelivery)."""
        done = await self._requests.update_one(
            {"_id": token, "case_id": {"$exists": False}},
            {"$set": {"case_id": case_id, "tracking_code": tracking_code}},
        )
        if done.modified_count:
            return True
        held = await self.get(token)
        if held is None:
            raise TokenConflict(f"no Open311 request has the token {token!r}")
        if (held.case_id, held.tracking_code) != (case_id, tracking_code):
            raise TokenConflict(f"token {token!r} is case {held.case_id} already, not {case_id}")
        return False

    async def taken(
        self,
        app: str,
        *,
        service_codes: Sequence[str] = (),
        tracking_codes: Sequence[str] = (),
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
    ) -> list[Open311Request]:
        """An app's registered requests, newest first."""
        where: dict[str, Any] = {"app": app, "tracking_code": {"$exists": True}}
        if tracking_codes:
            where["tracking_code"] = {"$in": list(tracking_codes)}
        if service_codes:
            where["service_code"] = {"$in": list(service_codes)}
        window: dict[str, datetime] = {}
        if since is not None:
            window["$gte"] = since
        if until is not None:
            window["$lte"] = until
        if window:
            where["requested_at"] = window
        cursor = self._requests.find(where).sort("requested_at", -1).limit(limit)
        return [_request(doc) async for doc in cursor]


def _request(doc: Document) -> Open311Request:
    return Open311Request(
        token=doc["_id"],
        app=doc["app"],
        service_code=doc["service_code"],
        requested_at=doc["requested_at"],
        case_id=doc.get("case_id"),
        tracking_code=doc.get("tracking_code"),
    )
