"""Settings: one pattern for every service.

Infrastructure addresses are read from the standard, unprefixed variables so the same environment
serves every process (and the test fixtures); a service's own knobs carry its prefix,
``FENGQIAO_<SERVICE>_``.
"""

from __future__ import annotations

from typing import cast

from pydantic import Field, create_model
from pydantic_settings import BaseSettings, SettingsConfigDict


class InfraSettings(BaseSettings):
    """Where the broker and the document store are."""

    model_config = SettingsConfigDict(extra="ignore")

    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS"
    )
    mongodb_uri: str = Field(default="mongodb://127.0.0.1:27017", validation_alias="MONGODB_URI")


class ServiceSettings(BaseSettings):
    """A service's own settings; each service sets ``env_prefix`` to ``FENGQIAO_<NAME>_``."""

    model_config = SettingsConfigDict(extra="ignore")

    host: str = "127.0.0.1"
    port: int
    database: str
    agency_id: str
    readiness_timeout_s: float = 2.0


def service_settings(name: str, *, port: int) -> ServiceSettings:
    """Settings of service ``name`` from ``FENGQIAO_<NAME>_*``, defaulting to the catalogue."""

    prefixed = type(
        f"{name.title()}Env",
        (ServiceSettings,),
        {
            "model_config": SettingsConfigDict(
                env_prefix=f"FENGQIAO_{name.upper()}_", extra="ignore"
            )
        },
    )
    # Defaults go on the model, not into __init__: init arguments would outrank the environment.
    model: type[BaseSettings] = create_model(
        f"{name.title()}Settings",
        __base__=prefixed,
        port=(int, port),
        database=(str, f"fengqiao_{name}"),
        agency_id=(str, name),
    )
    return cast(ServiceSettings, model())
