"""What the bench reads and writes besides the loop itself: each process's CPU from /proc, the
exactly-once check of a closed case, and the copies that pre-fill the store."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fengqiao_tools.bench import cpu, store
from fengqiao_tools.bench.once import applied_once


def _stat(pid: int, session: int, utime: int, stime: int, comm: str = "python") -> str:
    # Fields from /proc/<pid>/stat: pid (comm) state ppid pgrp session … utime(14) stime(15)
    rest = ["S", "1", str(session), str(session)] + ["0"] * 7 + [str(utime), str(stime)]
    return f"{pid} ({comm}) " + " ".join(rest) + " 0 0 20 0\n"


def test_cpu_is_summed_by_session_from_proc(tmp_path: Path) -> None:
    for pid, session, utime, stime, comm in (
        (10, 10, 100, 50, "uv"),
        (11, 10, 300, 50, "python (a) b)"),  # a name with parentheses and spaces
        (20, 20, 7, 3, "java"),
    ):
        (tmp_path / str(pid)).mkdir()
        (tmp_path / str(pid) / "stat").write_text(_stat(pid, session, utime, stime, comm))
    (tmp_path / "self").mkdir()
    ticks = os.sysconf("SC_CLK_TCK")
    found = cpu.cpu_by_session(tmp_path)
    assert found == {10: 500 / ticks, 20: 10 / ticks}


def test_per_case_table_shares_and_leaves_the_driver_out() -> None:
    before = cpu.CpuSample(0.0, {"ferretdb": 1.0, "intake": 2.0, cpu.BENCH: 5.0})
    after = cpu.CpuSample(10.0, {"ferretdb": 4.0, "intake": 3.0, cpu.BENCH: 6.0})
    table = cpu.per_case(before, after, cases=100)
    assert table["total_cpu_s"] == 4.0 and table["total_ms_per_case"] == 40.0
    assert table["processes"]["ferretdb"] == {
        "cpu_s": 3.0,
        "ms_per_case": 30.0,
        "share": 0.75,
        "cores": 0.3,
    }
    assert list(table["processes"]) == ["ferretdb", "intake"], "costliest first"
    assert table["bench_driver_cpu_s"] == 1.0
    idle = cpu.idle_burn(before, after)
    assert idle["total_cores"] == 0.4


def _closed(steps: list[str], inbox: list[str]) -> dict[str, Any]:
    return {
        "id": "C1",
        "inbox": inbox,
        "timeline": [{"step": s, "event_id": None} for s in steps],
    }


FULL = ["registered", "assessed", "dispatched", "delivered", "accepted", "feedback"]


def test_a_case_with_every_step_once_passes() -> None:
    assert applied_once(_closed([*FULL, "verified", "closed"], ["e1", "e2", "e3"])) == []
    late_receipt = [s for s in FULL if s != "delivered"]
    assert applied_once(_closed([*late_receipt, "verified", "closed"], ["e2", "e3"])) == []


def test_a_step_twice_or_an_event_applied_twice_is_reported() -> None:
    problems = applied_once(_closed([*FULL, "feedback", "verified", "closed"], ["e1", "e1"]))
    assert "C1: step feedback 2 times" in problems
    assert "C1: event e1 applied 2 times" in problems
    assert applied_once(_closed(["registered", "assessed"], [])) != []


def test_prefill_copies_mark_every_id_and_keep_references_consistent() -> None:
    sample: dict[store.Key, list[dict[str, Any]]] = {
        ("fengqiao_intake", "cases"): [
            {"_id": "CASE1", "status": "closed", "tracking_code": "FQ1"}
        ],
        ("fengqiao_intake", "cases_commits"): [{"_id": "CASE1:1", "aggregate": "CASE1"}],
        ("fengqiao_intake", "tracking_codes"): [{"_id": "FQ1", "case_id": "CASE1"}],
        ("fengqiao_grid", "tasks"): [{"_id": "CASE1-1", "case_id": "CASE1", "n": 3}],
    }
    batches = list(store.copies(sample, 3))
    docs = [d for _, batch in batches for d in batch]
    assert len(docs) == 12
    ids = [d["_id"] for d in docs]
    assert len(set(ids)) == 12 and all(store.MARK in i for i in ids), "unique and marked"
    cases = [d for (db, name), b in batches if name == "cases" for d in b]
    assert {c["_id"] for c in cases} == {f"CASE1{store.MARK}{k}" for k in range(3)}
    codes = [d for (_, name), b in batches if name == "tracking_codes" for d in b]
    assert {c["case_id"] for c in codes} == {c["_id"] for c in cases}, "references follow"
    tasks = [d for (_, name), b in batches if name == "tasks" for d in b]
    assert all(t["n"] == 3 and t["case_id"] in {c["_id"] for c in cases} for t in tasks)
