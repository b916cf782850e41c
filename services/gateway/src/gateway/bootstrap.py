"""The gateway's context (stores, keys, the edge's producer), built once per process from its
settings and runtime."""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from fengqiao.messaging import EventProducer
from fengqiao.runtime import Runtime
from fengqiao.security.signing import agency_signing_key, public_key_from_text
from fengqiao.settings import KafkaSettings
from gateway.adapters.open311_store import Open311Store
from gateway.adapters.registry_store import RegistryStore
from gateway.domain.registry import Agency
from gateway.settings import GatewaySettings


@dataclass
class Gateway:
    settings: GatewaySettings
    registry: RegistryStore
    agency: str  # the gateway's own agency id: it signs receipts and rejections as this
    signing_key: Ed25519PrivateKey
    kafka: KafkaSettings
    open311: Open311Store  # the citizens' requests this gateway took
    # Started by the app's lifespan; the HTTP edge produces through it.
    producer: EventProducer | None = None
    _enrolled: dict[str, Ed25519PublicKey] = field(default_factory=dict)  # by key text
    _local: dict[str, Ed25519PublicKey] = field(default_factory=dict)  # by agency id

    def key_of(self, agency: Agency) -> Ed25519PublicKey | None:
        """The agency's enrolled public key; in development, optionally its local key."""
        if agency.public_key is not None:
            # Parsed once per key, not once per event: the router asks for every record.
            if agency.public_key not in self._enrolled:
                self._enrolled[agency.public_key] = public_key_from_text(agency.public_key)
            return self._enrolled[agency.public_key]
        if not self.settings.trust_local_keys:
            return None
        if agency.id not in self._local:
            self._local[agency.id] = agency_signing_key(agency.id).public_key()
        return self._local[agency.id]


def gateway_of(runtime: Runtime) -> Gateway:
    gateway = runtime.state.get("gateway")
    if isinstance(gateway, Gateway):
        return gateway
    agency = runtime.settings.agency_id
    gateway = Gateway(
        settings=GatewaySettings(),
        registry=RegistryStore(runtime.db),
        agency=agency,
        signing_key=agency_signing_key(runtime.spec.name),
        kafka=runtime.infra.kafka,
        open311=Open311Store(runtime.db),
    )
    runtime.state["gateway"] = gateway
    return gateway
