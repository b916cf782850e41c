"""Fields of people's mediation (调解领域): one mediation committee (调委会) per field.

Seed 001 lists eight committees (joint, labour and personnel, doctor–patient, rural land, water,
property management, road traffic, marriage and family); the regulation (004) adds finance and
insurance, housing, medical and education. The joint committee (联合调委会) takes whatever no
field committee covers, so every dispute the hub sends has a committee.
"""

from __future__ import annotations

from fengqiao.contracts.codes import Category, CodeList


class CommitteeField(CodeList):
    JOINT = ("joint", "联合", "joint")
    LABOUR = ("labour", "劳动人事", "labour and personnel")
    DOCTOR_PATIENT = ("doctor_patient", "医患", "doctor–patient")
    RURAL_LAND = ("rural_land", "农村土地承包经营", "rural land contracting")
    WATER = ("water", "水利", "water")
    PROPERTY_MANAGEMENT = ("property_management", "物业", "property management")
    ROAD_TRAFFIC = ("road_traffic", "道路交通", "road traffic")
    MARRIAGE_FAMILY = ("marriage_family", "婚姻家庭", "marriage and family")
    FINANCE_INSURANCE = ("finance_insurance", "金融保险", "finance and insurance")
    HOUSING = ("housing", "住房", "housing")
    MEDICAL = ("medical", "医疗", "medical")
    EDUCATION = ("education", "教育", "education")


F = CommitteeField
FIELD_OF_CATEGORY: dict[Category, CommitteeField] = {
    Category.LAND_RURAL: F.RURAL_LAND,
    # Shares of collective income follow the contracting rights they come from.
    Category.COLLECTIVE_INCOME: F.RURAL_LAND,
    Category.CROP_INSURANCE: F.FINANCE_INSURANCE,
    Category.LABOUR_WAGE: F.LABOUR,
    Category.DOCTOR_PATIENT: F.DOCTOR_PATIENT,
    Category.WATER: F.WATER,
    Category.PROPERTY_MANAGEMENT: F.PROPERTY_MANAGEMENT,
    Category.ROAD_TRAFFIC: F.ROAD_TRAFFIC,
    Category.MARRIAGE_FAMILY: F.MARRIAGE_FAMILY,
    Category.FINANCE_INSURANCE: F.FINANCE_INSURANCE,
    Category.HOUSING_CONSTRUCTION: F.HOUSING,
    Category.MEDICAL: F.MEDICAL,
    Category.EDUCATION: F.EDUCATION,
}


def field_for(category: Category) -> CommitteeField:
    """调解领域: the field whose committee mediates a dispute of ``category``; else joint."""
    return FIELD_OF_CATEGORY.get(category, F.JOINT)
