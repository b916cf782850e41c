"""What a closed case must show if every event of its loop was applied exactly once: the hub
took the delivery receipt, the acceptance and the feedback of its one assignment once each, and
no event id twice. A speed-up that loses or repeats an event shows up here, not just in chaos."""

from __future__ import annotations

from collections import Counter
from typing import Any

ONCE_EACH = ("registered", "assessed", "dispatched", "accepted", "feedback", "verified", "closed")
# The gateway's receipt may still be on its way when the case closes: at most once.
AT_MOST_ONCE = ("delivered",)


def applied_once(case: dict[str, Any]) -> list[str]:
    """The problems with one closed case's record; empty when every step is there once."""
    steps = Counter(entry["step"] for entry in case["timeline"])
    problems = [f"{case['id']}: step {s} {steps[s]} times" for s in ONCE_EACH if steps[s] != 1]
    problems += [f"{case['id']}: step {s} {steps[s]} times" for s in AT_MOST_ONCE if steps[s] > 1]
    inbox = Counter(case.get("inbox", []))
    problems += [f"{case['id']}: event {e} applied {n} times" for e, n in inbox.items() if n > 1]
    events = Counter(e["event_id"] for e in case["timeline"] if e.get("event_id"))
    problems += [
        f"{case['id']}: event {e} on the timeline {n} times" for e, n in events.items() if n > 1
    ]
    return problems
