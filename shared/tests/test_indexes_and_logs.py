"""Indexes are created at start (idempotently), and log lines carry the trace they belong to."""

from __future__ import annotations

import json
import logging

from pymongo.asynchronous.database import AsyncDatabase

from fengqiao.storage import IndexSpec, ensure_indexes
from fengqiao.storage.mongo import Document
from fengqiao.telemetry import configure_telemetry, tracer
from fengqiao.telemetry.logs import JsonFormatter


async def test_indexes_are_created_once_and_again_harmlessly(
    mongo_db: AsyncDatabase[Document],
) -> None:
    specs = [
        IndexSpec("cases", (("tracking_code", 1),), unique=True),
        IndexSpec("cases", (("status", 1), ("opened_at", 1))),
    ]
    await ensure_indexes(mongo_db, specs)
    await ensure_indexes(mongo_db, specs)
    names = {i["name"] async for i in await mongo_db["cases"].list_indexes()}
    assert {"tracking_code_1", "status_1_opened_at_1"} <= names


def test_a_log_line_is_json_with_the_trace_id() -> None:
    configure_telemetry("tests")
    formatter = JsonFormatter("intake")
    record = logging.LogRecord(
        "intake", logging.INFO, __file__, 1, "case %s registered", ("C1",), None
    )
    with tracer().start_as_current_span("register") as span:
        line = json.loads(formatter.format(record))
    assert line["message"] == "case C1 registered" and line["service"] == "intake"
    assert line["trace_id"] == format(span.get_span_context().trace_id, "032x")
    outside = json.loads(formatter.format(record))
    assert "trace_id" not in outside
