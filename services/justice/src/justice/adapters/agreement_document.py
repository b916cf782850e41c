"""The people's mediation agreement (人民调解协议书) as a DOCX document, made with python-docx.

Laid out as the Ministry of Justice's model text: number, parties, the main facts of the
dispute, the numbered terms, how and by when they are performed, the legal effect, then a
signature line for every party, the mediator and the committee's seal, dated. ID numbers are
masked (first 4 and last 4 kept): the document is handed to the parties and filed.
"""

from __future__ import annotations

import io
from datetime import date
from zoneinfo import ZoneInfo

from docx import Document
from docx.document import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from fengqiao.contracts.events import Party
from justice.domain.mediation import Agreement

SHANGHAI = ZoneInfo("Asia/Shanghai")
FONT = "宋体"
ROLES = {"applicant": "申请人", "respondent": "被申请人", "party": "当事人", "third": "第三人"}
LEGAL_EFFECT = (
    "本协议经各方当事人签名（盖章或按指印）、人民调解员签名并加盖人民调解委员会印章后生效。"
    "经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。"
    "各方当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。"
)


def mask_id_number(id_number: str) -> str:
    """First 4 and last 4 characters: "440781199001011234" → "4407**********1234"."""
    s = id_number.strip()
    if len(s) <= 8:
        return "*" * len(s)
    return s[:4] + "*" * (len(s) - 8) + s[-4:]


def role_zh(party: Party) -> str:
    return ROLES.get(party.role, party.role)


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def render_agreement(agreement: Agreement, *, committee_name: str, mediator_name: str) -> bytes:
    """人民调解协议书: the agreement as DOCX bytes, ready to store and hand to the parties."""
    doc = Document()
    _use_chinese_font(doc)
    doc.core_properties.title = f"人民调解协议书 {agreement.number}"
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = heading.add_run("人民调解协议书")
    title.bold, title.font.size = True, Pt(22)
    number = doc.add_paragraph(f"编号：{agreement.number}")
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    _section(doc, "当事人")
    for party in agreement.parties:
        line = f"{role_zh(party)}：{party.name}"
        if party.id_number:
            line += f"，身份证号码：{mask_id_number(party.id_number)}"
        if party.address:
            line += f"，住址：{party.address}"
        doc.add_paragraph(line)

    _section(doc, "纠纷主要事实")
    doc.add_paragraph(agreement.facts)
    _section(doc, "协议内容")
    for i, term in enumerate(agreement.terms, start=1):
        doc.add_paragraph(f"{i}. {term}")
    _section(doc, "履行方式、时限")
    doc.add_paragraph(_performance(agreement))
    doc.add_paragraph(LEGAL_EFFECT)
    copies = len(agreement.parties) + 1
    doc.add_paragraph(f"本协议一式{copies}份，当事人各执一份，人民调解委员会留存一份。")

    signed = chinese_date(agreement.signed_at.astimezone(SHANGHAI).date())
    doc.add_paragraph()
    for party in agreement.parties:
        doc.add_paragraph(f"{role_zh(party)}（签名）：{party.name}＿＿＿＿＿＿  {signed}")
    doc.add_paragraph(f"人民调解员（签名）：{mediator_name}＿＿＿＿＿＿  {signed}")
    seal = doc.add_paragraph(f"{committee_name}（盖章）")
    seal.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    dated = doc.add_paragraph(signed)
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _performance(agreement: Agreement) -> str:
    manner = agreement.performance_manner or "按协议内容履行"
    if agreement.performance_deadline is None:
        return f"{manner}。"
    return f"{manner}，于{chinese_date(agreement.performance_deadline)}前履行完毕。"


def _section(doc: Docx, name: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.add_run(name).bold = True


def _use_chinese_font(doc: Docx) -> None:
    # python-docx sets only the Latin font; Chinese text needs the East Asian slot too.
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
