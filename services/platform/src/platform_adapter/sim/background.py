"""What the sim does on its own while it runs: new reports arrive (事件产生) and are pushed to
the webhook subscriber (事件推送)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from typing import Any

import httpx

from platform_adapter.sim.state import Sim

log = logging.getLogger(__name__)
TICK_S = 0.05
BATCH = 100


async def produce(sim: Sim) -> None:
    """List ``sim.rate`` events per second, read afresh each tick so tests can change it."""
    owed, last = 0.0, time.monotonic()
    while True:
        await asyncio.sleep(TICK_S)
        now = time.monotonic()
        owed += (now - last) * sim.rate
        last = now
        if owed >= 1:
            sim.generate(int(owed))
            owed -= int(owed)


def signature(body: bytes, secret: str) -> str:
    """The X-Pingan-Signature of a push body: sha256=<hex HMAC-SHA256 with the secret>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def push_new_events(sim: Sim) -> None:
    """POST new records to the subscriber in batches; one try each, as a missed push is caught
    by pulling the list."""
    url, secret = sim.config.webhook_url, sim.config.webhook_secret
    if not url or not secret:
        return
    async with httpx.AsyncClient(timeout=5.0, transport=sim.webhook_transport) as http:
        while True:
            await asyncio.sleep(TICK_S)
            while sim.unsent:
                batch, sim.unsent[:BATCH] = sim.unsent[:BATCH], []
                await _deliver(sim, http, url, secret, batch)


async def _deliver(
    sim: Sim, http: httpx.AsyncClient, url: str, secret: str, batch: list[Any]
) -> None:
    body = json.dumps({"events": batch}, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "X-Pingan-Signature": signature(body, secret)}
    try:
        answer = await http.post(url, content=body, headers=headers)
        delivered = answer.is_success
    except httpx.HTTPError as error:
        log.info("webhook push to %s failed: %s", url, type(error).__name__)
        delivered = False
    sim.webhook["sent" if delivered else "failed"] += 1
