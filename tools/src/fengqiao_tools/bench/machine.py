"""The machine a run came from, so its figures can be compared with another's."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path
from typing import Any


def _first(path: str, key: str) -> str | None:
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        name, _, value = line.partition(":")
        if name.strip() == key:
            return value.strip()
    return None


def machine() -> dict[str, Any]:
    """CPU count and model (/proc/cpuinfo), RAM (/proc/meminfo), OS and Python version."""
    mem_kib = _first("/proc/meminfo", "MemTotal")
    return {
        "cpus": os.cpu_count(),
        "cpu_model": _first("/proc/cpuinfo", "model name") or platform.processor() or None,
        "ram_gib": None if mem_kib is None else round(int(mem_kib.split()[0]) / 1024**2, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": sys.version.split()[0],
    }
