"""Code lists shared by every agency. Each code carries its Chinese and English label."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class CodeList(StrEnum):
    """A string code with ``zh`` and ``en`` labels; serialises as the bare code."""

    zh: str
    en: str

    def __new__(cls, code: str, zh: str = "", en: str = "") -> CodeList:
        member = str.__new__(cls, code)
        member._value_ = code
        member.zh = zh
        member.en = en
        return member

    @classmethod
    def labels(cls) -> list[dict[str, Any]]:
        return [{"code": m.value, "zh": m.zh, "en": m.en} for m in cls]


class Severity(CodeList):
    SIMPLE = ("simple", "简单", "simple")
    GENERAL = ("general", "一般", "general")
    MAJOR = ("major", "重大", "major")
    EXTRA_MAJOR = ("extra_major", "特大", "extra-major")


class Channel(CodeList):
    WALK_IN = ("walk_in", "来访", "walk-in")
    HOTLINE_12345 = ("hotline_12345", "12345热线", "12345 hotline")
    ONLINE = ("online", "网上", "online")
    LETTER = ("letter", "来信", "letter")
    GRID = ("grid", "网格上报", "grid report")
    PLATFORM = ("platform", "粤平安平台", "Yue-Pingan platform")
    POLICE = ("police", "公安", "police")
    COURT = ("court", "法院", "court")
    PROCURATORATE = ("procuratorate", "检察院", "procuratorate")
    JUSTICE = ("justice", "司法所", "justice office")


class AgencyKind(CodeList):
    HUB = ("hub", "综治中心", "hub")
    GRID = ("grid", "综合网格", "grid")
    COURT = ("court", "人民法院", "court")
    PROCURATORATE = ("procuratorate", "人民检察院", "procuratorate")
    POLICE = ("police", "公安派出所", "police station")
    JUSTICE = ("justice", "司法所", "justice office")
    PLATFORM = ("platform", "粤平安平台", "Yue-Pingan platform")
    DEPARTMENT = ("department", "职能部门", "department")
    SOCIAL_FORCE = ("social_force", "社会力量", "social force")


class Action(CodeList):
    VERIFY = ("verify", "核实", "verify")
    VISIT = ("visit", "走访", "visit")
    MEDIATE = ("mediate", "调解", "mediate")
    INVESTIGATE = ("investigate", "调查", "investigate")
    PRE_LITIGATION_MEDIATION = ("pre_litigation_mediation", "诉前调解", "pre-litigation mediation")
    SUPERVISE = ("supervise", "监督", "supervise")
    HEAR = ("hear", "听证", "hear")
    LEGAL_AID = ("legal_aid", "法律援助", "legal aid")
    HANDLE = ("handle", "办理", "handle")
    CONFIRM = ("confirm", "司法确认", "judicial confirmation of a mediation agreement")
    REPLY = ("reply", "建议回复", "act on a judicial or prosecutorial suggestion and reply")


class Outcome(CodeList):
    RESOLVED = ("resolved", "已化解", "resolved")
    PARTLY_RESOLVED = ("partly_resolved", "部分化解", "partly resolved")
    UNRESOLVED = ("unresolved", "未化解", "unresolved")
    REFERRED = ("referred", "已转办", "referred")


class Category(CodeList):
    LAND_RURAL = ("land_rural", "涉农涉土", "land and rural contracting")
    COLLECTIVE_INCOME = ("collective_income", "集体收益分配", "collective-income distribution")
    CROP_INSURANCE = ("crop_insurance", "农业保险理赔", "crop-insurance claim")
    ILLEGAL_AQUACULTURE = ("illegal_aquaculture", "非法养殖(蚝排)", "illegal aquaculture at sea")
    THEFT = ("theft", "盗窃", "theft")
    PUBLIC_ORDER = ("public_order", "治安", "public order")
    LABOUR_WAGE = ("labour_wage", "劳动工资", "labour and wage")
    DOCTOR_PATIENT = ("doctor_patient", "医患纠纷", "doctor–patient")
    WATER = ("water", "水利纠纷", "water")
    PROPERTY_MANAGEMENT = ("property_management", "物业管理", "property management")
    ROAD_TRAFFIC = ("road_traffic", "道路交通", "road traffic")
    MARRIAGE_FAMILY = ("marriage_family", "婚姻家庭", "marriage and family")
    FINANCE_INSURANCE = ("finance_insurance", "金融保险", "finance and insurance")
    HOUSING_CONSTRUCTION = ("housing_construction", "住房建设", "housing and construction")
    MEDICAL = ("medical", "医疗", "medical")
    EDUCATION = ("education", "教育", "education")
    NEIGHBOUR = ("neighbour", "邻里纠纷", "neighbour dispute")
    CIVIL_DEBT = ("civil_debt", "民间借贷", "civil debt")
    ENVIRONMENT = ("environment", "生态环境资源", "environment and resources")
    FOOD_DRUG = ("food_drug", "食品药品安全", "food and drug safety")
    WORK_SAFETY = ("work_safety", "安全生产", "work safety")
    ADMINISTRATIVE_ENFORCEMENT = (
        "administrative_enforcement",
        "行政执法",
        "administrative enforcement",
    )
    PETITION = ("petition", "信访", "petition")
    OTHER = ("other", "其他", "other")


class Flag(CodeList):
    GROUP_PETITION = ("group_petition", "集体访", "group petition")
    VULNERABLE = ("vulnerable", "弱势群体", "vulnerable party")
    REPEAT = ("repeat", "重复访", "repeat")
    SENSITIVE = ("sensitive", "敏感", "sensitive")
    EMERGENCY = ("emergency", "紧急", "emergency")


class Level(CodeList):
    """Administrative levels, lowest first: escalation moves one step along this order."""

    GRID = ("grid", "网格", "grid")
    VILLAGE = ("village", "村(社区)", "village or community")
    TOWN = ("town", "镇(街)", "town")
    COUNTY = ("county", "县(区)", "county")
    CITY = ("city", "市", "city")

    def above(self) -> Level:
        order = list(Level)
        return order[min(order.index(self) + 1, len(order) - 1)]


class Card(CodeList):
    """督办 cards: yellow at two thirds of the time, red when overdue."""

    YELLOW = ("yellow", "黄牌预警", "yellow card")
    RED = ("red", "红牌督办", "red card")


class Clock(CodeList):
    ACCEPT = ("accept", "签收时限", "accept by")
    FINISH = ("finish", "办结时限", "finish by")
    CASE = ("case", "案件办结时限", "case deadline")
