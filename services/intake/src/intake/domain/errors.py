"""What the case's rules refuse. The API answers these with 4xx, the consumer with the DLQ."""

from __future__ import annotations


class DomainError(Exception):
    """A command or event the case's rules do not allow."""


class IllegalTransition(DomainError):
    """The case or the assignment is not in a state that allows this step."""


class UnknownAssignment(DomainError):
    """An event names an assignment this case does not have."""


class NoRuleMatched(DomainError):
    """No assessment rule covers the case and the officer gave no plan."""
