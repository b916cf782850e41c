"""What the justice office's rules refuse. The API answers these with 4xx (the status each
family maps to is named below), the consumer with the DLQ; every refusal happens before
anything is changed."""

from __future__ import annotations

from fengqiao import workflow


class DomainError(Exception):
    """A command or event the justice office's rules do not allow."""


class NotFound(DomainError):
    """404: the thing named does not exist (a committee, a mediator, an agreement, an order)."""


class IllegalTransition(DomainError, workflow.IllegalTransition):
    """409: the mediation, application or registry is not in a state that allows this step."""


class InvalidRequest(DomainError):
    """422: the request contradicts itself or the record (e.g. a session dated in the future)."""


class TimeOutOfOrder(InvalidRequest, workflow.TimeOutOfOrder):
    """A step dated before the step it follows: the record would lie."""


class InvalidData(DomainError):
    """Seed or configuration data (committees, mediators, lawyers) that breaks its own rules.

    ``problems`` lists every fault found, not just the first, so a data fix takes one round.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid justice directory: " + "; ".join(problems))


class UnknownCommittee(NotFound):
    """No mediation committee (调委会) with that id or name."""


class UnknownMediator(NotFound):
    """No mediator (调解员) with that id in the pool."""


class UnknownLawyer(NotFound):
    """No legal-aid lawyer (援助律师) with that id."""


class AgreementNotFound(NotFound):
    """A confirmation request (or a document) for an agreement that does not exist."""


class UnknownOrder(NotFound):
    """An answer for an assignment that is not this mediation's confirmation order."""


class NoAdviser(NotFound):
    """No legal adviser (法律顾问) is registered for the village."""


class MediatorUnavailable(IllegalTransition):
    """The named mediator is inactive (停用), so cannot be assigned even by override."""


class LawyerUnavailable(IllegalTransition):
    """The named legal-aid lawyer is inactive, so cannot be assigned even by hand."""


class NoMediatorAvailable(IllegalTransition):
    """No active mediator with room left sits on the chosen committee: name one by override."""


class NoLawyerAvailable(IllegalTransition):
    """No active legal-aid lawyer with room left: name one by override."""


class AdviserAlreadyRegistered(IllegalTransition):
    """The village has an adviser already; replacing them needs an explicit ``replace``."""
