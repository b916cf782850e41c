"""Real Kafka and a real MongoDB-protocol server on a machine without Docker.

Kafka runs from the Maven Central jars; FerretDB (SQLite backend) is built with the Go toolchain.
Both are fetched once into the user cache dir and reused; data, logs and pid files live in the
state dir (``FENGQIAO_HOME``).
"""

from fengqiao_tools.infra.errors import InfraError
from fengqiao_tools.infra.stack import InfraStatus, infra_down, infra_status, infra_up

__all__ = ["InfraError", "InfraStatus", "infra_down", "infra_status", "infra_up"]
