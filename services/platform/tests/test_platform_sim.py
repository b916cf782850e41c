"""platform-sim (粤平安模拟平台) keeps docs/platform-contract.md, and is imperfect on purpose:
repeats, broken records, 503s and slow answers, in the configured shares."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from fengqiao.testing import free_port, until
from platform_adapter.domain.mapping import load_tables
from platform_adapter.sim import Sim, SimConfig, create_sim_app
from platform_adapter.sim.__main__ import parse
from platform_adapter.sim.catalog import AREAS, CATEGORIES, REQUIRED_FIELDS

CREDENTIALS = {
    "grant_type": "client_credentials",
    "client_id": "fengqiao",
    "client_secret": "platform-sim-secret",
}
AT = "2026-11-22T09:00:00+08:00"


@asynccontextmanager
async def talking_to(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app in memory, already holding a token."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as http:
        token = (await http.post("/oauth/token", data=CREDENTIALS)).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        yield http


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """The app on a real port, lifespan included (its generator and webhook run)."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    await until(lambda: server.started, "the sim to listen", timeout_s=5, every_s=0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def sim_of(app: FastAPI) -> Sim:
    sim: Sim = app.state.sim
    return sim


def status_body(status: str, at: str = AT, **extra: Any) -> dict[str, Any]:
    return {"status": status, "at": at, "note": "已处理", "case_ref": "c-1", **extra}


# --- authentication ---


async def test_every_api_call_needs_a_live_token() -> None:
    app = create_sim_app(SimConfig(seed=1, initial_events=3))
    event_id = sim_of(app).events[0]["event_id"]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s") as h:
        for path in (
            "/api/v1/events",
            f"/api/v1/events/{event_id}",
            f"/api/v1/events/{event_id}/status",
        ):
            assert (await h.get(path)).status_code == 401
        wrong = {**CREDENTIALS, "client_secret": "guess"}
        refused = await h.post("/oauth/token", data=wrong)
        assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"
        wrong_grant = await h.post("/oauth/token", data={**CREDENTIALS, "grant_type": "password"})
        assert wrong_grant.status_code == 400
        basic = await h.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("fengqiao", "platform-sim-secret"),
        )
        granted = basic.json()
        assert granted["token_type"] == "Bearer" and granted["expires_in"] == 3600
        bearer = {"Authorization": f"Bearer {granted['access_token']}"}
        assert (await h.get("/api/v1/events", headers=bearer)).status_code == 200

        sim_of(app).expire_tokens()
        expired = await h.get("/api/v1/events", headers=bearer)
        assert expired.status_code == 401 and "Bearer" in expired.headers["WWW-Authenticate"]
        fresh = (await h.post("/oauth/token", data=CREDENTIALS)).json()["access_token"]
        again = await h.get("/api/v1/events", headers={"Authorization": f"Bearer {fresh}"})
        assert again.status_code == 200


# --- the event list ---


async def test_paging_follows_cursors_to_every_record_once_and_repeats_a_page_exactly() -> None:
    app = create_sim_app(SimConfig(seed=2, initial_events=237, malformed_share=0.1))
    sim = sim_of(app)
    async with talking_to(app) as http:
        seen: list[Any] = []
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 50} | ({"after": cursor} if cursor else {})
            page = (await http.get("/api/v1/events", params=params)).json()
            again = (await http.get("/api/v1/events", params=params)).json()
            assert again == page, "the same cursor gives the same page"
            seen += page["events"]
            cursor = page["next_cursor"]
            if not page["has_more"]:
                break
        assert seen == sim.events and len(seen) == 237

        quiet = (await http.get("/api/v1/events", params={"after": cursor})).json()
        assert quiet["events"] == [] and quiet["next_cursor"] == cursor
        new = sim.generate(4)
        later = (await http.get("/api/v1/events", params={"after": cursor})).json()
        assert later["events"] == new and later["has_more"] is False

        for bad in ({"limit": 0}, {"limit": 101}, {"after": "bm90LW91cnM"}):
            assert (await http.get("/api/v1/events", params=bad)).status_code == 422


