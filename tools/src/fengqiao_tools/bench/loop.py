"""One case around the shortest real loop: registered at the hub (登记), assessed by the rule
table (category `other` → the grid handles it), dispatched (流转交办) through the gateway to
the grid service, accepted (签收) and answered (反馈) there through the grid's API by the worker
the duty rules chose, back through the gateway to the hub, verified (核查) and closed (结案)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from fengqiao_tools.bench.access import Staff

# Points inside the demo territory's village blocks (都斛镇), so cases spread over its grids.
POINTS = [(112.845 + 0.02 * i, lat) for i in range(9) for lat in (21.895, 21.925, 21.955)]
FORCE = "grid"


def street_light(n: int, *, label: str) -> dict[str, Any]:
    """Case ``n``'s registration: a broken street light, somewhere in the demo town, which the
    rule table gives to the grid alone."""
    lon, lat = POINTS[n % len(POINTS)]
    return {
        "channel": "walk_in",
        "category": "other",
        "title": f"{label} {n}: 路灯损坏",
        "description": "村道路灯损坏，夜间出行不便，请网格员核实处理。",
        "location": {"county": "440781", "town": "440781105", "lon": lon, "lat": lat},
    }


class LoopFailed(RuntimeError):
    """A case did not get round the loop; the message says where it stopped."""


@dataclass(frozen=True)
class CaseRun:
    """A closed case as the hub returned it, and what only the bench could see: when the hub
    was first seen holding the force's feedback, and the loop's ends on the bench's clock."""

    case: dict[str, Any]
    feedback_seen_at: datetime
    started: float
    finished: float


@dataclass
class Loop:
    hub: httpx.AsyncClient
    grid: httpx.AsyncClient
    staff: Staff
    poll_s: float = 0.05
    timeout_s: float = 120.0

    async def run(self, n: int) -> CaseRun:
        started = time.perf_counter()
        case_id = await self._registered(n)
        await self._step(self.hub, f"/api/v1/cases/{case_id}/assessment", {}, self.staff.hub)
        case = await self._step(self.hub, f"/api/v1/cases/{case_id}/dispatch", {}, self.staff.hub)
        forces = [a for a in case["assignments"] if a["agency"] == FORCE]
        if len(case["assignments"]) != 1 or not forces:
            raise LoopFailed(f"case {case_id} was not dispatched to the grid alone")
        await self._answered_by_grid(forces[0]["id"])
        await self._until(lambda: self._hub_holds_feedback(case_id), "the hub's feedback")
        seen = datetime.now(UTC)
        path = f"/api/v1/cases/{case_id}"
        await self._step(self.hub, f"{path}/verification", {"note": "核实无误"}, self.staff.hub)
        closed = await self._step(
            self.hub, f"{path}/closure", {"summary": "压测结案"}, self.staff.hub
        )
        return CaseRun(closed, seen, started, time.perf_counter())

    async def _registered(self, n: int) -> str:
        body = street_light(n, label="压测")
        created = await self._step(self.hub, "/api/v1/cases", body, self.staff.hub, status=201)
        return str(created["id"])

    async def _answered_by_grid(self, task_id: str) -> None:
        task = await self._until(lambda: self._task(task_id), f"grid task {task_id}")
        worker = self.staff.grid_worker(task["assignee"])
        path = f"/api/v1/tasks/{task_id}"
        await self._step(self.grid, f"{path}/acceptance", None, worker)
        body = {"outcome": "resolved", "summary": "已现场核实，路灯已报修恢复。"}
        await self._step(self.grid, f"{path}/feedback", body, worker)

    async def _task(self, task_id: str) -> dict[str, Any] | None:
        answer = await self.grid.get(f"/api/v1/tasks/{task_id}", headers=self.staff.grid_analyst)
        if answer.status_code == 404:
            return None
        return _json(answer, 200)

    async def _hub_holds_feedback(self, case_id: str) -> bool | None:
        answer = await self.hub.get(f"/api/v1/cases/{case_id}", headers=self.staff.hub)
        status = _json(answer, 200)["status"]
        if status in ("reassessment", "closed"):
            raise LoopFailed(f"case {case_id} became {status} while awaiting feedback")
        return True if status == "awaiting_verification" else None

    async def _until(self, probe: Callable[[], Awaitable[Any]], what: str) -> Any:
        deadline = time.monotonic() + self.timeout_s
        while (found := await probe()) is None:
            if time.monotonic() > deadline:
                raise LoopFailed(f"timed out after {self.timeout_s:.0f}s waiting for {what}")
            await asyncio.sleep(self.poll_s)
        return found

    async def _step(
        self,
        client: httpx.AsyncClient,
        path: str,
        body: dict[str, Any] | None,
        auth: dict[str, str],
        *,
        status: int = 200,
    ) -> dict[str, Any]:
        answer = await client.post(path, json=body, headers=auth)
        return _json(answer, status)


def _json(answer: httpx.Response, status: int) -> dict[str, Any]:
    if answer.status_code != status:
        raise LoopFailed(
            f"{answer.request.method} {answer.request.url.path}: "
            f"{answer.status_code} {answer.text[:300]}"
        )
    found: dict[str, Any] = answer.json()
    return found
