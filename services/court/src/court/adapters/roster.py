"""The demo court's mediator roster (都斛人民法庭 调解员名册): who a fresh court starts with.

Invited mediators (特邀调解员) carry most pre-litigation mediations; the judge's assistant takes
fewer, beside the filing work. Their loads are not kept here: the store counts open mediations.
"""

from __future__ import annotations

import contextlib

from court.domain.mediators import Mediator, MediatorRole
from fengqiao.storage import ConcurrencyError, Repository

R = MediatorRole
DEMO_MEDIATORS: tuple[Mediator, ...] = (
    Mediator(id="mediator-tan", name="谭志强", role=R.INVITED, capacity=12),
    Mediator(id="mediator-huang", name="黄丽娟", role=R.INVITED, capacity=10),
    Mediator(id="mediator-chen", name="陈敏", role=R.JUDGE_ASSISTANT, capacity=5),
)


async def seed(
    mediators: Repository[Mediator], roster: tuple[Mediator, ...] = DEMO_MEDIATORS
) -> None:
    """Add the mediators not on the roster yet; one already there is left as it is."""
    for mediator in roster:
        if await mediators.find(mediator.id) is None:
            # Another replica seeding at the same moment added it first: that is the same one.
            with contextlib.suppress(ConcurrencyError):
                await mediators.add(mediator)
