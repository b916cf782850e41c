"""The loop's hops, read from the hub's record of a closed case (its registration, the
assignment's clocks and the closure), and their percentiles. Every clock is on this machine."""

from __future__ import annotations

import math
from datetime import datetime

from fengqiao_tools.bench.loop import CaseRun

# (key, label, meaning) in loop order; each hop runs from the previous mark to its own.
HOPS: tuple[tuple[str, str, str], ...] = (
    ("dispatch", "registered→dispatched", "assess and dispatch at the hub (two API calls)"),
    (
        "deliver",
        "dispatched→delivered",
        "the hub's outbox relay, then the gateway routes it (its stamp)",
    ),
    (
        "accept",
        "delivered→accepted",
        "the grid applies the order; the worker finds and accepts it (签收)",
    ),
    ("feedback", "accepted→feedback", "the worker's feedback (反馈) at the grid"),
    ("at_hub", "feedback→at hub", "grid outbox, gateway, the hub applies it (seen by polling)"),
    ("close", "at hub→closed", "verification and closure at the hub (two API calls)"),
)
LOOP = ("loop", "registered→closed", "the whole loop, from the hub's own clocks")
PERCENTILES = (50, 95, 99)


def marks(run: CaseRun) -> list[datetime | None]:
    """The seven instants of one case, in loop order (None: the hub has no such stamp, e.g. a
    receipt it had not applied when the case closed)."""
    case = run.case
    (assignment,) = case["assignments"]
    stamps = [
        case["registered_at"],
        assignment["sent_at"],
        assignment["delivered_at"],
        assignment["accepted_at"],
        assignment["feedback"]["at"],
    ]
    found = [None if s is None else datetime.fromisoformat(s) for s in stamps]
    return [*found, run.feedback_seen_at, datetime.fromisoformat(case["closure"]["at"])]


def hop_seconds(runs: list[CaseRun]) -> dict[str, list[float]]:
    """Each hop's durations in seconds over all runs, and the whole loop's under ``loop``."""
    found: dict[str, list[float]] = {key: [] for key, _, _ in (*HOPS, LOOP)}
    for run in runs:
        at = marks(run)
        for i, (key, _, _) in enumerate(HOPS):
            start, end = at[i], at[i + 1]
            if start is not None and end is not None:
                found[key].append((end - start).total_seconds())
        first, last = at[0], at[-1]
        if first is not None and last is not None:
            found[LOOP[0]].append((last - first).total_seconds())
    return found


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile: a duration some case actually took."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(values: list[float]) -> dict[str, float]:
    """p50, p95, p99, mean and max, in milliseconds (all 0.0 when nothing was measured)."""
    if not values:
        return {**{f"p{p}": 0.0 for p in PERCENTILES}, "mean": 0.0, "max": 0.0}
    ms = [v * 1000 for v in values]
    figures = {f"p{p}": percentile(ms, p) for p in PERCENTILES}
    figures["mean"] = sum(ms) / len(ms)
    figures["max"] = max(ms)
    return {k: round(v, 1) for k, v in figures.items()}
