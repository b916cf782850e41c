"""HTTP routes of the justice service: translate requests to commands, nothing more."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["justice"])
