"""Settings: one pattern for every service.

Infrastructure addresses are read from the standard, unprefixed variables so the same environment
serves every process (and the test fixtures); a service's own knobs carry its prefix,
``FENGQIAO_<SERVICE>_``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, cast

from aiokafka.helpers import create_ssl_context
from platformdirs import user_state_dir
from pydantic import Field, SecretStr, create_model, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SecurityProtocol = Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL", "SSL"]
SaslMechanism = Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]


def fengqiao_home() -> Path:
    """Where this machine keeps Fengqiao's state: ``FENGQIAO_HOME``, or the user's state
    directory. Keys live in its ``secrets/`` (an image sets it to its key volume)."""
    configured = os.environ.get("FENGQIAO_HOME")
    return Path(configured) if configured else Path(user_state_dir("fengqiao"))


class KafkaSettings(BaseSettings):
    """How this process reaches the broker and who it is there (``KAFKA_*``).

    Each agency's service authenticates as its own principal, ``User:<KAFKA_SASL_USERNAME>``
    (the agency id), and the broker lets it write only its ``out`` topic and read only its
    ``in`` topic. The password may come from a file (a mounted secret) instead of the variable.
    """

    model_config = SettingsConfigDict(env_prefix="KAFKA_", extra="ignore", frozen=True)

    bootstrap_servers: str = "127.0.0.1:9092"
    security_protocol: SecurityProtocol = "PLAINTEXT"
    sasl_mechanism: SaslMechanism = "SCRAM-SHA-512"
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    sasl_password_file: Path | None = None
    ssl_cafile: Path | None = None
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None

    @model_validator(mode="after")
    def _complete(self) -> KafkaSettings:
        if self.uses_sasl:
            if not self.sasl_username:
                raise ValueError(
                    f"KAFKA_SASL_USERNAME is not set; KAFKA_SECURITY_PROTOCOL="
                    f"{self.security_protocol} needs the agency's Kafka user name"
                )
            if self.sasl_password is None and self.sasl_password_file is None:
                raise ValueError(
                    "KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE) is not set; "
                    f"KAFKA_SECURITY_PROTOCOL={self.security_protocol} needs the password of "
                    f"Kafka user {self.sasl_username!r}"
                )
            self.password()  # a missing or empty password file is named now, not at connect
        if (self.ssl_certfile is None) != (self.ssl_keyfile is None):
            raise ValueError("set KAFKA_SSL_CERTFILE and KAFKA_SSL_KEYFILE together, or neither")
        return self

    @property
    def uses_sasl(self) -> bool:
        return self.security_protocol.startswith("SASL_")

    @property
    def uses_tls(self) -> bool:
        return self.security_protocol in ("SSL", "SASL_SSL")

    @property
    def principal(self) -> str:
        """The broker's name for this process (``User:ANONYMOUS`` without SASL)."""
        return f"User:{self.sasl_username if self.uses_sasl else 'ANONYMOUS'}"

    def password(self) -> str | None:
        if self.sasl_password is not None:
            return self.sasl_password.get_secret_value()
        if self.sasl_password_file is None:
            return None
        try:
            text = self.sasl_password_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ValueError(
                f"KAFKA_SASL_PASSWORD_FILE={self.sasl_password_file} cannot be read: "
                f"{error.strerror}"
            ) from None
        if not text:
            raise ValueError(f"KAFKA_SASL_PASSWORD_FILE={self.sasl_password_file} is empty")
        return text

    def client_args(self) -> dict[str, Any]:
        """Keyword arguments for any aiokafka client (producer, consumer, admin, client)."""
        args: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap_servers,
            "security_protocol": self.security_protocol,
        }
        if self.uses_sasl:
            args |= {
                "sasl_mechanism": self.sasl_mechanism,
                "sasl_plain_username": self.sasl_username,
                "sasl_plain_password": self.password(),
            }
        if self.uses_tls:
            args["ssl_context"] = create_ssl_context(
                cafile=_text(self.ssl_cafile),
                certfile=_text(self.ssl_certfile),
                keyfile=_text(self.ssl_keyfile),
            )
        return args

    def as_env(self) -> dict[str, str]:
        """The ``KAFKA_*`` variables that make another process connect as this one does."""
        env = {
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap_servers,
            "KAFKA_SECURITY_PROTOCOL": self.security_protocol,
        }
        if self.uses_sasl:
            env["KAFKA_SASL_MECHANISM"] = self.sasl_mechanism
            env["KAFKA_SASL_USERNAME"] = self.sasl_username or ""
            if self.sasl_password_file is not None and self.sasl_password is None:
                env["KAFKA_SASL_PASSWORD_FILE"] = str(self.sasl_password_file)
            else:
                env["KAFKA_SASL_PASSWORD"] = self.password() or ""
        for name in ("ssl_cafile", "ssl_certfile", "ssl_keyfile"):
            value = getattr(self, name)
            if value is not None:
                env[f"KAFKA_{name.upper()}"] = str(value)
        return env

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> KafkaSettings:
        """The settings another process's ``KAFKA_*`` variables give (see ``as_env``)."""
        prefix = "KAFKA_"
        given = {k[len(prefix) :].lower(): v for k, v in env.items() if k.startswith(prefix)}
        return cls.model_validate(given)

    def as_user(self, username: str, password: str) -> KafkaSettings:
        """The same broker, reached as another SASL user (tools and tests act as agencies)."""
        protocol = self.security_protocol if self.uses_sasl else "SASL_PLAINTEXT"
        return self.model_copy(
            update={
                "security_protocol": protocol,
                "sasl_username": username,
                "sasl_password": SecretStr(password),
                "sasl_password_file": None,
            }
        )


def _text(path: Path | None) -> str | None:
    return None if path is None else str(path)


class InfraSettings(BaseSettings):
    """Where the broker and the document store are, and who this process is on the broker."""

    model_config = SettingsConfigDict(extra="ignore")

    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    mongodb_uri: str = Field(default="mongodb://127.0.0.1:27017", validation_alias="MONGODB_URI")


class TopicSettings(BaseSettings):
    """How the exchange's topics are created (``FENGQIAO_TOPICS_*``): a developer machine has
    one broker; a production cluster sets three replicas and two in sync."""

    model_config = SettingsConfigDict(env_prefix="FENGQIAO_TOPICS_", extra="ignore")

    partitions: int = Field(default=3, ge=1)
    replication_factor: int = Field(default=1, ge=1)
    min_insync_replicas: int = Field(default=1, ge=1)
    retention_ms: int = Field(default=7 * 24 * 3600 * 1000, description="-1 keeps for ever")
    dlq_retention_ms: int = Field(default=30 * 24 * 3600 * 1000)


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
