"""Telling an operator, in one line, that the broker refuses who this process says it is, or
what it asked to touch."""

from __future__ import annotations

import asyncio
import contextlib

from aiokafka.conn import create_conn
from aiokafka.errors import (
    ClusterAuthorizationFailedError,
    GroupAuthorizationFailedError,
    SaslAuthenticationFailed,
    TopicAuthorizationFailedError,
    TransactionalIdAuthorizationFailed,
)

from fengqiao.settings import KafkaSettings

DENIALS = (
    TopicAuthorizationFailedError,
    GroupAuthorizationFailedError,
    TransactionalIdAuthorizationFailed,
    ClusterAuthorizationFailedError,
)


async def refused_identity(kafka: KafkaSettings, timeout_s: float = 5.0) -> str | None:
    """Why the broker refuses this identity, naming the settings to fix; None when it accepts
    it, or cannot be reached now (that is a readiness matter, not a wrong setting)."""
    if not kafka.uses_sasl:
        return None
    host, _, port = kafka.bootstrap_servers.split(",")[0].strip().rpartition(":")
    args = kafka.client_args()
    del args["bootstrap_servers"]
    try:
        conn = await asyncio.wait_for(create_conn(host, int(port), **args), timeout_s)
    except SaslAuthenticationFailed:
        return (
            f"the Kafka broker at {kafka.bootstrap_servers} refuses user "
            f"{kafka.sasl_username!r} ({kafka.sasl_mechanism}): check KAFKA_SASL_USERNAME and "
            "KAFKA_SASL_PASSWORD / KAFKA_SASL_PASSWORD_FILE"
        )
    except Exception:
        return None
    with contextlib.suppress(Exception):
        conn.close()
    return None


def denial_line(error: Exception, kafka: KafkaSettings, what: str) -> str:
    """``error`` (one of DENIALS) as a sentence naming the principal and the resource."""
    kind = type(error).__name__.removesuffix("Error").removesuffix("AuthorizationFailed")
    resource = " ".join(str(arg) for arg in error.args) or "?"
    return (
        f"Kafka denies {kafka.principal} ({kind.lower()}: {resource}) for {what}; "
        "see `fengqiao kafka acls` for what this principal may do"
    )
