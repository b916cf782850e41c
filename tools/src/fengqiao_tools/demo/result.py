"""What one scenario came to (演示结果): its case, the forces it went through, its end state."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Result:
    """A scenario's record, filled in as it plays, so a failure still shows how far it got."""

    key: str
    title: str
    expected: str
    case_id: str | None = None
    tracking_code: str | None = None
    path: list[str] = field(default_factory=list)
    end_state: str = "not started"
    urls: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.end_state == self.expected

    def went(self, *forces: str) -> None:
        """The path (流转路径): each force in the order the matter reached it."""
        for force in forces:
            if not self.path or self.path[-1] != force:
                self.path.append(force)

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}
