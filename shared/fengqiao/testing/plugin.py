"""pytest plugin (entry point ``pytest11``): real Kafka and MongoDB fixtures for every package."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio
from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.settings import KafkaSettings
from fengqiao.storage import connect
from fengqiao.storage.mongo import Document
from fengqiao.testing.servers import Servers, real_servers


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "integration: needs the real Kafka broker and MongoDB-protocol server"
    )
    config.addinivalue_line("markers", "chaos: the long chaos run (deselect with -m 'not chaos')")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the real servers (through any fixture) is an integration test: marked
    so, whether or not its module says it (``-m "not integration"`` runs the pure ones)."""
    for item in items:
        if "servers" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def servers() -> Iterator[Servers]:
    """The real broker and document store for this test session."""
    with real_servers() as found:
        yield found


@pytest.fixture(scope="session")
def kafka(servers: Servers) -> KafkaSettings:
    """The broker, reached as its super user (tests play every agency in one process)."""
    return servers.kafka


@pytest.fixture(scope="session")
def mongodb_uri(servers: Servers) -> str:
    return servers.mongodb_uri


@pytest_asyncio.fixture(loop_scope="session")
async def mongo_db(mongodb_uri: str) -> AsyncIterator[AsyncDatabase[Document]]:
    """A fresh database of its own for one test, dropped afterwards."""
    client = connect(mongodb_uri)
    name = f"test_{uuid.uuid4().hex[:12]}"
    try:
        yield client[name]
    finally:
        await client.drop_database(name)
        await client.close()


@pytest.fixture
def topic_name() -> str:
    """A topic no other test uses."""
    return f"test.{uuid.uuid4().hex[:12]}"