async def test_one_event_is_served_as_listed_and_an_unknown_one_is_404() -> None:
    app = create_sim_app(SimConfig(seed=3, initial_events=5, malformed_share=0))
    listed = sim_of(app).events[2]
    async with talking_to(app) as http:
        assert (await http.get(f"/api/v1/events/{listed['event_id']}")).json() == listed
        missing = await http.get("/api/v1/events/YPA-1999-000001")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"


def test_events_carry_the_platforms_codes_for_duhu_with_realistic_content() -> None:
    sim = Sim(SimConfig(seed=4, malformed_share=0, duplicate_share=0))
    events = sim.generate(200)
    villages = {area.code: area for area in AREAS}
    for seq, event in enumerate(events, start=1):
        assert event["event_id"].startswith("YPA-") and event["seq"] == seq
        area = villages[event["area_code"]]
        assert event["category_code"] in {category.code for category in CATEGORIES}
        assert datetime.fromisoformat(event["reported_at"]).utcoffset() == timedelta(hours=8)
        assert event["channel"] in {"app", "mini_program", "hotline_12345", "grid_app", "web"}
        if "location" in event:
            assert area.lon[0] <= event["location"]["lon"] <= area.lon[1]
            assert area.lat[0] <= event["location"]["lat"] <= area.lat[1]
            assert event["location"]["address"].startswith(area.name)
        if "reporter" in event:
            phone = event["reporter"]["phone"]
            assert len(phone) == 11 and phone.startswith("1") and phone.isdigit()
    assert len({e["category_code"] for e in events}) == len(CATEGORIES)
    assert {e["area_code"] for e in events} == set(villages), "the town and all nine villages"
    assert any("reporter" not in e for e in events) and any("location" not in e for e in events)
    assert {"normal", "urgent"} == {e["urgency"] for e in events}


def test_a_seed_makes_the_same_events() -> None:
    def content(seed: int) -> list[Any]:
        sim = Sim(SimConfig(seed=seed, duplicate_share=0.2, malformed_share=0.1))
        made = sim.generate(60)
        return [
            {k: v for k, v in e.items() if k != "reported_at"} if isinstance(e, dict) else e
            for e in made
        ]

    assert content(7) == content(7)
    assert content(7) != content(8)


def test_repeats_share_phone_area_and_category_from_another_channel_within_minutes() -> None:
    sim = Sim(SimConfig(seed=5, duplicate_share=0.3, malformed_share=0))
    sim.generate(300)
    repeats = sim.duplicates
    assert 60 <= len(repeats) <= 120, len(repeats)  # about 30% of 300, seeded
    for repeat_id, original_id in repeats.items():
        repeat, original = sim.event(repeat_id), sim.event(original_id)
        assert repeat_id != original_id and original_id not in repeats, "repeats a first report"
        assert repeat["reporter"]["phone"] == original["reporter"]["phone"]
        assert repeat["area_code"] == original["area_code"]
        assert repeat["category_code"] == original["category_code"]
        assert repeat["channel"] != original["channel"]
        gap = datetime.fromisoformat(repeat["reported_at"]) - datetime.fromisoformat(
            original["reported_at"]
        )
        assert abs(gap) <= timedelta(minutes=40)


def test_a_repeat_can_be_listed_on_purpose() -> None:
    sim = Sim(SimConfig(seed=6))
    first = sim.add_event(
        category_code="LD-0301",
        area_code="440781105203",
        reporter={"name": "陈志强", "phone": "13800138000"},
        channel="app",
    )
    again = sim.repeat(first["event_id"])
    assert again["event_id"] != first["event_id"] and again["seq"] == first["seq"] + 1
    assert (again["reporter"], again["area_code"], again["category_code"]) == (
        first["reporter"],
        "440781105203",
        "LD-0301",
    )
    assert sim.duplicates == {again["event_id"]: first["event_id"]}


def _rejectable(record: Any) -> bool:
    """What the adapter's mapping tables and contract checks will refuse."""
    tables = load_tables()
    if not isinstance(record, dict) or any(field not in record for field in REQUIRED_FIELDS):
        return True
    try:
        datetime.fromisoformat(record["reported_at"])
    except ValueError:
        return True
    return (
        tables.category(record["category_code"]) is None or tables.area(record["area_code"]) is None
    )


