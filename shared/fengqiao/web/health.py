"""Liveness (the process answers) and readiness (its broker and its store answer)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from fengqiao.runtime import Runtime
from fengqiao.web.problems import MEDIA_TYPE, problem_response

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Kafka and MongoDB are reachable",
    responses={503: {"description": "a dependency is down", "content": {MEDIA_TYPE: {}}}},
)
async def readyz(request: Request) -> Any:
    runtime: Runtime = request.app.state.runtime
    checks = await runtime.check_dependencies()
    down = {name: reason for name, reason in checks.items() if reason is not None}
    if down:
        detail = "; ".join(f"{name}: {reason}" for name, reason in down.items())
        return problem_response(
            503, f"not ready, down: {detail}", title="Service Unavailable", down=sorted(down)
        )
    return JSONResponse({"status": "ready", "checks": {name: "ok" for name in checks}})
