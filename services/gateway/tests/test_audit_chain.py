"""The audit hash chain: whatever is changed, recomputed, removed or duplicated in the stored
records, verification names the first place the chain does not hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from gateway.domain.audit import (
    GENESIS,
    AuditEntry,
    ChainHead,
    Outcome,
    append,
    digest,
    record_hash,
    verify,
)

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def entry(n: int, outcome: Outcome = Outcome.DELIVERED) -> AuditEntry:
    rejected = outcome is Outcome.REJECTED
    return AuditEntry(
        time=T0 + timedelta(seconds=n),
        event_id=f"e-{n}",
        type="case.transferred.v1",
        sender="intake",
        recipient="court",
        subject=f"c-{n}",
        outcome=outcome,
        reason_code="not_allowed_to_send" if rejected else None,
        data_hash=digest({"n": n}),
    )


def chain(count: int) -> list[dict[str, Any]]:
    """``count`` records as the archive stores them (JSON fields plus ``_id``)."""
    head, stored = ChainHead(), []
    for n in range(count):
        record, head = append(head, entry(n, Outcome.REJECTED if n % 3 == 2 else Outcome.DELIVERED))
        stored.append({"_id": record.sequence, **record.model_dump(mode="json")})
    return stored


def test_append_numbers_and_links_the_records() -> None:
    records = chain(4)
    assert [r["sequence"] for r in records] == [0, 1, 2, 3]
    assert records[0]["prev_hash"] == GENESIS
    assert [r["prev_hash"] for r in records[1:]] == [r["hash"] for r in records[:-1]]
    assert len({r["hash"] for r in records}) == 4


def test_an_intact_chain_holds_in_any_order() -> None:
    records = chain(7)
    assert verify(records) == (7, None)
    assert verify(list(reversed(records))) == (7, None)
    assert verify([]) == (0, None)


def test_an_altered_field_is_named() -> None:
    records = chain(6)
    assert records[2]["outcome"] == "rejected"
    records[2]["outcome"] = "delivered"  # hide a rejection
    checked, finding = verify(records)
    assert finding is not None
    assert (finding.sequence, finding.problem) == (2, "altered")
    assert checked == 2
    assert str(finding) == "record 2 altered: its content does not match its hash"


def test_an_altered_record_with_a_recomputed_hash_is_named_by_the_next_link() -> None:
    records = chain(6)
    records[2]["recipient"] = "police"
    records[2]["hash"] = record_hash(records[2])  # a forger who knows the hash function
    _, finding = verify(records)
    assert finding is not None
    assert (finding.sequence, finding.problem) == (2, "altered")
    assert "record 3 links to a different hash" in finding.detail


def test_the_last_record_rewritten_with_its_hash_goes_unnoticed() -> None:
    # The archive alone cannot catch this: the chain's end is only known from the audit topic
    # (or a receipt the sender holds). The test records that limit, so a change to it shows.
    records = chain(4)
    records[3]["recipient"] = "police"
    records[3]["hash"] = record_hash(records[3])
    assert verify(records) == (4, None)


def test_a_deleted_record_in_the_middle_is_named_missing() -> None:
    records = chain(6)
    del records[4]
    checked, finding = verify(records)
    assert finding is not None
    assert str(finding) == "record 4 missing: records 4 are not in the log"
    assert checked == 4


def test_several_deleted_records_are_named_as_a_range() -> None:
    records = chain(8)
    del records[2:5]
    _, finding = verify(records)
    assert finding is not None
    assert (finding.sequence, finding.problem) == (2, "missing")
    assert "2–4" in finding.detail


def test_deleted_first_records_are_named_missing() -> None:
    records = chain(5)[2:]
    checked, finding = verify(records)
    assert finding is not None
    assert (finding.sequence, finding.problem) == (0, "missing")
    assert "0–1" in finding.detail
    assert checked == 0


def test_a_renumbered_record_breaks_its_hash() -> None:
    # Closing a gap by renumbering the records after it does not help the forger.
    records = chain(5)
    del records[2]
    for r in records[2:]:
        r["sequence"] -= 1
    _, finding = verify(records)
    assert finding is not None
    assert (finding.sequence, finding.problem) == (2, "altered")


def test_a_duplicated_sequence_is_named_altered() -> None:
    records = chain(5)
    twin = {**records[2], "event_id": "e-forged"}
    twin["hash"] = record_hash(twin)
    _, finding = verify([*records, twin])
    assert finding is not None
    assert (finding.sequence, finding.problem) == (2, "altered")


def test_a_record_without_a_sequence_is_not_taken_for_a_valid_one() -> None:
    records = chain(3)
    del records[1]["sequence"]
    _, finding = verify(records)
    assert finding is not None
    assert finding.problem == "altered"
