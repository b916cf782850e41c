"""What the procuratorate's rules refuse. The API answers these with 4xx, the consumer with a
return to the hub (``reason_code``) or the DLQ; every refusal happens before anything changes."""

from __future__ import annotations

from typing import ClassVar

from fengqiao import workflow


class DomainError(Exception):
    """A command or event the procuratorate's rules do not allow."""

    reason_code: ClassVar[str] = "procuratorate.refused"


class NotFound(DomainError):
    """No such case, hearing, application or suggestion (404)."""

    reason_code = "procuratorate.not_found"


class IllegalTransition(DomainError, workflow.IllegalTransition):
    """The case, hearing, application or suggestion is not in a state that allows the step (409)."""

    reason_code = "procuratorate.illegal_transition"


class NotAddressee(IllegalTransition):
    """An answer to a suggestion from an agency it was not issued to, or for another assignment."""

    reason_code = "procuratorate.not_addressee"


class InvalidRequest(DomainError):
    """The request itself breaks a rule, whatever the state (422)."""

    reason_code = "procuratorate.invalid_request"


class NotSupervisable(InvalidRequest):
    """A referral in a field the procuratorate does not supervise (e.g. a neighbour dispute)."""

    reason_code = "procuratorate.not_supervisable"


class UnsupportedAction(InvalidRequest):
    """The hub ordered an action the procuratorate does not take on referral (e.g. mediate)."""

    reason_code = "procuratorate.unsupported_action"


class HearingInPast(InvalidRequest):
    """公开听证 scheduled (or rescheduled) at a time that has already passed."""

    reason_code = "procuratorate.hearing_in_past"


class HearingNotYetHeld(InvalidRequest):
    """A hearing record before the hearing's scheduled time."""

    reason_code = "procuratorate.hearing_not_yet_held"


class BadPanel(InvalidRequest):
    """Too few hearing officers (听证员) or no presiding prosecutor (承办检察官)."""

    reason_code = "procuratorate.bad_panel"


class NoEligibleGround(InvalidRequest):
    """司法救助 granted with no eligibility ground ticked, or with an exclusion ticked."""

    reason_code = "procuratorate.no_eligible_ground"


class AidAboveCap(InvalidRequest):
    """司法救助 granted above the cap (36 months of the local average monthly wage)."""

    reason_code = "procuratorate.aid_above_cap"


class TimeOutOfOrder(InvalidRequest, workflow.TimeOutOfOrder):
    """A step dated before the step it follows: the record would lie."""

    reason_code = "procuratorate.time_out_of_order"
