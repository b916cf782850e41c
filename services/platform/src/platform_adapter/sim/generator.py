"""Makes the platform's events (上报事件): new ones, repeats of recent ones, broken ones."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

from platform_adapter.sim.catalog import (
    AREA_BY_CODE,
    CATEGORIES,
    CATEGORY_BY_CODE,
    CHANNELS,
    REQUIRED_FIELDS,
    TOWN,
    UNKNOWN_AREA,
    UNKNOWN_CATEGORY,
    VILLAGES,
)
from platform_adapter.sim.content import (
    GARBAGE,
    GIVEN_NAMES,
    PHONE_PREFIXES,
    PLACES,
    SURNAMES,
    TEMPLATES,
)

CST = timezone(timedelta(hours=8), "CST")  # the platform speaks Beijing time
MALFORMED_KINDS = ("missing_field", "unknown_category", "unknown_area", "bad_time", "garbage")


class EventMaker:
    """Writes events (事件) as the platform lists them, from one seeded random source."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def new(self, seq: int, now: datetime, **given: Any) -> dict[str, Any]:
        """A well-formed new report (新事件); ``given`` fields replace the invented ones."""
        rng = self.rng
        category = CATEGORY_BY_CODE.get(given.get("category_code", ""), rng.choice(CATEGORIES))
        area = AREA_BY_CODE.get(given.get("area_code", "")) or (
            TOWN if rng.random() < 0.1 else rng.choice(VILLAGES)
        )
        title, description = rng.choice(TEMPLATES[category.code])
        # Reports reach the list a little after the citizen made them (审核入库).
        reported = now - timedelta(seconds=rng.randint(0, 600))
        event: dict[str, Any] = {
            "event_id": _event_id(seq, now),
            "seq": seq,
            "channel": self.channel(),
            "category_code": category.code,
            "area_code": area.code,
            "title": title,
            "description": description.format(village=area.name, n=rng.randint(2, 9)),
            "reported_at": reported.astimezone(CST).isoformat(timespec="seconds"),
            "urgency": "urgent" if rng.random() < category.urgent_share else "normal",
        }
        if rng.random() < 0.9:  # some report anonymously
            event["reporter"] = {"name": self.name(), "phone": self.phone()}
        if rng.random() < 0.85:
            event["location"] = {
                "lon": round(rng.uniform(*area.lon), 6),
                "lat": round(rng.uniform(*area.lat), 6),
                "address": f"{area.name}{rng.choice(PLACES)}",
            }
        event.update(given)
        return event

    def repeat(self, original: dict[str, Any], seq: int, now: datetime) -> dict[str, Any]:
        """The same incident again from another channel (重复件): a new event_id, the same
        reporter phone, area and category, told in other words."""
        rng = self.rng
        village = AREA_BY_CODE.get(original["area_code"], TOWN).name
        title, description = rng.choice(TEMPLATES[original["category_code"]])
        channels = [name for name in CHANNELS if name != original.get("channel")]
        event = {
            **original,
            "event_id": _event_id(seq, now),
            "seq": seq,
            "channel": rng.choice(channels),
            "title": title,
            "description": description.format(village=village, n=rng.randint(2, 9)),
            "reported_at": now.astimezone(CST).isoformat(timespec="seconds"),
        }
        if "location" in event and rng.random() < 0.5:
            del event["location"]  # a hotline operator rarely takes coordinates
        return event

    def broken(self, seq: int, now: datetime) -> tuple[Any, str]:
        """A record the adapter must reject (不合规数据), and what is wrong with it."""
        rng = self.rng
        kind = rng.choice(MALFORMED_KINDS)
        if kind == "garbage":
            return rng.choice(GARBAGE), kind
        event = self.new(seq, now)
        if kind == "missing_field":
            field = rng.choice(REQUIRED_FIELDS)
            del event[field]
            return event, f"missing_field:{field}"
        if kind == "unknown_category":
            event["category_code"] = UNKNOWN_CATEGORY
        elif kind == "unknown_area":
            event["area_code"] = UNKNOWN_AREA
        else:
            event["reported_at"] = now.astimezone(CST).strftime("%Y年%m月%d日 %H点")
        return event, kind

    def channel(self) -> str:
        return self.rng.choices(list(CHANNELS), weights=list(CHANNELS.values()))[0]

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN_NAMES)

    def phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"


def _event_id(seq: int, now: datetime) -> str:
    return f"YPA-{now.astimezone(CST).year}-{seq:06d}"
