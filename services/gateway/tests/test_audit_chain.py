"""The audit hash chain: whatever is changed, recomputed, removed or duplicated in the stored
records, verification names the first place the chain does not hold; what the archive alone
cannot show (its end cut off or rewritten), comparison with the audit topic names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from gateway.domain.audit import (
    GENESIS,
    AuditEntry,
    ChainHead,
    Outcome,
    append,
    compare,
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


def test_the_last_record_rewritten_with_its_hash_is_named_by_the_topic() -> None:
    records = chain(4)
    records[3]["recipient"] = "police"
    records[3]["hash"] = record_hash(records[3])
    # The archive alone cannot catch this: only the audit topic knows how the chain ends.
    assert verify(records) == (4, None)
    finding = compare(records, chain(4))
    assert finding is not None
    assert str(finding) == "record 3 altered: differs from the audit topic in hash, recipient"


def test_an_archive_matching_the_topic_holds() -> None:
    assert compare(chain(6), chain(6)) is None
    assert compare(list(reversed(chain(6))), chain(6)) is None
    assert compare([], []) is None


def test_a_tail_deleted_from_the_archive_is_named_missing() -> None:
    archived = chain(6)[:4]
    assert verify(archived) == (4, None)  # a shorter chain is still a chain
    finding = compare(archived, chain(6))
    assert finding is not None
    assert (
        str(finding) == "record 4 missing: records 4–5 are in the audit topic, not in the archive"
    )


def test_allowed_lag_excuses_only_that_many_of_the_newest_records() -> None:
    archived = chain(6)[:4]
    assert compare(archived, chain(6), allow_lag=2) is None
    finding = compare(archived, chain(6), allow_lag=1)
    assert finding is not None
    assert (finding.sequence, finding.problem) == (4, "missing")
    assert compare([], chain(2), allow_lag=2) is None  # nothing archived yet


def test_a_hole_before_the_archives_end_is_never_lag() -> None:
    archived = chain(6)
    del archived[2]
    finding = compare(archived, chain(6), allow_lag=10)
    assert finding is not None
    assert str(finding) == "record 2 missing: records 2 are in the audit topic, not in the archive"


def test_a_record_after_the_topics_end_is_named_added() -> None:
    finding = compare(chain(5), chain(4))
    assert finding is not None
    assert str(finding) == "record 4 added: the audit topic ends at record 3"


def test_a_field_dropped_from_the_archive_differs_even_when_it_was_null() -> None:
    archived = chain(3)
    assert archived[1]["reason_code"] is None
    del archived[1]["reason_code"]
    finding = compare(archived, chain(3))
    assert finding is not None
    assert (finding.sequence, finding.detail) == (1, "differs from the audit topic in reason_code")


def test_records_the_topic_no_longer_holds_are_left_to_the_chain() -> None:
    # Retention removed the topic's first records: the overlap is compared, the rest is not.
    archived = chain(6)
    archived[1]["subject"] = "c-forged"
    assert compare(archived, chain(6)[3:]) is None
    assert verify(archived)[1] is not None
    archived[4]["subject"] = "c-forged"
    finding = compare(archived, chain(6)[3:])
    assert finding is not None
    assert (finding.sequence, finding.problem) == (4, "altered")


def test_an_empty_topic_compares_nothing() -> None:
    assert compare(chain(3), []) is None


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
