"""退回: why the court gives an order back before accepting it; the code travels in
``case.returned.v1`` as ``reason_code`` so the sender can re-assess."""

from __future__ import annotations

from fengqiao.contracts.codes import CodeList


class ReturnReason(CodeList):
    NOT_SUITABLE = (
        "court.not_suitable",
        "权利义务关系不明确, 不宜诉前调解",
        "rights and duties are not clear: not suitable for pre-litigation mediation",
    )
    NOT_CIVIL = ("court.not_civil", "不属于民事纠纷", "not a civil dispute")
    OUTSIDE_JURISDICTION = (
        "court.outside_jurisdiction",
        "不属于本院管辖",
        "outside this court's jurisdiction",
    )
    INCOMPLETE_AGREEMENT = (
        "court.incomplete_agreement",
        "调解协议或申请材料不全",
        "the agreement or the application is incomplete",
    )
    UNSUPPORTED_ACTION = (
        "court.unsupported_action",
        "法院不办理该事项",
        "the court does not do what the order asks",
    )
