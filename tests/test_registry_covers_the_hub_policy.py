"""The gateway's default registry and the hub's default rule table agree: every force the hub
dispatches or escalates to may receive its orders and answer them."""

from __future__ import annotations

from gateway.domain.loading import load_registry
from intake.domain.policy import default_policy


def test_the_default_registry_lets_the_hub_and_every_force_it_dispatches_to_talk() -> None:
    registry = load_registry()
    forces = {t.agency for r in default_policy().rules for t in (r.lead, *r.co)}
    forces |= set(default_policy().escalation_recipients)
    for force in sorted(forces):
        assert registry.check("intake", "case.transferred.v1", force) is None, force
        assert registry.check(force, "case.feedback.v1", "intake") is None, force
    assert registry.check("intake", "case.escalated.v1", "platform") is None
    assert registry.check("platform", "case.reported.v1", "intake") is None
    assert registry.check("justice", "case.feedback.v1", "police") is not None
