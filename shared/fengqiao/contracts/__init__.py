"""Event contracts: the CloudEvents envelope, the registry of event types, code lists, topics."""

from fengqiao.contracts import events as _events  # noqa: F401  registers the event types
from fengqiao.contracts.envelope import ContractError, Envelope, RejectReason, new_envelope
from fengqiao.contracts.registry import REGISTRY, EventData

__all__ = ["REGISTRY", "ContractError", "Envelope", "EventData", "RejectReason", "new_envelope"]
