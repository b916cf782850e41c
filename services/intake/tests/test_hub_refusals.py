"""Bad input never half-writes: HTTP gets RFC 9457 problem details, Kafka gets a DLQ record
with the reason. Also who may see what: tokens, roles, masked parties, the citizen's view."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from fengqiao.contracts import topics
from fengqiao.contracts.codes import Outcome
from fengqiao.contracts.events import CaseFeedback
from fengqiao.messaging.dlq import DeadLetter, read_dead_letters
from fengqiao.settings import KafkaSettings
from fengqiao.testing import until
from hubkit import configure_hub, running_hub, staff

CASE: dict[str, Any] = {
    "channel": "online",
    "category": "neighbour",
    "title": "邻里噪音纠纷",
    "description": "楼上深夜噪音。",
    "location": {"town": "440781106", "village": "440781106201"},
    "parties": [
        {
            "name": "欧阳娜娜",
            "id_number": "11010519491231002X",
            "phone": "13812345678",
            "address": "台山市都斛镇南村12号",
        }
    ],
}


async def test_bad_requests_get_problem_details_and_leave_nothing_behind(
    kafka: KafkaSettings, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    hub_id = configure_hub(monkeypatch, tmp_path, kafka=kafka, mongo=mongodb_uri)
    officer = staff(hub_id, "officer")
    async with running_hub(kafka) as (client, forces, runtime):
        unknown_category = await client.post(
            "/api/v1/cases", json={**CASE, "category": "alien_abduction"}, headers=officer
        )
        bad_id = await client.post(
            "/api/v1/cases",
            headers=officer,
            json={**CASE, "parties": [{"name": "张三", "id_number": "110105194912310021"}]},
        )
        no_token = await client.post("/api/v1/cases", json=CASE)
        wrong_role = await client.post("/api/v1/cases", json=CASE, headers=staff(hub_id, "analyst"))
        stored_before = await runtime.db["cases"].count_documents({})

        created = (await client.post("/api/v1/cases", json=CASE, headers=officer)).json()
        case_id = created["id"]
        too_early = await client.post(
            f"/api/v1/cases/{case_id}/closure", json={"summary": "结"}, headers=officer
        )
        not_a_case = await client.get("/api/v1/cases/000000000000deadbeef", headers=officer)
        await client.post(f"/api/v1/cases/{case_id}/assessment", json={}, headers=officer)
        await client.post(f"/api/v1/cases/{case_id}/dispatch", json={}, headers=officer)
        await forces.received(lambda e: e.type == "case.transferred.v1", count=2)
        before = (await client.get(f"/api/v1/cases/{case_id}", headers=officer)).json()

        ghost = await forces.say(
            "justice",
            CaseFeedback(
                case_id=case_id,
                assignment_id=f"{case_id}-99",
                at=datetime.now(UTC),
                outcome=Outcome.RESOLVED,
                summary="调解成功",
            ),
            subject=case_id,
        )

        async def dead_letters() -> list[DeadLetter]:
            return [d for d in await read_dead_letters(kafka) if d.topic == topics.inbound(hub_id)]

        letters = await until(dead_letters, "the ghost's dead letter", every_s=0.2)
        after = (await client.get(f"/api/v1/cases/{case_id}", headers=officer)).json()

        masked = (
            await client.get(f"/api/v1/cases/{case_id}", headers=staff(hub_id, "analyst"))
        ).json()
        public = await client.get(f"/api/v1/track/{created['tracking_code']}")
        unknown_code = await client.get("/api/v1/track/FQ0000000000")
        raw = await runtime.db["cases"].find_one({"_id": case_id})

    for response, status in (
        (unknown_category, 422),
        (bad_id, 422),
        (no_token, 401),
        (wrong_role, 403),
        (too_early, 409),
        (not_a_case, 404),
        (unknown_code, 404),
    ):
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/problem+json"
    assert "checksum" in bad_id.text.lower() or "check" in bad_id.text.lower()
    assert no_token.headers["www-authenticate"] == "Bearer"
    assert stored_before == 0, "refused requests stored nothing"

    assert [(d.reason, dict(d.headers).get("ce_id")) for d in letters] == [
        ("rejected_by_handler", ghost.id.encode())
    ]
    assert f"no assignment {case_id}-99" in letters[0].detail
    assert after["version"] == before["version"] and after["timeline"] == before["timeline"]

    assert before["parties"][0]["name"] == "欧阳娜娜"
    assert masked["parties"][0] == {
        "name": "欧***",
        "role": "applicant",
        "id_number": "110*************2X",
        "phone": "138****5678",
        "address": "台山市都斛镇***",
    }
    assert raw is not None and "欧阳娜娜" not in str(raw) and "13812345678" not in str(raw), (
        "personal data is encrypted at rest"
    )
    assert public.status_code == 200
    text = public.text
    for secret in ("欧阳", "13812345678", "1101051949", "王窗口", "噪音"):
        assert secret not in text
    assert public.json()["stage"]["code"] == "dispatched"
