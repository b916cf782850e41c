"""HTTP routes of the gateway service: translate requests to commands, nothing more."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["gateway"])
