"""Who is who on the local broker: each principal's password in the machine's key directory.

A password is made once, like every other key (``$FENGQIAO_HOME/secrets``, mode 0600), and a
service started by ``fengqiao up`` is handed only its own file.
"""

from __future__ import annotations

import os
from pathlib import Path

from fengqiao.contracts.rights import ADMIN
from fengqiao.settings import KafkaSettings
from fengqiao_tools.infra.config import InfraConfig

# The broker's controller listener authenticates its own (PLAIN, a static user): SCRAM users
# live in the metadata the controller serves, so they cannot guard it.
CONTROLLER = "controller"


def password_file(cfg: InfraConfig, user: str) -> Path:
    return cfg.home / "secrets" / f"{user}-kafka-password.key"


def password(cfg: InfraConfig, user: str) -> str:
    # Imported here: the key module reads InfraConfig, and this package's __init__ reaches us.
    from fengqiao.security.secrets import read_or_create

    return read_or_create(password_file(cfg, user)).strip()


def local_kafka(cfg: InfraConfig, user: str = ADMIN) -> KafkaSettings:
    """The local broker as ``user`` sees it (its password file made if missing)."""
    password(cfg, user)
    return KafkaSettings(
        bootstrap_servers=cfg.kafka_bootstrap,
        security_protocol="SASL_PLAINTEXT",
        sasl_username=user,
        sasl_password_file=password_file(cfg, user),
    )


def named_in_environment() -> bool:
    """Whether ``KAFKA_*`` variables name a broker (then they win over the local one)."""
    return any(name in os.environ for name in ("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SASL_USERNAME"))


def operator_kafka(cfg: InfraConfig | None = None) -> KafkaSettings:
    """The identity of the CLI's tools: ``KAFKA_*`` when set, else the local broker's admin."""
    if named_in_environment():
        return KafkaSettings()
    return local_kafka(cfg or InfraConfig())
