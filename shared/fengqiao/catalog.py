"""The eight services of the platform: the hub, the six forces' services and the gateway."""

from __future__ import annotations

from dataclasses import dataclass

# Every service signs what it sends and checks its staff's tokens.
_EVERY = ("signing-key", "token-key")
_PARTIES = (*_EVERY, "field-key")  # it keeps parties' personal data, sealed


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    package: str
    port: int
    zh: str
    en: str
    # The purposes of its 32-byte keys: FENGQIAO_<NAME>_<PURPOSE> or a file in the key dir.
    keys: tuple[str, ...] = _PARTIES


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        "gateway",
        "gateway",
        8000,
        "交换网关",
        "exchange gateway",
        keys=(*_EVERY, "agency-token-key", "client-key", "webhook-key", "open311-key"),
    ),
    ServiceSpec(
        "intake",
        "intake",
        8001,
        "综治中心",
        "hub (comprehensive-governance center)",
        keys=(*_PARTIES, "tracking-key"),
    ),
    ServiceSpec("grid", "grid", 8002, "综合网格", "grid"),
    ServiceSpec("court", "court", 8003, "人民法院", "court"),
    ServiceSpec("procuratorate", "procuratorate", 8004, "人民检察院", "procuratorate"),
    ServiceSpec("police", "police", 8005, "公安派出所", "police station", keys=_EVERY),
    ServiceSpec("justice", "justice", 8006, "司法所", "justice office"),
    # `platform` would shadow the standard library module of that name, hence the suffix.
    ServiceSpec(
        "platform", "platform_adapter", 8007, "粤平安平台适配", "Yue-Pingan platform adapter"
    ),
)

BY_NAME: dict[str, ServiceSpec] = {spec.name: spec for spec in SERVICES}


def spec_of(name: str) -> ServiceSpec:
    try:
        return BY_NAME[name]
    except KeyError:
        known = ", ".join(BY_NAME)
        raise KeyError(f"unknown service {name!r}; known services: {known}") from None