def test_malformed_records_come_in_their_share_and_are_all_rejectable() -> None:
    sim = Sim(SimConfig(seed=7, malformed_share=0.2, duplicate_share=0.1))
    sim.generate(500)
    broken = sim.malformed
    assert 65 <= len(broken) <= 135, len(broken)  # about 20% of 500, seeded
    kinds = {kind.split(":")[0] for _, kind in broken}
    assert kinds == {"missing_field", "unknown_category", "unknown_area", "bad_time", "garbage"}
    assert any(isinstance(record, str) for record, _ in broken), "a string for an object"
    assert any(
        isinstance(r, dict) and r["category_code"] == "ZZ-9999"
        for r, k in broken
        if k == "unknown_category"
    )
    assert all(_rejectable(record) for record, _ in broken)
    good = [r for r in sim.events if not any(r is b for b, _ in broken)]
    assert len(good) == 500 - len(broken) and not any(_rejectable(r) for r in good)


def test_every_platform_code_is_one_the_adapters_tables_map_to_the_same_category() -> None:
    tables = load_tables()
    for category in CATEGORIES:
        rule = tables.category(category.code)
        assert rule is not None and rule.category.value == category.en, category.code
    assert all(tables.area(area.code) is not None for area in AREAS)


# --- statuses pushed back ---


async def test_a_status_push_needs_a_key_and_the_same_key_changes_nothing() -> None:
    app = create_sim_app(SimConfig(seed=8, initial_events=2, malformed_share=0))
    sim = sim_of(app)
    event_id = sim.events[0]["event_id"]
    url = f"/api/v1/events/{event_id}/status"
    async with talking_to(app) as http:
        keyless = await http.post(url, json=status_body("received"))
        assert keyless.status_code == 400 and sim.status_of(event_id) is None

        first = await http.post(
            url, json=status_body("received"), headers={"Idempotency-Key": "k1"}
        )
        assert first.json() == {"event_id": event_id, "status": "received", "version": 1}
        # The same key with another body still answers the first answer and applies nothing.
        replay = await http.post(
            url,
            json=status_body("assigned", "2026-11-22T10:00:00+08:00"),
            headers={"Idempotency-Key": "k1"},
        )
        assert replay.status_code == 200 and replay.json() == first.json()
        view = (await http.get(url)).json()
        assert view["status"] == "received" and len(view["history"]) == 1
        assert view["case_ref"] == "c-1" and view["at"] == AT
        assert [(p.key, p.replay) for p in sim.pushes] == [("k1", False), ("k1", True)]

        unknown = await http.post(
            "/api/v1/events/YPA-2026-999999/status",
            json=status_body("received"),
            headers={"Idempotency-Key": "k2"},
        )
        assert unknown.status_code == 404
        for bad in (
            status_body("lost"),
            status_body("received", "2026-11-22T09:00:00"),
            status_body("duplicate"),
            {"at": AT},
        ):
            refused = await http.post(url, json=bad, headers={"Idempotency-Key": "k3"})
            assert refused.status_code == 422, bad
        assert sim.status_of(event_id) == "received" and len(sim.pushes) == 2


async def test_an_older_status_joins_the_history_without_rolling_back() -> None:
    app = create_sim_app(SimConfig(seed=9, initial_events=2, malformed_share=0))
    sim = sim_of(app)
    event_id, other = (e["event_id"] for e in sim.events)
    url = f"/api/v1/events/{event_id}/status"
    async with talking_to(app) as http:
        assigned = status_body("assigned", "2026-11-22T10:00:00+08:00", tracking_code="FQ1")
        await http.post(url, json=assigned, headers={"Idempotency-Key": "a"})
        late = await http.post(url, json=status_body("received"), headers={"Idempotency-Key": "b"})
        assert late.json() == {"event_id": event_id, "status": "assigned", "version": 2}
        view = (await http.get(url)).json()
        assert view["status"] == "assigned" and view["tracking_code"] == "FQ1"
        assert [(h["status"], h["applied"]) for h in view["history"]] == [
            ("assigned", True),
            ("received", False),
        ]

        dup = status_body("duplicate", "2026-11-22T09:30:00+08:00", duplicate_of=event_id)
        await http.post(
            f"/api/v1/events/{other}/status", json=dup, headers={"Idempotency-Key": "c"}
        )
        assert sim.view_of(other)["duplicate_of"] == event_id
        assert sim.statuses() == {event_id: "assigned", other: "duplicate"}


