"""Cases driven round the loop by people who do not give up: a window officer at the hub and
the grid workers on their phones, each reading where their case stands and doing the next step,
so a service that is down, restarting or answering 503 only delays them.

The loop is the bench's (registered → assessed → dispatched to the grid → accepted → feedback
→ verified → closed); every step is read back from the service before it is taken again, and
registration carries an Idempotency-Key, so a step whose answer was lost is never done twice."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from fengqiao_tools.bench.access import Staff
from fengqiao_tools.bench.loop import street_light


class Stuck(RuntimeError):
    """A case did not reach its end state in time; the message says where it stood."""


@dataclass
class Progress:
    closed: int = 0
    refused: list[str] = field(default_factory=list)  # answers that were neither 2xx nor 503


@dataclass
class CaseDriver:
    hub: httpx.AsyncClient
    grid: httpx.AsyncClient
    staff: Staff
    run_id: str
    deadline: float  # time.monotonic() by which every case must be closed
    poll_s: float = 0.25
    progress: Progress = field(default_factory=Progress)

    async def drive(self, n: int) -> dict[str, Any]:
        """Case ``n`` from registration to closure; returns it as the hub shows it closed."""
        case_id = await self._registered(n)
        status = None
        while True:
            case = await self._read(self.hub, f"/api/v1/cases/{case_id}", self.staff.hub)
            if case is not None:
                if (status := case["status"]) == "closed":
                    self.progress.closed += 1
                    return case
                await self._next_step(case)
            if time.monotonic() > self.deadline:
                raise Stuck(f"case {n} ({case_id}) stopped at {status}")
            await asyncio.sleep(self.poll_s)

    async def _registered(self, n: int) -> str:
        body = street_light(n, label="混沌")
        keyed = {**self.staff.hub, "Idempotency-Key": f"{self.run_id}-{n}"}
        while (created := await self._post(self.hub, "/api/v1/cases", body, keyed)) is None:
            if time.monotonic() > self.deadline:
                raise Stuck(f"case {n} was never registered")
            await asyncio.sleep(self.poll_s)
        return str(created["id"])

    async def _next_step(self, case: dict[str, Any]) -> None:
        path, hub = f"/api/v1/cases/{case['id']}", self.staff.hub
        match case["status"]:
            case "registered":
                await self._post(self.hub, f"{path}/assessment", {}, hub)
            case "assessed":
                await self._post(self.hub, f"{path}/dispatch", {}, hub)
            case "dispatched":
                for assignment in case["assignments"]:
                    await self._work_task(assignment["id"])
            case "awaiting_verification":
                await self._post(self.hub, f"{path}/verification", {"note": "核实无误"}, hub)
            case "verified":
                await self._post(self.hub, f"{path}/closure", {"summary": "混沌结案"}, hub)
            case other:
                raise Stuck(f"case {case['id']} went to {other}")

    async def _work_task(self, task_id: str) -> None:
        path = f"/api/v1/tasks/{task_id}"
        task = await self._read(self.grid, path, self.staff.grid_analyst)
        if task is None:
            return  # not delivered yet
        worker = self.staff.grid_worker(task["assignee"])
        if task["status"] == "assigned":
            await self._post(self.grid, f"{path}/acceptance", None, worker)
        elif task["status"] in ("accepted", "in_progress"):
            body = {"outcome": "resolved", "summary": "已现场核实，路灯已报修恢复。"}
            await self._post(self.grid, f"{path}/feedback", body, worker)

    async def _read(
        self, client: httpx.AsyncClient, path: str, auth: dict[str, str]
    ) -> dict[str, Any] | None:
        """The resource, or None while it does not exist yet or its service is away."""
        try:
            answer = await client.get(path, headers=auth)
        except httpx.HTTPError:
            return None
        if answer.status_code == 200:
            found: dict[str, Any] = answer.json()
            return found
        self._note(answer, expected=(404, 503))
        return None

    async def _post(
        self,
        client: httpx.AsyncClient,
        path: str,
        body: dict[str, Any] | None,
        auth: dict[str, str],
    ) -> dict[str, Any] | None:
        """The answer of a step, or None when it was not taken (then the state is read again:
        a 409 usually means the lost answer of an earlier try that did take it)."""
        try:
            answer = await client.post(path, json=body, headers=auth)
        except httpx.HTTPError:
            return None
        if answer.status_code in (200, 201):
            found: dict[str, Any] = answer.json()
            return found
        self._note(answer, expected=(409, 503))
        return None

    def _note(self, answer: httpx.Response, *, expected: tuple[int, ...]) -> None:
        if answer.status_code not in expected:
            request = answer.request
            self.progress.refused.append(
                f"{request.method} {request.url.path}: {answer.status_code} {answer.text[:200]}"
            )
