"""Where the running services answer and the staff tokens the bench calls them with, minted
from the same keys `fengqiao token issue` uses (environment or FENGQIAO_HOME)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from fengqiao.catalog import spec_of
from fengqiao.security import issue_token, service_secret
from fengqiao.settings import service_settings

BENCH_USER = "bench"


def base_url(service: str) -> str:
    """The local address of ``service``, honouring FENGQIAO_<SERVICE>_PORT."""
    spec = spec_of(service)
    return f"http://127.0.0.1:{service_settings(spec.name, port=spec.port).port}"


def bearer(service: str, *, subject: str, name: str, roles: list[str]) -> dict[str, str]:
    """An Authorization header the service accepts for ``subject`` with ``roles``."""
    spec = spec_of(service)
    token = issue_token(
        secret=service_secret(service, "token-key"),
        agency=service_settings(spec.name, port=spec.port).agency_id,
        subject=subject,
        name=name,
        roles=roles,
        ttl=timedelta(hours=2),
    )
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Staff:
    """The hub officer (窗口) and grid staff the bench acts as; a grid worker's token is minted
    for whoever the duty rules gave the task to, since only the holder may accept it."""

    hub: dict[str, str] = field(
        default_factory=lambda: bearer("intake", subject=BENCH_USER, name="压测", roles=["officer"])
    )
    grid_analyst: dict[str, str] = field(
        default_factory=lambda: bearer("grid", subject=BENCH_USER, name="压测", roles=["analyst"])
    )
    _workers: dict[str, dict[str, str]] = field(default_factory=dict)

    def grid_worker(self, worker_id: str) -> dict[str, str]:
        if worker_id not in self._workers:
            self._workers[worker_id] = bearer(
                "grid", subject=worker_id, name=worker_id, roles=["grid_worker"]
            )
        return self._workers[worker_id]
