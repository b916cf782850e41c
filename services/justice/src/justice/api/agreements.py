"""HTTP routes of a mediation's agreement: recording it (达成协议), asking the court to confirm
it (司法确认), and the filed 人民调解协议书 (DOCX)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Response

from fengqiao.clock import now_utc
from justice.adapters.documents import DOCX
from justice.api.deps import OfficeDep, Staff, handled
from justice.handlers import agreements, confirmations
from justice.schemas.mediations import AgreementIn, MediationRead, mediation_read

router = APIRouter()


@router.post("/mediations/{mediation_id}/agreement", response_model=MediationRead)
async def agree(
    mediation_id: str, body: AgreementIn, office: OfficeDep, caller: Staff
) -> MediationRead:
    """达成协议: numbered (都斛调〔year〕n号), rendered as 人民调解协议书 and filed; the hub gets
    the feedback, or — with ``ask_confirmation`` — the court gets the agreement to confirm."""
    await handled(office, mediation_id, caller)
    mediation = await agreements.record_agreement(
        office,
        mediation_id=mediation_id,
        text=body,
        by=caller.name,
        ask_confirmation=body.ask_confirmation,
    )
    return mediation_read(mediation, caller, now_utc())


@router.post("/mediations/{mediation_id}/confirmation", response_model=MediationRead)
async def ask_confirmation(mediation_id: str, office: OfficeDep, caller: Staff) -> MediationRead:
    """申请司法确认 of the mediation's agreement; 404 when there is no agreement to confirm."""
    await handled(office, mediation_id, caller)
    mediation = await confirmations.ask_confirmation(
        office, mediation_id=mediation_id, by=caller.name
    )
    return mediation_read(mediation, caller, now_utc())


@router.get(
    "/mediations/{mediation_id}/agreement.docx",
    response_class=Response,
    responses={200: {"content": {DOCX: {}}, "description": "人民调解协议书 (DOCX)"}},
)
async def agreement_document(mediation_id: str, office: OfficeDep, caller: Staff) -> Response:
    """人民调解协议书 as filed (DOCX); its SHA-256 is the one the hub and the court were given."""
    mediation, data = await agreements.agreement_document(office, mediation_id=mediation_id)
    number = mediation.agreement.number if mediation.agreement else "agreement"
    disposition = (
        f'attachment; filename="agreement-{mediation_id}.docx"; '
        f"filename*=UTF-8''{quote(number + '.docx')}"
    )
    return Response(data, media_type=DOCX, headers={"Content-Disposition": disposition})
