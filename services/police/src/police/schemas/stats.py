"""The station's response figures (到场率): arrivals inside their 1-3-5 circle."""

from __future__ import annotations

from pydantic import BaseModel, Field

from police.domain.response import CircleReport, CircleShare, ResponseLevel


class Share(BaseModel):
    counted: int
    inside: int
    share: float | None = Field(description="inside / counted; None when nothing was counted")


class ResponseStats(BaseModel):
    """到场率: arrivals inside their circle, per circle and overall (pending ones left out)."""

    by_level: dict[ResponseLevel, Share]
    overall: Share

    @classmethod
    def of(cls, report: CircleReport) -> ResponseStats:
        def share(s: CircleShare) -> Share:
            return Share(counted=s.counted, inside=s.inside, share=s.share)

        return cls(
            by_level={level: share(s) for level, s in report.by_level.items()},
            overall=share(report.overall),
        )
