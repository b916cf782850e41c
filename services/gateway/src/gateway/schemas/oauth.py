"""The token endpoint's answer (RFC 6749 §5.1)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class TokenAnswer(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int
    scope: str