async def test_a_closure_closes_until_a_later_reopening_and_a_late_one_does_not_reclose() -> None:
    app = create_sim_app(SimConfig(seed=10, initial_events=1, malformed_share=0))
    sim = sim_of(app)
    event_id = sim.events[0]["event_id"]
    base = f"/api/v1/events/{event_id}"
    closure = {
        "closed_at": "2026-11-23T09:00:00+08:00",
        "outcome": "resolved",
        "summary": "调解成功,双方签订协议。",
        "case_ref": "c-1",
    }
    async with talking_to(app) as http:
        assert (await http.post(f"{base}/closure", json=closure)).status_code == 400
        closed = await http.post(f"{base}/closure", json=closure, headers={"Idempotency-Key": "x"})
        assert closed.json() == {"event_id": event_id, "status": "closed", "version": 1}
        assert sim.view_of(event_id)["closure"]["outcome"] == "resolved"
        reopened = status_body("assigned", "2026-11-24T09:00:00+08:00")
        await http.post(f"{base}/status", json=reopened, headers={"Idempotency-Key": "y"})
        late = await http.post(f"{base}/closure", json=closure, headers={"Idempotency-Key": "z"})
        assert late.json()["status"] == "assigned" and sim.status_of(event_id) == "assigned"
        bad = {**closure, "outcome": "forgotten"}
        assert (
            await http.post(f"{base}/closure", json=bad, headers={"Idempotency-Key": "w"})
        ).status_code == 422
    assert [p.kind for p in sim.pushes] == ["closure", "status", "closure"]


# --- injected failures ---


async def _answers(seed: int, rate: float, calls: int) -> tuple[list[int], Sim]:
    app = create_sim_app(SimConfig(seed=seed, initial_events=3, failure_rate=0, slow_s=0))
    sim = sim_of(app)
    async with talking_to(app) as http:
        sim.set_failure_rate(rate)
        codes = [(await http.get("/api/v1/events")).status_code for _ in range(calls)]
    return codes, sim


async def test_the_configured_share_of_calls_fails_with_503_or_slowly_and_seeded_alike() -> None:
    codes, sim = await _answers(seed=11, rate=0.3, calls=400)
    failed = sim.injected["unavailable"] + sim.injected["slow"]
    assert 90 <= failed <= 150, failed  # about 30% of 400
    assert codes.count(503) == sim.injected["unavailable"] > 0 and sim.injected["slow"] > 0
    assert set(codes) == {200, 503}, "a slow answer is still the right answer"
    assert sim.calls["list"] == 400
    again, _ = await _answers(seed=11, rate=0.3, calls=400)
    assert again == codes
    none, quiet = await _answers(seed=11, rate=0.0, calls=50)
    assert set(none) == {200} and not quiet.injected


async def test_a_503_applies_nothing_and_tells_when_to_come_back() -> None:
    app = create_sim_app(SimConfig(seed=12, initial_events=1, slow_share=0, token_failure_factor=0))
    sim = sim_of(app)
    event_id = sim.events[0]["event_id"]
    async with talking_to(app) as http:
        sim.set_failure_rate(1.0)
        busy = await http.post(
            f"/api/v1/events/{event_id}/status",
            json=status_body("received"),
            headers={"Idempotency-Key": "k"},
        )
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "1"
    assert sim.status_of(event_id) is None and sim.pushes == []
    with pytest.raises(ValueError):
        sim.set_failure_rate(1.5)


async def test_the_token_endpoint_fails_less_often_than_the_api() -> None:
    app = create_sim_app(SimConfig(seed=13, failure_rate=0.8, slow_share=0))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s") as h:
        codes = [(await h.post("/oauth/token", data=CREDENTIALS)).status_code for _ in range(200)]
    assert 20 <= codes.count(503) <= 60, codes.count(503)  # 0.8 × 0.25 of 200 ≈ 40


