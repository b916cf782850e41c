"""Who sent an inbound event, and the id the court gives the matter an order becomes."""

from __future__ import annotations

import hashlib

from fengqiao.contracts import Envelope


def sender(envelope: Envelope) -> str:
    """The agency id at the end of the CloudEvents source, ``/agencies/<id>``."""
    return envelope.source.rstrip("/").rsplit("/", 1)[-1]


def transfer_id(agency: str, assignment_id: str) -> str:
    """One order, one matter: redeliveries and resends land on the same id."""
    return hashlib.sha256(f"{agency}\n{assignment_id}".encode()).hexdigest()[:20]
