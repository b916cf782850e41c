"""The gateway's own settings (``FENGQIAO_GATEWAY_*``), beside the ones every service has."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from fengqiao.contracts import topics


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FENGQIAO_GATEWAY_", extra="ignore")

    registry_file: Path | None = Field(
        default=None, description="agency registry seed (YAML); default: the one shipped"
    )
    run_router: bool = Field(
        default=True,
        description=(
            "route here; exactly one gateway replica may (the audit chain has one writer), "
            "the others serve the HTTP edge and webhooks only"
        ),
    )
    transactional_id: str = Field(
        default="fengqiao-gateway-router",
        description="Kafka transactional id of the router; a restarted router keeps it",
    )
    router_group: str = Field(
        default="fengqiao-gateway-router", description="Kafka consumer group of the router"
    )
    route_pattern: str = Field(
        default=topics.OUTBOUND_PATTERN, description="regex of the `out` topics to route"
    )
    audit_topic: str = Field(default=topics.AUDIT, description="the audit chain's topic")
    max_event_bytes: int = Field(
        default=512 * 1024, gt=0, description="largest event data the exchange carries"
    )
    router_batch: int = Field(default=500, gt=0, description="events per routing transaction")
    trust_local_keys: bool = Field(
        default=False,
        description=(
            "development only: an agency without a public key in the registry is checked "
            "against the key in this machine's key directory"
        ),
    )
    token_ttl_s: int = Field(default=3600, gt=0, description="lifetime of an agency's token")
    hub_url: str = Field(
        default="http://127.0.0.1:8001", description="the hub's API, for citizens' tracking"
    )
    hub_agency: str = Field(default="intake", description="the hub's agency id")
    public_rate_per_minute: int = Field(
        default=60, gt=0, description="requests per minute per client on public endpoints"
    )
