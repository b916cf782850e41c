"""`fengqiao agency` against a real gateway served on a port, as an operator runs it: entries
added from a file or options, listed, disabled (the router then refuses the agency's events) and
enabled again, and client credentials issued and rotated."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
import yaml
from aiokafka.admin import AIOKafkaAdminClient
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fengqiao_tools.cli.main import app
from typer.testing import CliRunner, Result

from fengqiao.contracts.codes import AgencyKind
from fengqiao.contracts.rights import agency_rights
from fengqiao.messaging import EventProducer
from fengqiao.messaging.admin import describe_acls
from fengqiao.security import clear_secret_cache
from fengqiao.security.signing import public_key_text
from fengqiao.settings import KafkaSettings
from fengqiao.testing import until
from gateway.adapters.credentials import webhook_secret
from gatewaykit import Exchange, Inboxes, private_key_text, publish, serving
from samples import sample

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="session")]


@dataclass
class Served:
    url: str
    exchange: Exchange
    api: httpx.AsyncClient  # the admin API, to check what the CLI did
    kafka: KafkaSettings

    async def cli(self, *args: str) -> Result:
        # In a thread: the CLI is synchronous and the gateway serves on this loop.
        runner = CliRunner(env={"COLUMNS": "250"})
        return await asyncio.to_thread(runner.invoke, app, ["agency", *args, "--url", self.url])

    async def agency(self, agency_id: str) -> dict[str, Any]:
        answer = await self.api.get(f"/api/v1/agencies/{agency_id}")
        assert answer.status_code == 200, answer.text
        return dict(answer.json())


def table_rows(output: str) -> list[list[str]]:
    """The cells of each row of a rich table as `agency list` prints it."""
    lines = [line for line in output.splitlines() if line.startswith("│")]
    return [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines]


@contextlib.asynccontextmanager
async def served_gateway() -> AsyncIterator[str]:
    """The gateway app behind uvicorn on a free port, started and stopped as a user would."""
    from gateway.main import create_app

    gateway = create_app()
    async with serving(gateway) as url:
        try:
            yield url
        finally:
            runtime = gateway.state.runtime
            await runtime.mongo.drop_database(runtime.db.name)


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def served(
    kafka: KafkaSettings, mongodb_uri: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Served]:
    exchange = Exchange()
    with pytest.MonkeyPatch.context() as monkeypatch:
        tmp = tmp_path_factory.mktemp("agency-cli")
        exchange.configure(monkeypatch, tmp, kafka=kafka, mongo=mongodb_uri)
        async with (
            served_gateway() as url,
            httpx.AsyncClient(base_url=url, headers=exchange.admin()) as api,
        ):

            async def seeded() -> bool:  # the registry is seeded in the background after start
                listed = await api.get("/api/v1/agencies")
                return listed.status_code == 200 and len(listed.json()) == len(exchange.agencies)

            await until(seeded, "the registry to be seeded")
            yield Served(url, exchange, api, kafka)
    clear_secret_cache()


async def test_add_from_a_file_then_list(served: Served, tmp_path: Path) -> None:
    x = served.exchange
    entries: list[dict[str, Any]] = [
        {
            "id": x.id("mediators"),
            "name_zh": "人民调解委员会",
            "name_en": "mediation committee",
            "kind": "social_force",
            "level": "village",
            "sends": [{"type": "case.*", "to": ["hub"]}],
            "receives": ["case.transferred.v1"],
            "delivery": "pull",
        },
        {
            "id": x.id("dept-water"),
            "name_zh": "水务局",
            "name_en": "water bureau",
            "kind": "department",
            "level": "county",
            "public_key": x.agencies[0].public_key,
        },
    ]
    file = tmp_path / "new.yaml"
    file.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")

    first = await served.cli("add", str(file))
    assert first.exit_code == 0, first.output
    assert first.output.split()[:4] == ["created", entries[0]["id"], "created", entries[1]["id"]]
    # Each new agency is a principal of the broker, with exactly an agency's rights.
    admin = AIOKafkaAdminClient(**served.kafka.client_args())
    await admin.start()
    try:
        held = set(await describe_acls(admin))
    finally:
        await admin.close()
    for entry in entries:
        assert set(agency_rights(entry["id"])) <= held, f"no ACLs for {entry['id']}"
        assert f"User:{entry['id']}" in first.output
    mediators = await served.agency(x.id("mediators"))
    assert mediators["delivery"] == "pull"
    assert mediators["sends"] == [{"type": "case.*", "to": ["hub"]}]

    # JSON works too, and adding an id again replaces the entry whole.
    changed = {**entries[0], "name_zh": "调解委员会"}
    json_file = tmp_path / "one.json"
    json_file.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    again = await served.cli("add", str(json_file))
    assert again.output.split()[:2] == ["replaced", x.id("mediators")], again.output
    assert (await served.agency(x.id("mediators")))["name_zh"] == "调解委员会"

    listed = await served.cli("list")
    assert listed.exit_code == 0, listed.output
    rows = {row[0]: row[1:] for row in table_rows(listed.output) if x.suffix in row[0]}
    assert len(rows) == len(x.agencies) + 2
    # name, kind, level, delivery, disabled, public key
    assert rows[x.id("mediators")] == ["调解委员会", "social_force", "village", "pull", "", "no"]
    assert rows[x.id("dept-water")] == ["水务局", "department", "county", "kafka", "", "yes"]


async def test_add_from_options(served: Served) -> None:
    agency_id = served.exchange.id("dept-housing")
    options = ["--id", agency_id, "--name-zh", "住建局", "--name-en", "housing bureau"]
    options += ["--kind", "department", "--level", "county"]
    result = await served.cli(
        "add",
        *options,
        "--send",
        "case.*:hub,court",
        "--send",
        "exchange.*:hub",
        "--receive",
        "case.*",
        "--receive",
        "exchange.*",
    )
    assert result.exit_code == 0, result.output
    assert result.output.split()[:2] == ["created", agency_id]
    assert f"kafka: user User:{agency_id} with" in result.output
    found = await served.agency(agency_id)
    assert found["sends"] == [
        {"type": "case.*", "to": ["hub", "court"]},
        {"type": "exchange.*", "to": ["hub"]},
    ]
    assert found["receives"] == ["case.*", "exchange.*"]
    assert found["name_en"] == "housing bureau" and found["delivery"] == "kafka"


async def test_what_the_gateway_refuses_is_shown_as_its_detail(served: Served) -> None:
    bad_kind = await served.cli(
        "add",
        "--id",
        served.exchange.id("x"),
        "--name-zh",
        "某",
        "--name-en",
        "x",
        "--kind",
        "wizard",
        "--level",
        "town",
    )
    assert bad_kind.exit_code == 1
    assert "the request does not match the API" in bad_kind.output and "kind" in bad_kind.output

    unknown = await served.cli("disable", "nobody-here")
    assert unknown.exit_code == 1
    assert "no agency nobody-here in the registry" in unknown.output

    no_colon = await served.cli(
        "add",
        "--id",
        "a-b",
        "--name-zh",
        "某",
        "--name-en",
        "x",
        "--kind",
        "grid",
        "--level",
        "town",
        "--send",
        "case.*",
    )
    assert no_colon.exit_code == 1 and "TYPE:KIND,KIND" in no_colon.output
    missing = await served.cli("add", "--id", "a-b")
    assert missing.exit_code == 1 and "--name-zh, --name-en, --kind, --level" in missing.output


async def test_no_gateway_at_the_address_says_what_to_do(served: Served) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        result = await asyncio.to_thread(CliRunner().invoke, app, ["agency", "list", "--url", url])
    assert result.exit_code == 1
    assert f"no gateway answers at {url}" in result.output
    assert "fengqiao up" in result.output


async def test_a_disabled_agency_is_refused_until_enabled(served: Served) -> None:
    x = served.exchange
    grid, hub = x.of_kind(AgencyKind.GRID).id, x.of_kind(AgencyKind.HUB).id

    async def answer_to_feedback(n: int) -> dict[str, Any]:
        event = x.envelope(
            grid, sample("case.feedback.v1", f"c-{n}"), recipient=hub, subject=f"c-{n}"
        )
        await publish(producer, event, grid)
        found = await inboxes.wait_for(
            lambda _, e: e.type.startswith("exchange.") and e.data["event_id"] == event.id, 1
        )
        return {"type": found[0][1].type, **found[0][1].data}

    async with (
        EventProducer(served.kafka) as producer,
        Inboxes(served.kafka, x.suffix).listening() as inboxes,
    ):
        disabled = await served.cli("disable", grid)
        assert disabled.exit_code == 0 and disabled.output.split() == ["disabled", grid]
        assert (await served.agency(grid))["disabled"] is True
        listed = await served.cli("list")
        assert next(r for r in table_rows(listed.output) if r[0] == grid)[5] == "yes"

        refused = await answer_to_feedback(1)
        assert refused["type"] == "exchange.rejected.v1"
        assert refused["reason_code"] == "agency_disabled"

        enabled = await served.cli("enable", grid)
        assert enabled.exit_code == 0 and enabled.output.split() == ["enabled", grid]
        assert (await served.agency(grid))["disabled"] is False
        assert (await answer_to_feedback(2))["type"] == "exchange.receipt.v1"


async def test_credentials_obtain_a_token_and_rotation_revokes_the_old(served: Served) -> None:
    court = served.exchange.of_kind(AgencyKind.COURT).id

    async def credentials(*args: str) -> dict[str, str]:
        result = await served.cli("credentials", court, *args)
        assert result.exit_code == 0, result.output
        return dict(line.split() for line in result.output.splitlines())

    async def token_status(secret: str) -> int:
        form = {"grant_type": "client_credentials", "client_id": court, "client_secret": secret}
        async with httpx.AsyncClient(base_url=served.url) as agency_client:  # no admin token
            return (await agency_client.post("/oauth/token", data=form)).status_code

    first = await credentials()
    assert first["client_id"] == court and first["generation"] == "1"
    # The key webhooks to this agency are signed with, for its receiver to check them.
    assert first["webhook_secret"].encode() == webhook_secret(court)
    assert await token_status(first["client_secret"]) == 200
    assert (await credentials())["client_secret"] == first["client_secret"]  # stable

    rotated = await credentials("--rotate")
    assert rotated["generation"] == "2"
    assert rotated["client_secret"] != first["client_secret"]
    assert await token_status(rotated["client_secret"]) == 200
    assert await token_status(first["client_secret"]) == 401


async def test_a_service_key_enrolled_at_the_gateway_signs_what_it_accepts(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    x = served.exchange
    police, hub = x.of_kind(AgencyKind.POLICE).id, x.of_kind(AgencyKind.HUB).id
    station_key = Ed25519PrivateKey.generate()
    monkeypatch.setenv("FENGQIAO_POLICE_SIGNING_KEY", private_key_text(station_key))
    clear_secret_cache()
    printed = await asyncio.to_thread(CliRunner().invoke, app, ["agency", "public-key", "police"])
    assert printed.exit_code == 0, printed.output
    assert printed.output.strip() == public_key_text(station_key)

    enrolled = await served.cli("enrol", police, "--public-key", printed.output.strip())
    assert enrolled.exit_code == 0, enrolled.output
    assert (await served.agency(police))["public_key"] == public_key_text(station_key)
    garbled = await served.cli("enrol", police, "--public-key", "not-a-key")
    assert garbled.exit_code == 1 and "not an Ed25519 public key" in garbled.output

    old_key = x.keys[police]
    x.keys[police] = station_key
    async with (
        EventProducer(served.kafka) as producer,
        Inboxes(served.kafka, x.suffix).listening() as inboxes,
    ):
        fresh = x.envelope(police, sample("case.progressed.v1"), recipient=hub, subject="c-7")
        x.keys[police] = old_key
        stale = x.envelope(police, sample("case.progressed.v1"), recipient=hub, subject="c-7")
        for event in (fresh, stale):
            await publish(producer, event, police)
        answers = await inboxes.wait_for(
            lambda _, e: (
                e.type.startswith("exchange.") and e.data["event_id"] in (fresh.id, stale.id)
            ),
            2,
        )
    outcome = {e.data["event_id"]: e.data.get("reason_code", e.type) for _, e in answers}
    assert outcome == {fresh.id: "exchange.receipt.v1", stale.id: "bad_signature"}
