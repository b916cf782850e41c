"""The agreement document (人民调解协议书, DOCX): read back, it has the parties, the terms,
the legal effect and a signature block for every party, the mediator and the committee."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import docx

from fengqiao.contracts.events import Party
from justice.adapters.agreement_document import mask_id_number, render_agreement
from justice.domain.mediation import Agreement

CHEN = Party(name="陈大海", role="applicant", id_number="440781197003051234", address="莲湖村3号")
HUANG = Party(name="黄阿明", role="respondent")
VILLAGE = Party(name="莲湖村民委员会", role="第三人")
COMMITTEE = "都斛镇农村土地承包经营纠纷调解委员会"


def agreement() -> Agreement:
    return Agreement(
        number="都斛调〔2026〕12号",
        parties=[CHEN, HUANG, VILLAGE],
        facts="双方承包地以田埂为界，黄阿明扩种越界约30厘米",
        terms=[
            "以2015年确权图为准重新立界",
            "黄阿明于3月31日前恢复田埂原状",
            "调解费用由双方各半承担",
        ],
        performance_deadline=date(2026, 3, 31),
        performance_manner="双方现场交接，村委会见证",
        signed_at=datetime(2026, 3, 5, 17, 0, tzinfo=UTC),  # 3月6日 01:00 in Shanghai
    )


def lines(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_the_document_reads_back_with_parties_terms_and_signatures() -> None:
    data = render_agreement(agreement(), committee_name=COMMITTEE, mediator_name="朱永康")
    text = lines(data)
    body = "\n".join(text)
    assert text[0] == "人民调解协议书"
    assert "编号：都斛调〔2026〕12号" in text
    assert "申请人：陈大海，身份证号码：4407**********1234，住址：莲湖村3号" in text
    assert "被申请人：黄阿明" in text and "第三人：莲湖村民委员会" in text
    assert "440781197003051234" not in body
    assert "纠纷主要事实" in text and "黄阿明扩种越界约30厘米" in body
    assert "协议内容" in text
    assert [t for t in text if t[:2] in ("1.", "2.", "3.")] == [
        "1. 以2015年确权图为准重新立界",
        "2. 黄阿明于3月31日前恢复田埂原状",
        "3. 调解费用由双方各半承担",
    ]
    assert "履行方式、时限" in text and "于2026年3月31日前履行完毕" in body
    assert "具有法律约束力" in body and "三十日内" in body and "司法确认" in body
    for signer in (
        "申请人（签名）：陈大海",
        "被申请人（签名）：黄阿明",
        "第三人（签名）：莲湖村民委员会",
        "人民调解员（签名）：朱永康",
    ):
        assert any(t.startswith(signer) for t in text), signer
    assert f"{COMMITTEE}（盖章）" in text
    assert text[-1] == "2026年3月6日"
    assert (
        docx.Document(io.BytesIO(data)).core_properties.title == "人民调解协议书 都斛调〔2026〕12号"
    )


def test_without_a_deadline_the_manner_alone_is_stated() -> None:
    plain = agreement().model_copy(update={"performance_deadline": None, "performance_manner": ""})
    body = "\n".join(
        lines(render_agreement(plain, committee_name=COMMITTEE, mediator_name="朱永康"))
    )
    assert "按协议内容履行。" in body and "前履行完毕" not in body


def test_id_numbers_keep_four_and_four() -> None:
    assert mask_id_number("440781197003051234") == "4407**********1234"
    assert mask_id_number("12345678") == "********"
