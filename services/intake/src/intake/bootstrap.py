"""Build the hub's dependencies once per process from its settings and runtime."""

from __future__ import annotations

from fengqiao.runtime import Runtime
from fengqiao.security import FieldCipher, service_secret
from intake.adapters.parties import PartyVault
from intake.adapters.store import EXTERNAL_REFS, TRACKING, CaseKeys, case_repository
from intake.domain.policy import load_policy
from intake.handlers import Hub
from intake.settings import HubSettings


def hub_of(runtime: Runtime) -> Hub:
    hub = runtime.state.get("hub")
    if isinstance(hub, Hub):
        return hub
    settings = HubSettings()
    name = runtime.spec.name
    hub = Hub(
        cases=case_repository(runtime.db),
        tracking=CaseKeys(runtime.db, TRACKING),
        external_refs=CaseKeys(runtime.db, EXTERNAL_REFS),
        vault=PartyVault(FieldCipher(service_secret(name, "field-key"))),
        policy=load_policy(settings.policy_file),
        agency=runtime.settings.agency_id,
        tracking_key=service_secret(name, "tracking-key"),
        settings=settings,
    )
    runtime.state["hub"] = hub
    return hub