async def test_a_slow_answer_comes_after_the_clients_timeout_but_the_push_was_applied() -> None:
    config = SimConfig(seed=14, initial_events=1, slow_share=1, slow_s=1.0, token_failure_factor=0)
    app = create_sim_app(config)
    sim = sim_of(app)
    event_id = sim.events[0]["event_id"]
    async with serving(app) as base, httpx.AsyncClient(base_url=base, timeout=0.3) as http:
        token = (await http.post("/oauth/token", data=CREDENTIALS)).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "slow-1"}
        url = f"/api/v1/events/{event_id}/status"
        sim.set_failure_rate(1.0)
        with pytest.raises(httpx.ReadTimeout):
            await http.post(url, json=status_body("received"), headers=headers)
        assert sim.status_of(event_id) == "received", "applied though never answered"
        sim.set_failure_rate(0.0)
        retry = await http.post(url, json=status_body("received"), headers=headers)
        assert retry.json() == {"event_id": event_id, "status": "received", "version": 1}
    assert sim.injected == {"slow": 1} and len(sim.view_of(event_id)["history"]) == 1


# --- while running: the generator, the webhook, the runner ---


async def test_a_running_sim_produces_events_at_its_rate() -> None:
    app = create_sim_app(SimConfig(seed=15, rate=20))
    sim = sim_of(app)
    async with serving(app) as base, httpx.AsyncClient(base_url=base) as http:
        token = (await http.post("/oauth/token", data=CREDENTIALS)).json()["access_token"]
        start = len(sim.events)
        await asyncio.sleep(1.0)
        made = len(sim.events) - start
        assert 12 <= made <= 28, made  # 20 per second
        listed = await http.get(
            "/api/v1/events", params={"limit": 100}, headers={"Authorization": f"Bearer {token}"}
        )
        assert len(listed.json()["events"]) >= made
        sim.set_rate(0)
        await asyncio.sleep(0.1)
        paused = len(sim.events)
        await asyncio.sleep(0.3)
        assert len(sim.events) == paused
        state = (await http.get("/sim/state")).json()
        assert state["events"] == paused and state["calls"] == {"token": 1, "list": 1}


async def test_new_events_are_pushed_signed_to_the_subscriber_and_stay_in_the_list() -> None:
    received: list[httpx.Request] = []

    def subscriber(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(204 if len(received) == 1 else 500)

    config = SimConfig(seed=16, webhook_url="http://dept/hook", webhook_secret="s3cret")
    app = create_sim_app(config)
    sim = sim_of(app)
    sim.webhook_transport = httpx.MockTransport(subscriber)
    async with app.router.lifespan_context(app):
        made = sim.generate(5)
        await until(lambda: sim.webhook["sent"] == 1, "the push", timeout_s=5, every_s=0.02)
        sim.generate(2)
        await until(
            lambda: sim.webhook["failed"] == 1, "the failed push", timeout_s=5, every_s=0.02
        )
    first = received[0]
    expected = "sha256=" + hmac.new(b"s3cret", first.content, hashlib.sha256).hexdigest()
    assert first.headers["X-Pingan-Signature"] == expected
    assert json.loads(first.content) == {"events": made}
    assert len(sim.events) == 7, "a failed push loses nothing: the list still has them"


def test_the_runner_reads_its_command_line() -> None:
    args, config = parse(
        [
            "--port",
            "9017",
            "--rate",
            "0.5",
            "--failure-rate",
            "0.3",
            "--duplicate-share",
            "0.2",
            "--malformed-share",
            "0.1",
            "--seed",
            "42",
        ]
    )
    assert (args.host, args.port) == ("127.0.0.1", 9017)
    assert (config.rate, config.failure_rate, config.seed) == (0.5, 0.3, 42)
    assert (config.duplicate_share, config.malformed_share) == (0.2, 0.1)
    with pytest.raises(ValueError):
        SimConfig(webhook_url="http://x/hook")
