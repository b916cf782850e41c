"""A throw-away pair of agencies (a hub and a grid, ids suffixed by the run) and the signed
case.transferred events the gateway's router is measured on. The gateway is loaded by name:
the platform library does not depend on the services built on it."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fengqiao.contracts import Envelope, new_envelope
from fengqiao.contracts.codes import Action, AgencyKind, Category, Level, Severity
from fengqiao.contracts.events import CaseTransferred, Location, Party
from fengqiao.security.signing import public_key_text, sign


def gateway(module: str) -> Any:
    """A module of the gateway service, e.g. ``exchange.router``."""
    return importlib.import_module(f"gateway.{module}")


def agencies(run: str) -> tuple[Any, dict[str, Ed25519PrivateKey]]:
    """A registry of ``hub-<run>`` (may send case.* to grids) and ``grid-<run>``, and their keys."""
    registry = gateway("domain.registry")
    keys = {f"hub-{run}": Ed25519PrivateKey.generate(), f"grid-{run}": Ed25519PrivateKey.generate()}
    hub = registry.Agency(
        id=f"hub-{run}",
        name_zh="综治中心",
        name_en="hub",
        kind=AgencyKind.HUB,
        level=Level.TOWN,
        public_key=public_key_text(keys[f"hub-{run}"]),
        sends=[registry.SendRight(type="case.*", to=[AgencyKind.GRID])],
        receives=["exchange.*"],
    )
    grid = registry.Agency(
        id=f"grid-{run}",
        name_zh="网格",
        name_en="grid",
        kind=AgencyKind.GRID,
        level=Level.GRID,
        public_key=public_key_text(keys[f"grid-{run}"]),
        receives=["case.*"],
    )
    return registry.Registry(version="bench", agencies=[hub, grid]), keys


def transfer(n: int, sender: str, recipient: str, key: Ed25519PrivateKey) -> Envelope:
    """The ``n``-th signed order (交办) from ``sender`` to ``recipient``."""
    now = datetime.now(UTC)
    data = CaseTransferred(
        case_id=f"c-{n % 1000}",
        assignment_id=f"a-{n}",
        category=Category.LAND_RURAL,
        severity=Severity.GENERAL,
        action=Action.MEDIATE,
        lead=True,
        title="承包地边界纠纷",
        summary="两户承包地边界不清，请调解。",
        location=Location(town="都斛镇", village="南村"),
        parties=[Party(name="张三", phone="13800138000"), Party(name="李四")],
        due_at=now + timedelta(days=7),
        accept_by=now + timedelta(days=1),
    )
    envelope = new_envelope(
        data, source=f"/agencies/{sender}", subject=data.case_id, recipient=recipient
    )
    return sign(envelope, key)
