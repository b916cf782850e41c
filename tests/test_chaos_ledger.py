"""The chaos run's bookkeeping sees a step done twice and an event applied twice."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from chaos_ledger import ONCE, timeline_repeats


def case_with(steps: Iterable[tuple[str, str | None]]) -> dict[str, Any]:
    at = datetime(2026, 11, 22, tzinfo=UTC)
    timeline = [{"at": at, "step": step, "event_id": event} for step, event in steps]
    return {"_id": "0192f3a4b5c6deadbeef", "timeline": timeline}


def test_a_clean_round_of_the_loop_has_no_repeats() -> None:
    once = [(step, "e-accept" if step == "accepted" else None) for step in ONCE]
    assert timeline_repeats(case_with([*once, ("delivered", "e-receipt")])) == []


def test_a_feedback_applied_twice_is_found_both_ways() -> None:
    steps = [(step, None) for step in ONCE] + [("feedback", "e-7"), ("progressed", "e-7")]
    found = timeline_repeats(case_with(steps))
    assert found == [
        "case 0192f3a4b5c6deadbeef: step feedback 2 times",
        "case 0192f3a4b5c6deadbeef: event e-7 applied 2 times",
    ]


def test_a_missing_step_is_found() -> None:
    steps = [(step, None) for step in ONCE if step != "verified"]
    found = timeline_repeats(case_with(steps))
    assert found == ["case 0192f3a4b5c6deadbeef: step verified 0 times"]
