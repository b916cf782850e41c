"""一村一法律顾问: every village (村/社区) has one legal adviser, a lawyer who answers villagers'
questions, reviews village rules and contracts, and joins mediations there.

One adviser per village: registering a second for the same village is refused unless the
caller says it replaces the first (换聘), so a slip of the village code cannot silently unseat
someone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from justice.domain.errors import AdviserAlreadyRegistered, NoAdviser


class LegalAdviser(BaseModel):
    """村(居)法律顾问: the adviser serving ``village`` (its 12-digit administrative code)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    village: str = Field(pattern=r"^[0-9]{12}$")
    village_name: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=100)
    firm: str = Field(min_length=1, max_length=100)
    phone: str | None = Field(default=None, max_length=40)
    since: date | None = Field(default=None, description="start of the engagement (聘任)")


def register(
    current: LegalAdviser | None, adviser: LegalAdviser, *, replace: bool = False
) -> LegalAdviser:
    """聘任法律顾问: the adviser to keep for the village, given the one it has now (if any)."""
    if current is not None and current.village != adviser.village:
        raise ValueError(f"current adviser serves {current.village}, not {adviser.village}")
    if current is not None and current != adviser and not replace:
        raise AdviserAlreadyRegistered(
            f"village {adviser.village} ({current.village_name}) already has {current.name} "
            f"of {current.firm}; pass replace to appoint {adviser.name} instead"
        )
    return adviser


class AdviserRegistry:
    """法律顾问名册: advisers keyed by village code."""

    def __init__(self, advisers: Iterable[LegalAdviser] = ()) -> None:
        self._by_village: dict[str, LegalAdviser] = {}
        for adviser in advisers:
            self.register(adviser)

    def register(self, adviser: LegalAdviser, *, replace: bool = False) -> LegalAdviser:
        """聘任: add the adviser; a second for the same village only with ``replace``."""
        kept = register(self._by_village.get(adviser.village), adviser, replace=replace)
        self._by_village[adviser.village] = kept
        return kept

    def of(self, village: str) -> LegalAdviser:
        """查询: the village's adviser, or NoAdviser."""
        try:
            return self._by_village[village]
        except KeyError:
            raise NoAdviser(f"no legal adviser is registered for village {village}") from None

    def find(self, village: str) -> LegalAdviser | None:
        return self._by_village.get(village)

    def __len__(self) -> int:
        return len(self._by_village)

    def __iter__(self) -> Iterator[LegalAdviser]:
        return iter(sorted(self._by_village.values(), key=lambda a: a.village))
