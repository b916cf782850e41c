"""The "N" (部门) without a service of their own, acting through the gateway's HTTP edge: an
OAuth2 client-credentials token, orders pulled from their in-topic, answers posted as signed
CloudEvents ("基层发令，部门执行")."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import httpx

from fengqiao.contracts import new_envelope
from fengqiao.contracts.codes import Outcome
from fengqiao.contracts.events import CaseTransferred
from fengqiao.contracts.orders import Order
from fengqiao.security.signing import agency_signing_key, sign
from fengqiao_tools.demo.client import call, service_url, staff, until

ORDER = "case.transferred.v1"
CE_BATCH = "application/cloudevents-batch+json"


class Department:
    """One department's desk: it reads its whole in-topic once, then only what is new."""

    def __init__(self, http: httpx.AsyncClient, agency: str, timeout_s: float) -> None:
        self.http, self.agency, self.timeout_s = http, agency, timeout_s
        self.gateway = service_url("gateway")
        self._bearer: dict[str, str] | None = None
        self._cursor: str | None = None
        self._orders: dict[str, list[dict[str, Any]]] = {}  # by the sender's case id
        self._lock = asyncio.Lock()

    async def bearer(self) -> dict[str, str]:
        """The department's token to pull and send: it is put on pull delivery (as `fengqiao
        agency add` would), its client secret read from the admin API (as `fengqiao agency
        credentials` does) and exchanged at /oauth/token."""
        if self._bearer is None:
            admin = staff("gateway", "admin", name="演示 管理员", subject="fengqiao-demo")
            entry_url = f"{self.gateway}/api/v1/agencies/{self.agency}"
            entry = await call(self.http, "GET", entry_url, headers=admin)
            if entry.get("delivery") != "pull":
                pulled = {**entry, "delivery": "pull"}
                await call(self.http, "PUT", entry_url, headers=admin, json=pulled)
            found = await call(self.http, "POST", f"{entry_url}/credentials", headers=admin)
            form = {
                "grant_type": "client_credentials",
                "client_id": found["client_id"],
                "client_secret": found["client_secret"],
            }

            async def granted() -> Any:
                grant = await call(self.http, "POST", f"{self.gateway}/oauth/token", data=form)
                return grant if "events:read" in grant.get("scope", "").split() else None

            grant = await until(
                granted, f"a pull token for {self.agency}", timeout_s=self.timeout_s, every_s=1
            )
            self._bearer = {"Authorization": f"Bearer {grant['access_token']}"}
        return self._bearer

    async def order_for(self, case_id: str) -> dict[str, Any]:
        """The order (交办) about ``case_id`` this department was sent, once it arrives."""

        async def probe() -> dict[str, Any] | None:
            async with self._lock:
                await self._pull()
            orders = self._orders.get(case_id)
            return orders[0] if orders else None

        return await until(
            probe, f"{self.agency}'s order about case {case_id}", timeout_s=self.timeout_s
        )

    async def _pull(self) -> None:
        while True:
            params: dict[str, Any] = {"limit": 500}
            if self._cursor is not None:
                params["after"] = self._cursor
            page = await call(
                self.http,
                "GET",
                f"{self.gateway}/api/v1/events",
                headers=await self.bearer(),
                params=params,
            )
            self._cursor = page["next"]
            for event in page["events"]:
                if event["type"] == ORDER:
                    self._orders.setdefault(event["data"]["case_id"], []).append(event)
            if not page["events"]:
                return

    async def answer(
        self,
        event: dict[str, Any],
        *,
        handler: str,
        progress: str,
        summary: str,
        outcome: Outcome = Outcome.RESOLVED,
    ) -> None:
        """签收, 进展 and 反馈 to the order's sender, signed with the department's key."""
        sender = str(event["source"]).rsplit("/", 1)[-1]
        order = Order.of(CaseTransferred.model_validate(event["data"]), sender=sender)
        now = datetime.now(UTC)
        notices = [
            order.accepted(handler=handler, at=now),
            order.progressed(note=progress, at=now),
            order.feedback(outcome=outcome, summary=summary, at=now),
        ]
        key = agency_signing_key(self.agency)
        batch = []
        for notice in notices:
            envelope = new_envelope(
                notice.data,
                source=f"/agencies/{self.agency}",
                subject=order.case_id,
                recipient=notice.recipient,
                correlationid=event.get("correlationid") or event["id"],
                causationid=event["id"],
            )
            batch.append(sign(envelope, key).model_dump(mode="json", exclude_none=True))
        body = json.dumps(batch, ensure_ascii=False).encode()
        headers = {**await self.bearer(), "Content-Type": CE_BATCH}
        await call(
            self.http, "POST", f"{self.gateway}/api/v1/events", headers=headers, content=body
        )


class Departments:
    """One desk per department, shared by the scenarios that run at the same time."""

    def __init__(self, http: httpx.AsyncClient, timeout_s: float) -> None:
        self.http, self.timeout_s = http, timeout_s
        self._desks: dict[str, Department] = {}

    def __getitem__(self, agency: str) -> Department:
        if agency not in self._desks:
            self._desks[agency] = Department(self.http, agency, self.timeout_s)
        return self._desks[agency]
