"""The hub's window (综治中心) as its officer works it: register, assess, dispatch, verify,
close and follow up, through the hub's public API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from fengqiao_tools.demo.client import DemoError, call, service_url, staff, until
from fengqiao_tools.demo.result import Result

DUHU = {"city": "440700", "county": "440781", "town": "440781105"}


class Hub:
    """The hub's officer; every wait is bounded by ``timeout_s``."""

    def __init__(self, http: httpx.AsyncClient, timeout_s: float) -> None:
        self.http, self.timeout_s = http, timeout_s
        self.url = service_url("intake")
        self.auth = staff("intake", "officer", name="王窗口", subject="demo-officer")

    def cases(self, case_id: str, step: str = "") -> str:
        return f"{self.url}/api/v1/cases/{case_id}{step}"

    async def register(self, result: Result, body: dict[str, Any]) -> str:
        """登记 (首问负责): the case and its tracking code, and where to look at it."""
        created = await call(
            self.http, "POST", f"{self.url}/api/v1/cases", headers=self.auth, json=body
        )
        result.case_id, result.tracking_code = created["id"], created["tracking_code"]
        result.went("intake")
        result.end_state = "registered"
        code = created["tracking_code"]
        result.urls["hub case"] = self.cases(created["id"])
        result.urls["citizen"] = f"{service_url('gateway')}/track/{code}"
        result.urls["hub tracking"] = f"{self.url}/api/v1/track/{code}"
        return str(created["id"])

    async def route(self, case_id: str, override: dict[str, Any] | None = None) -> Any:
        """研判 (the rule table, or an officer's override) then 流转: the case as dispatched."""
        body = {} if override is None else {"override": override}
        await call(
            self.http, "POST", self.cases(case_id, "/assessment"), headers=self.auth, json=body
        )
        return await call(self.http, "POST", self.cases(case_id, "/dispatch"), headers=self.auth)

    async def case(self, case_id: str) -> Any:
        return await call(self.http, "GET", self.cases(case_id), headers=self.auth)

    async def case_when(self, case_id: str, ready: Callable[[Any], bool], what: str) -> Any:
        async def probe() -> Any:
            case = await self.case(case_id)
            return case if ready(case) else None

        return await until(probe, what, timeout_s=self.timeout_s)

    async def all_fed_back(self, case_id: str) -> Any:
        """Every force has reported back: the case waits for verification (待核查)."""
        return await self.case_when(
            case_id,
            lambda c: c["status"] == "awaiting_verification",
            f"every force's feedback on case {case_id}",
        )

    async def close(self, case_id: str, summary: str, *, satisfaction: int | None = None) -> Any:
        """核查 → 结案 (→ 回访 when ``satisfaction`` is given): the case at the end."""
        steps: list[tuple[str, dict[str, Any]]] = [
            ("/verification", {"note": "核查属实, 处置到位"}),
            ("/closure", {"summary": summary}),
        ]
        if satisfaction is not None:
            steps.append(("/follow-up", {"satisfaction": satisfaction, "comment": "群众表示满意"}))
        case = None
        for step, body in steps:
            case = await call(
                self.http, "POST", self.cases(case_id, step), headers=self.auth, json=body
            )
        return case


def assignment(case: Any, agency: str, action: str | None = None) -> Any:
    """The case's live assignment to ``agency`` (for ``action``), or DemoError."""
    for item in case["assignments"]:
        live = item["agency"] == agency and not item.get("superseded")
        if live and (action is None or item["action"] == action):
            return item
    planned = [(a["agency"], a["action"]) for a in case["assignments"]]
    raise DemoError(f"case {case['id']} has no assignment to {agency} {action or ''}: {planned}")


def forces(case: Any) -> list[str]:
    """The forces the case was dispatched to, lead first."""
    live = [a for a in case["assignments"] if not a.get("superseded")]
    return [a["agency"] for a in sorted(live, key=lambda a: not a["lead"])]


def end_state(case: Any) -> str:
    """How the table names where the case ended: its status and, once closed, the outcome."""
    closure = case.get("closure") or {}
    outcome = closure.get("outcome")
    return f"{case['status']} ({outcome})" if outcome else str(case["status"])
