"""The MongoDB client and index management (works on MongoDB and on FerretDB alike)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from pymongo import AsyncMongoClient, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

Document = dict[str, Any]


def connect(uri: str, *, timeout_s: float = 5.0) -> AsyncMongoClient[Document]:
    """A client that fails fast when the server is away rather than hanging a request."""
    return AsyncMongoClient(
        uri,
        serverSelectionTimeoutMS=int(timeout_s * 1000),
        connectTimeoutMS=int(timeout_s * 1000),
        tz_aware=True,
    )


def to_bson(value: Any) -> Any:
    """Values pydantic hands over that BSON cannot store, as ones it can."""
    if isinstance(value, dict):
        return {k: to_bson(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_bson(v) for v in value]
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):  # BSON has dates only with a time of day
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, UUID | Decimal | Path):
        return str(value)
    return value


async def mongo_ping(client: AsyncMongoClient[Document]) -> None:
    await client.admin.command("ping")


@dataclass(frozen=True)
class IndexSpec:
    collection: str
    keys: tuple[tuple[str, int], ...]
    unique: bool = False
    name: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def model(self) -> IndexModel:
        name = self.name or "_".join(f"{k}_{d}" for k, d in self.keys)
        return IndexModel(list(self.keys), unique=self.unique, name=name, **self.options)


async def ensure_indexes(db: AsyncDatabase[Document], specs: Iterable[IndexSpec]) -> None:
    """Create every index a service needs; creating an existing index is a no-op.

    One index per command: FerretDB 1.24 drops the connection when a single createIndexes
    re-creates several existing indexes (seen in test_indexes_and_logs).
    """
    for spec in specs:
        await db[spec.collection].create_indexes([spec.model()])
