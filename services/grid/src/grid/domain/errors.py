"""What the grid's rules refuse. The API answers these with 4xx, the consumer with a return to
the hub or the DLQ; every refusal happens before anything is changed."""

from __future__ import annotations


class DomainError(Exception):
    """A command or event the grid's rules do not allow."""


class InvalidData(DomainError):
    """Seed or configuration data (territory, roster) that breaks its own rules.

    ``problems`` lists every fault found, not just the first, so a data fix takes one round.
    """

    def __init__(self, what: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{what}: " + "; ".join(problems))


class TerritoryInvalid(InvalidData):
    """The territory (辖区) data is inconsistent: a duplicate code, an orphan, a broken polygon."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid territory", problems)


class RosterInvalid(InvalidData):
    """The roster (网格员名册) does not fit the territory: a grid without a worker, a bad pair."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid roster", problems)


class UnknownUnit(DomainError):
    """An administrative code that is not in the territory."""


class OutsideTerritory(DomainError):
    """A location in no grid of the territory (e.g. at sea, or in another town)."""


class UnknownWorker(DomainError):
    """A worker id that is not on the roster."""


class IllegalTransition(DomainError):
    """The task or the report is not in a state that allows this step."""


class AlreadyAccepted(IllegalTransition):
    """签收 twice: the task was accepted already (by this or another worker)."""


class NotAssignee(DomainError):
    """The worker acting on a task or report is not the one it is assigned to."""


class UnsupportedAction(DomainError):
    """The hub ordered an action the grid does not do (e.g. a hearing): returned to the hub."""
