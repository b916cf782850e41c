"""Async MongoDB access: one client per process, indexes at start, optimistic concurrency."""

from fengqiao.aggregate import Aggregate
from fengqiao.storage.conflicts import change, retry_on_conflict
from fengqiao.storage.errors import ConcurrencyError, NotFound
from fengqiao.storage.mongo import IndexSpec, connect, ensure_indexes, mongo_ping
from fengqiao.storage.paging import InvalidCursor, Page, newest_first
from fengqiao.storage.repository import Repository, repositories_of
from fengqiao.storage.sealing import (
    ApplicantSeal,
    PartySeal,
    applicant_seal,
    masked_party,
    party_seal,
)
from fengqiao.storage.sequence import Sequence

__all__ = [
    "Aggregate",
    "ApplicantSeal",
    "ConcurrencyError",
    "IndexSpec",
    "InvalidCursor",
    "NotFound",
    "Page",
    "PartySeal",
    "Repository",
    "Sequence",
    "applicant_seal",
    "change",
    "connect",
    "ensure_indexes",
    "masked_party",
    "mongo_ping",
    "newest_first",
    "party_seal",
    "repositories_of",
    "retry_on_conflict",
]
