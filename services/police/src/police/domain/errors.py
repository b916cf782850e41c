"""What the station's rules refuse. The API answers these with 4xx, the consumer with the DLQ."""

from __future__ import annotations

from fengqiao import workflow


class DomainError(Exception):
    """A command or event the station's rules do not allow."""


class IllegalTransition(DomainError, workflow.IllegalTransition):
    """The incident (警情) or the unit (警力) is not in a state that allows this step."""


class TimeOutOfOrder(DomainError, workflow.TimeOutOfOrder):
    """A step dated before the step it follows: the response statistics would lie."""


class NoUnitAvailable(DomainError):
    """No unit can be sent: none is available, or the incident has no coordinates to match."""


class UnknownUnit(DomainError):
    """The dispatcher named a unit the roster does not have."""


class UnknownFollowUp(DomainError):
    """An answer for a grid follow-up the station never asked for."""
