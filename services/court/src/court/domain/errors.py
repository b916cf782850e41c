"""What the court's rules refuse. The API answers these with 4xx (404, 409, 422), the consumer
with a return to the sender or the DLQ; every refusal happens before anything is changed."""

from __future__ import annotations

from fengqiao import workflow


class DomainError(Exception):
    """A command or event the court's rules do not allow."""


class NotFound(DomainError):
    """404: the step names something the court does not have."""


class UnknownMediator(NotFound):
    """A mediator id that is not on the roster (调解员名册)."""


class UnknownAssignment(NotFound):
    """An answer for an assignment, or from a sender, the suggestion was never sent to."""


class IllegalTransition(DomainError, workflow.IllegalTransition):
    """409: the matter is not in a state that allows this step."""


class MediatorUnavailable(IllegalTransition):
    """The named mediator is inactive (停用): they take no new cases."""


class NoMediatorAvailable(IllegalTransition):
    """No active mediator has room: name one to override the capacity, or add one."""


class InvalidRequest(DomainError):
    """422: the request itself is wrong, whatever the state (a blank reason, a bad number)."""


class TimeOutOfOrder(InvalidRequest, workflow.TimeOutOfOrder):
    """A step dated before the step it follows: the time limits would lie."""


class UnsupportedAction(InvalidRequest):
    """An order asks for an action this workflow does not do (e.g. a hearing)."""


class IncompleteAgreement(InvalidRequest):
    """A confirmation request without an agreement to confirm: return it (退回) instead."""
