"""What the adapter's rules refuse. The API answers these with 4xx, the consumer with the DLQ;
every refusal happens before anything is changed."""

from __future__ import annotations


class DomainError(Exception):
    """A command or event the adapter's rules do not allow."""


class MappingInvalid(DomainError):
    """The mapping tables (映射表) break their own rules.

    ``problems`` lists every fault found, not just the first, so a data fix takes one round.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid platform mapping tables: " + "; ".join(problems))


class IllegalTransition(DomainError):
    """The sync record (同步记录) is not in a state that allows this step (409)."""


class InvalidRequest(DomainError):
    """A step whose data cannot be right, e.g. a hub status code we do not know (422)."""
