"""Async MongoDB access: one client per process, indexes at start, optimistic concurrency."""

from fengqiao.aggregate import Aggregate
from fengqiao.storage.errors import ConcurrencyError, NotFound
from fengqiao.storage.mongo import IndexSpec, connect, ensure_indexes, mongo_ping
from fengqiao.storage.repository import Repository

__all__ = [
    "Aggregate",
    "ConcurrencyError",
    "IndexSpec",
    "NotFound",
    "Repository",
    "connect",
    "ensure_indexes",
    "mongo_ping",
]
