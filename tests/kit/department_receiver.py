"""A sample department receiver (部门接收端): what a department of the "N" without Kafka runs to
take the hub's orders by webhook and answer them through the gateway's HTTP edge.

The gateway POSTs every event for the department as a structured CloudEvent, signed with the
department's webhook secret: ``X-Fengqiao-Signature: sha256=HMAC(secret, "<timestamp>.<body>")``.
The receiver checks the signature and the timestamp, takes a repeat (same ``Idempotency-Key``)
once, and answers each order (交办 ``case.transferred.v1``) with 签收 ``case.accepted.v1`` and
then 反馈 ``case.feedback.v1``, posted with an OAuth2 client-credentials token. Integrators:
copy it and put your own case handling where ``Reply`` is.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from fengqiao.contracts import ContractError, Envelope, new_envelope
from fengqiao.contracts.codes import Outcome
from fengqiao.contracts.envelope import from_attributes
from fengqiao.contracts.events import CaseTransferred
from fengqiao.contracts.orders import Notice, Order
from fengqiao.security.signing import sign

HOOK_PATH = "/hooks/fengqiao"
ORDER = "case.transferred.v1"
CE_JSON = "application/cloudevents+json"
REPLAY_WINDOW_S = 300  # older (or newer) timestamps are refused: a captured request expires


@dataclass(frozen=True)
class Reply:
    """How the sample answers every order: who handles it (签收) and what it reports (反馈)."""

    handler: str = "劳动保障监察大队"
    outcome: Outcome = Outcome.RESOLVED
    summary: str = "已责令用人单位限期足额支付拖欠工资, 劳动者确认全部收到"


SAMPLE_REPLY = Reply()


@dataclass
class Department:
    """The receiver's state, kept in memory: a real one keeps it in its own database."""

    agency: str
    webhook_secret: bytes
    client_secret: str
    signing_key: Ed25519PrivateKey | None
    auto_reply: Reply | None
    http: httpx.AsyncClient | None = None
    received: list[Envelope] = field(default_factory=list)  # every event taken, in order
    replies: list[Envelope] = field(default_factory=list)  # posted to the gateway and taken
    refused: list[str] = field(default_factory=list)  # why a webhook was answered 401
    failures: list[str] = field(default_factory=list)  # why a reply could not be posted
    _seen: set[str] = field(default_factory=set)
    _token: tuple[str, float] | None = None

    @property
    def orders(self) -> list[Envelope]:
        return [e for e in self.received if e.type == ORDER]

    async def take(self, request: Request) -> Response:
        """The webhook: 401 if forged or stale, 200 for a repeat, 204 once acted on."""
        body = await request.body()
        forged = self.forged(request.headers, body)
        if forged is not None:
            self.refused.append(forged)
            return JSONResponse({"detail": forged}, status_code=401)
        try:
            event = json.loads(body)
            attributes = {k: v for k, v in event.items() if k != "data"}
            envelope = from_attributes(attributes, event["data"])
        except (ValueError, TypeError, KeyError, AttributeError, ContractError) as error:
            return JSONResponse({"detail": f"not a CloudEvent: {error}"}, status_code=400)
        key = request.headers.get("idempotency-key", envelope.id)
        if key in self._seen:
            return JSONResponse({"duplicate": key}, status_code=200)
        self._seen.add(key)  # before any await: a concurrent repeat is a repeat too
        try:
            if envelope.type == ORDER and self.auto_reply is not None:
                await self.answer(envelope, self.auto_reply)
        except httpx.HTTPError as error:
            self._seen.discard(key)
            self.failures.append(repr(error))
            # The gateway delivers again; the replies keep their ids, so the hub applies them once.
            return JSONResponse({"detail": "the gateway is unavailable"}, status_code=503)
        self.received.append(envelope)
        return Response(status_code=204)

    def forged(self, headers: Mapping[str, str], body: bytes) -> str | None:
        """Why the request did not come from the gateway, or None if it did."""
        timestamp = headers.get("x-fengqiao-timestamp", "")
        offered = headers.get("x-fengqiao-signature", "")
        digest = hmac.new(self.webhook_secret, timestamp.encode() + b"." + body, hashlib.sha256)
        if not hmac.compare_digest(offered.encode(), f"sha256={digest.hexdigest()}".encode()):
            return "bad signature"
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > REPLAY_WINDOW_S:
            return f"stale timestamp {timestamp}"
        return None

    async def answer(self, order_event: Envelope, reply: Reply) -> None:
        """签收 then 反馈, to whoever sent the order, about the sender's case."""
        sender = order_event.source.removeprefix("/agencies/")
        order = Order.of(CaseTransferred.model_validate(order_event.data), sender=sender)
        now = datetime.now(UTC)
        for notice in (
            order.accepted(handler=reply.handler, at=now),
            order.feedback(outcome=reply.outcome, summary=reply.summary, at=now),
        ):
            await self.post(self.event(notice, order.case_id, cause=order_event))

    def event(self, notice: Notice, case_id: str, *, cause: Envelope) -> Envelope:
        unsigned = new_envelope(
            notice.data,
            source=f"/agencies/{self.agency}",
            subject=case_id,
            recipient=notice.recipient,
            correlationid=cause.correlationid or cause.id,
            causationid=cause.id,
        )
        # One id per (order, answer): sent again after a failure, it is still the same event.
        same = uuid.uuid5(uuid.NAMESPACE_URL, f"{cause.id}/{unsigned.type}")
        unsigned = unsigned.model_copy(update={"id": str(same)})
        return unsigned if self.signing_key is None else sign(unsigned, self.signing_key)

    async def post(self, event: Envelope) -> None:
        assert self.http is not None, "the app is not running"
        body = json.dumps(event.model_dump(mode="json", exclude_none=True), ensure_ascii=False)
        headers = {"Authorization": f"Bearer {await self.token()}", "Content-Type": CE_JSON}
        answer = await self.http.post("/api/v1/events", content=body.encode(), headers=headers)
        answer.raise_for_status()  # 422 names the refusal in its problem details
        self.replies.append(event)

    async def token(self) -> str:
        """A bearer token of the gateway's ``/oauth/token``, reused until shortly before expiry."""
        assert self.http is not None, "the app is not running"
        if self._token is not None and self._token[1] > time.monotonic() + 30:
            return self._token[0]
        form = {
            "grant_type": "client_credentials",
            "client_id": self.agency,
            "client_secret": self.client_secret,
        }
        answer = await self.http.post("/oauth/token", data=form)
        answer.raise_for_status()
        grant = answer.json()
        self._token = (grant["access_token"], time.monotonic() + grant["expires_in"])
        return self._token[0]


def department_app(
    *,
    agency: str,
    gateway_url: str,
    webhook_secret: str,
    client_secret: str,
    signing_key: Ed25519PrivateKey | None = None,
    auto_reply: Reply | None = SAMPLE_REPLY,
) -> FastAPI:
    """The receiver as an app; its webhook is ``HOOK_PATH``. The secrets are those
    ``fengqiao agency credentials`` prints; ``auto_reply=None`` only keeps what comes in."""
    department = Department(
        agency=agency,
        webhook_secret=webhook_secret.encode(),
        client_secret=client_secret,
        signing_key=signing_key,
        auto_reply=auto_reply,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient(base_url=gateway_url, timeout=10.0) as http:
            department.http = http
            yield

    app = FastAPI(title=f"department receiver {agency}", lifespan=lifespan)
    app.state.department = department
    app.add_api_route(HOOK_PATH, department.take, methods=["POST"], include_in_schema=False)
    return app


def department_of(app: FastAPI) -> Department:
    found: Department = app.state.department
    return found
