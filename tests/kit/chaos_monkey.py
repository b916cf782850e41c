"""kill -9 for the platform's processes (`fengqiao up` under a home of its own), and the plan of
who falls when: the loop's own services and the gateway surely, two others drawn at random, and
once each the Kafka broker and the MongoDB-protocol server, spread over the run by progress."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from fengqiao_tools.infra.process import read_pid

from fengqiao.catalog import SERVICES
from platformkit import fengqiao

LOOP = ("intake", "grid", "gateway")
BROKER, STORE = "kafka", "ferretdb"


def plan(rng: random.Random) -> list[str]:
    """Seven kills: the loop's services and the gateway, two others, the broker, the store."""
    others = [spec.name for spec in SERVICES if spec.name not in LOOP]
    victims = [*LOOP, *rng.sample(others, 2)]
    rng.shuffle(victims)
    # The broker and the store fall while services are still up, neither first nor last.
    victims.insert(2, BROKER)
    victims.insert(5, STORE)
    return victims


@dataclass
class Monkey:
    env: dict[str, str]
    rng: random.Random
    log: list[str] = field(default_factory=list)

    @property
    def run_dir(self) -> Path:
        return Path(self.env["FENGQIAO_HOME"]) / "run"

    def alive(self, name: str) -> bool:
        return read_pid(self.run_dir / f"{name}.pid") is not None

    def kill(self, name: str) -> None:
        pid = read_pid(self.run_dir / f"{name}.pid")
        if pid is None:
            self.log.append(f"{name} was not running")
            return
        for send in (os.killpg, os.kill):
            with suppress(ProcessLookupError, PermissionError):
                send(pid, signal.SIGKILL)
        self._say(f"kill -9 {name} (pid {pid})")

    async def restart(self) -> None:
        """`fengqiao up` starts whatever is not running and waits until all serve again."""
        dead = [s.name for s in SERVICES if not self.alive(s.name)]
        dead += [n for n in (BROKER, STORE) if not self.alive(n)]
        started = time.monotonic()
        up = await asyncio.to_thread(fengqiao, self.env, "up", "--timeout", "300", timeout=400)
        if up.returncode != 0:
            raise RuntimeError(f"fengqiao up failed:\n{up.stdout}\n{up.stderr}")
        self._say(f"restarted {', '.join(dead)} in {time.monotonic() - started:.1f} s")

    async def rampage(self, victims: list[str], closed: Callable[[], int], gap: int = 10) -> None:
        """Kill each victim in turn once ``gap`` more cases have closed (so the loop flowed
        again after the last restart); restart it after a few seconds down. The caller keeps
        cases coming until this returns."""
        for victim in victims:
            await _at_least(closed, closed() + gap)
            self.kill(victim)
            await asyncio.sleep(self.rng.uniform(1.0, 5.0))
            await self.restart()

    def _say(self, line: str) -> None:
        self.log.append(f"{time.strftime('%H:%M:%S')} {line}")


async def _at_least(count: Callable[[], int], threshold: int) -> None:
    while True:
        if count() >= threshold:
            return
        await asyncio.sleep(0.2)
