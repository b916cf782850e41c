"""CPU time of the platform's processes, read from /proc, so a run can say what each one costs
per closed case and what the whole platform burns while nobody asks it anything.

`fengqiao up` starts every process in a session of its own, so a process's CPU is that of its
session: a wrapper and whatever it runs (Kafka's JVM, a service under `uv run`) count together.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fengqiao.catalog import SERVICES
from fengqiao_tools.infra import ferretdb, kafka
from fengqiao_tools.infra.config import InfraConfig
from fengqiao_tools.infra.process import read_pid
from fengqiao_tools.infra.services import SIM

TICKS_PER_S = os.sysconf("SC_CLK_TCK")
BENCH = "bench (the load driver)"


def platform_sessions(cfg: InfraConfig) -> dict[str, int]:
    """Each running platform process by name → its session id (the pid `fengqiao up` wrote)."""
    names = [kafka.NAME, ferretdb.NAME, *(spec.name for spec in SERVICES), SIM]
    found = {name: read_pid(cfg.run / f"{name}.pid") for name in names}
    return {name: pid for name, pid in found.items() if pid is not None}


def cpu_by_session(proc: Path = Path("/proc")) -> dict[int, float]:
    """CPU-seconds (user + system) of every live process, summed by session id."""
    totals: dict[int, float] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended while we looked
        # The command name (field 2) may hold spaces and parentheses: split after the last ')'.
        fields = stat[stat.rindex(")") + 2 :].split()
        session, utime, stime = int(fields[3]), int(fields[11]), int(fields[12])
        totals[session] = totals.get(session, 0.0) + (utime + stime) / TICKS_PER_S
    return totals


@dataclass(frozen=True)
class CpuSample:
    at: float
    seconds: dict[str, float]

    @classmethod
    def take(cls, sessions: Mapping[str, int]) -> CpuSample:
        by_session = cpu_by_session()
        seconds = {name: by_session.get(sid, 0.0) for name, sid in sessions.items()}
        seconds[BENCH] = sum(os.times()[:2])
        return cls(time.monotonic(), seconds)


def spent(before: CpuSample, after: CpuSample) -> dict[str, float]:
    """CPU-seconds each process spent between two samples (a restarted one counts from zero)."""
    return {
        name: max(0.0, after.seconds[name] - before.seconds.get(name, 0.0))
        for name in after.seconds
    }


def per_case(before: CpuSample, after: CpuSample, cases: int) -> dict[str, Any]:
    """The CPU table of a run: each process's CPU-seconds, ms per closed case and share of the
    platform's total (the bench's own driver shown apart, outside the total)."""
    used = spent(before, after)
    driver = used.pop(BENCH)
    total = sum(used.values())
    wall = after.at - before.at
    rows = {
        name: {
            "cpu_s": round(s, 2),
            "ms_per_case": round(1000 * s / cases, 2) if cases else None,
            "share": round(s / total, 3) if total else None,
            "cores": round(s / wall, 3) if wall else None,
        }
        for name, s in sorted(used.items(), key=lambda kv: -kv[1])
    }
    return {
        "processes": rows,
        "total_cpu_s": round(total, 2),
        "total_ms_per_case": round(1000 * total / cases, 2) if cases else None,
        "total_cores": round(total / wall, 3) if wall else None,
        "bench_driver_cpu_s": round(driver, 2),
        "wall_s": round(wall, 2),
    }


def idle_burn(before: CpuSample, after: CpuSample) -> dict[str, Any]:
    """Cores each process burnt over a quiet interval, and the platform's total."""
    used = spent(before, after)
    used.pop(BENCH)
    wall = after.at - before.at
    cores = {name: round(s / wall, 4) for name, s in sorted(used.items(), key=lambda kv: -kv[1])}
    return {"seconds": round(wall, 1), "cores": cores, "total_cores": round(sum(cores.values()), 4)}
