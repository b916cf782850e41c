"""The hub's context — what every handler takes — built once per process from its settings and
runtime."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fengqiao.contracts.orders import Notice
from fengqiao.messaging import OutboxMessage, notices_out
from fengqiao.runtime import Runtime
from fengqiao.security import FieldCipher, service_secret
from fengqiao.storage import Repository
from intake.adapters.parties import PartyVault
from intake.adapters.store import EXTERNAL_REFS, TRACKING, CaseKeys, case_repository
from intake.domain.case import Case
from intake.domain.policy import Policy, load_policy
from intake.settings import HubSettings


@dataclass
class Hub:
    """What every handler needs: the store, the policy, the vault, the hub's agency id."""

    cases: Repository[Case]
    tracking: CaseKeys
    external_refs: CaseKeys
    vault: PartyVault
    policy: Policy
    agency: str
    tracking_key: bytes
    settings: HubSettings

    def outgoing(
        self, case: Case, notices: Sequence[Notice], cause: str | None
    ) -> list[OutboxMessage]:
        return notices_out(self.agency, notices, about=case.id, cause=cause)


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
