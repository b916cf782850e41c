"""司法确认 commands: accept, return, review notes, and the ruling (confirm or refuse), each
ruling numbered 民特; every answer goes to the justice office that asked."""

from __future__ import annotations

from court.bootstrap import Tribunal
from court.domain import confirmation_steps as steps
from court.domain.case_numbers import CaseKind
from court.domain.confirmation import JudicialConfirmation
from court.domain.returns import ReturnReason
from court.handlers.matters import change, numbered, this_year
from fengqiao.contracts.orders import Notice

Confirmation = JudicialConfirmation


async def accept(
    tribunal: Tribunal, *, confirmation_id: str, by: str, judge_id: str
) -> Confirmation:
    """受理: the judge takes it on; the decision is due within the configured limit."""
    now = tribunal.clock()
    limit = tribunal.settings.decision_limit
    return await change(
        tribunal,
        tribunal.stores.confirmations,
        confirmation_id,
        lambda c: steps.accept(c, by=by, now=now, time_limit=limit, judge_id=judge_id),
    )


async def give_back(
    tribunal: Tribunal,
    *,
    confirmation_id: str,
    reason: ReturnReason,
    detail: str | None,
    by: str,
) -> Confirmation:
    """退回 (不予受理) to the justice office, before acceptance."""
    now = tribunal.clock()
    return await change(
        tribunal,
        tribunal.stores.confirmations,
        confirmation_id,
        lambda c: steps.return_request(c, reason=reason, by=by, now=now, detail=detail),
    )


async def review(tribunal: Tribunal, *, confirmation_id: str, note: str, by: str) -> Confirmation:
    """审查: a note of the review."""
    now = tribunal.clock()
    return await change(
        tribunal,
        tribunal.stores.confirmations,
        confirmation_id,
        lambda c: steps.review(c, note=note, by=by, now=now),
    )


async def confirm(tribunal: Tribunal, *, confirmation_id: str, by: str) -> Confirmation:
    """裁定确认有效: a 民特 ruling, sent to the justice office."""
    now = tribunal.clock()

    def step(confirmation: Confirmation, seq: int) -> list[Notice]:
        return steps.confirm(confirmation, seq=seq, by=by, now=now)

    repo = tribunal.stores.confirmations
    return await numbered(
        tribunal, repo, confirmation_id, CaseKind.CIVIL_SPECIAL, this_year(now), step
    )


async def refuse(tribunal: Tribunal, *, confirmation_id: str, reason: str, by: str) -> Confirmation:
    """裁定驳回: a 民特 ruling with the reason, sent to the justice office."""
    now = tribunal.clock()

    def step(confirmation: Confirmation, seq: int) -> list[Notice]:
        return steps.refuse(confirmation, reason=reason, seq=seq, by=by, now=now)

    repo = tribunal.stores.confirmations
    return await numbered(
        tribunal, repo, confirmation_id, CaseKind.CIVIL_SPECIAL, this_year(now), step
    )
