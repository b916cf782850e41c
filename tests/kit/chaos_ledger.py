"""After the chaos: what the stores and the exchange's audit log say about the cases.

Lost: an event a service committed to send (it sits in a commit of its store) with no
"delivered" record in the audit log, or a delivered event its recipient never applied (its id in
no aggregate's inbox). Twice: a step on a case's timeline more than once, or an event id that
two timeline entries or two aggregates' inboxes claim. Left over: an outbox announcement never
relayed, a dead letter about one of the cases."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.catalog import spec_of
from fengqiao.settings import service_settings
from fengqiao.storage.mongo import Document

# Each happens once on a case that goes round the loop once.
ONCE = ("registered", "assessed", "dispatched", "accepted", "feedback", "verified", "closed")
AUDIT = "audit"


def database_of(client: Any, service: str) -> AsyncDatabase[Document]:
    name = service_settings(service, port=spec_of(service).port).database
    db: AsyncDatabase[Document] = client[name]
    return db


@dataclass
class Findings:
    twice: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    left_over: list[str] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=dict)


def timeline_repeats(case: Document) -> list[str]:
    """Steps not done exactly once, and events applied more than once, on a case's timeline."""
    entries = case["timeline"]
    steps = Counter(entry["step"] for entry in entries)
    events = Counter(entry["event_id"] for entry in entries if entry.get("event_id"))
    found = [f"case {case['_id']}: step {s} {steps[s]} times" for s in ONCE if steps[s] != 1]
    twice = [e for e, n in events.items() if n > 1]
    found += [f"case {case['_id']}: event {e} applied {events[e]} times" for e in twice]
    return found


async def committed_events(db: AsyncDatabase[Document], subjects: set[str]) -> list[Document]:
    """Every event a service's commits hold about ``subjects`` (what it promised to send)."""
    found = []
    for name in await db.list_collection_names():
        if name.endswith("_commits"):
            async for commit in db[name].find({"events.0": {"$exists": True}}):
                found += [e for e in commit["events"] if e["envelope"].get("subject") in subjects]
    return found


async def applied_ids(db: AsyncDatabase[Document]) -> Counter[str]:
    """How many of a service's aggregates record each event id as applied, read from the
    documents alone, as the service's own queries read them (one pass: FerretDB answers a query
    on anything but ``_id`` by reading every document). A writer killed between its commit and
    the document write leaves the document a version behind only until its service's relay rolls
    it forward, a few seconds on (``examine`` waits for that before calling anything lost)."""
    holders: Counter[str] = Counter()
    for name in await db.list_collection_names():
        if not name.endswith(("_commits", "_outbox")):
            async for doc in db[name].find({}, {"inbox": 1}):
                holders.update(doc.get("inbox", []))
    return holders


async def pending_announcements(dbs: Iterable[AsyncDatabase[Document]]) -> list[str]:
    found = []
    for db in dbs:
        for name in await db.list_collection_names():
            if name.endswith("_outbox"):
                found += [f"{db.name}.{name} {doc['_id']}" async for doc in db[name].find()]
    return found


async def drained(dbs: list[AsyncDatabase[Document]], timeout_s: float) -> list[str]:
    """Outbox announcements still there after ``timeout_s`` (relays had time to catch up)."""
    deadline = time.monotonic() + timeout_s
    while True:
        left = await pending_announcements(dbs)
        if not left or time.monotonic() > deadline:
            return left
        await asyncio.sleep(1.0)


async def audit_of(gateway: AsyncDatabase[Document], subjects: set[str]) -> list[Document]:
    return [doc async for doc in gateway[AUDIT].find({"subject": {"$in": sorted(subjects)}})]


async def examine(client: Any, cases: set[str], senders: tuple[str, ...]) -> Findings:
    """Hold the stores of ``senders`` (which also receive) against the audit log."""
    findings = Findings()
    hub = database_of(client, "intake")
    async for case in hub["cases"].find({"_id": {"$in": sorted(cases)}}):
        findings.twice += timeline_repeats(case)
    audit = await audit_of(database_of(client, "gateway"), cases)
    delivered = Counter(r["event_id"] for r in audit if r["outcome"] == "delivered")
    findings.figures |= {
        "audit_records": len(audit),
        "delivered": sum(delivered.values()),
        "routed_twice": sum(1 for n in delivered.values() if n > 1),
    }
    promised = 0
    for sender in senders:
        for event in await committed_events(database_of(client, sender), cases):
            promised += 1
            if delivered[event["id"]] == 0:
                what = f"{event['envelope']['type']} {event['id']}"
                findings.lost.append(f"{sender} sent {what}, never delivered")
    findings.figures["promised"] = promised
    receivers = {sender: database_of(client, sender) for sender in senders}
    delivered_to = [r for r in audit if r["outcome"] == "delivered" and r["recipient"] in receivers]
    # A service restarted late in the storm may still be working through its in topic, or its
    # relay rolling forward a commit whose writer was killed: give them the time the relays get
    # (`drained`) before calling a delivered event lost.
    deadline = time.monotonic() + 60
    while True:
        applied = {sender: await applied_ids(db) for sender, db in receivers.items()}
        waiting = [r for r in delivered_to if applied[r["recipient"]][r["event_id"]] == 0]
        if not waiting or time.monotonic() > deadline:
            break
        await asyncio.sleep(1.0)
    for record in audit:
        if record["outcome"] != "delivered" or record["recipient"] not in applied:
            continue
        holders = applied[record["recipient"]][record["event_id"]]
        where = f"{record['type']} {record['event_id']} at {record['recipient']}"
        if holders == 0:
            findings.lost.append(f"{where}: delivered, never applied")
        elif holders > 1:
            findings.twice.append(f"{where}: applied by {holders} aggregates")
    findings.left_over += await drained(list(receivers.values()), timeout_s=60)
    return findings
