"""Code lists of the platform link: the platform's statuses, our sync states, rejection reasons,
and how a hub case status shows on the platform."""

from __future__ import annotations

from fengqiao.contracts.codes import CodeList


class PlatformStatus(CodeList):
    """粤平安 event statuses, as the contract names them."""

    RECEIVED = ("received", "已受理", "received")
    ASSIGNED = ("assigned", "已分派", "assigned")
    IN_PROGRESS = ("in_progress", "办理中", "in progress")
    FINISHED = ("finished", "已办结", "finished, awaiting archive")
    CLOSED = ("closed", "已办结归档", "closed and archived")
    DUPLICATE = ("duplicate", "重复件", "duplicate of another event")


class SyncState(CodeList):
    """What became of one upstream event on our side (同步状态)."""

    RECEIVED = ("received", "已接收", "received from the platform")
    FORWARDED = ("forwarded", "已转报", "forwarded to the hub")
    REGISTERED = ("registered", "已登记", "registered by the hub as a case")
    CLOSED = ("closed", "已结案", "closed by the hub")
    DUPLICATE = ("duplicate", "重复件", "attached to an earlier event's case")
    REJECTED = ("rejected", "已拒收", "rejected: not a valid event")


class RejectReason(CodeList):
    MALFORMED = ("platform.malformed", "格式错误", "not a valid event")
    UNKNOWN_CATEGORY = ("platform.unknown_category", "事件类别未映射", "unmapped category code")
    UNKNOWN_AREA = ("platform.unknown_area", "区划代码未映射", "unmapped area code")


# The hub's case statuses and the platform status each shows as. ``closed`` and ``followed_up``
# reach the platform through the closure call, not a status push.
HUB_TO_PLATFORM: dict[str, PlatformStatus] = {
    "registered": PlatformStatus.RECEIVED,
    "reassessment": PlatformStatus.RECEIVED,
    "assessed": PlatformStatus.RECEIVED,
    "dispatched": PlatformStatus.ASSIGNED,
    "awaiting_verification": PlatformStatus.FINISHED,
    "verified": PlatformStatus.FINISHED,
    "closed": PlatformStatus.CLOSED,
    "followed_up": PlatformStatus.CLOSED,
}
