"""The registry's admin API (staff with the ``admin`` role): list, add or replace, disable and
enable agencies, and issue an agency's client credentials. ``fengqiao agency`` calls it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from fengqiao.security import Caller
from fengqiao.web.auth import require_role
from fengqiao.web.problems import problem_response
from gateway.bootstrap import Gateway, gateway_of
from gateway.credentials import client_secret, webhook_secret
from gateway.domain.registry import Agency

router = APIRouter(prefix="/api/v1/agencies", tags=["registry"])
Admin = Annotated[Caller, Depends(require_role("admin"))]


def gateway(request: Request) -> Gateway:
    return gateway_of(request.app.state.runtime)


GatewayDep = Annotated[Gateway, Depends(gateway)]


class Credentials(BaseModel):
    client_id: str
    client_secret: str
    generation: int
    webhook_secret: str = Field(
        description="the HMAC key of X-Fengqiao-Signature on webhooks to this agency"
    )


def _no_agency(agency_id: str) -> Response:
    return problem_response(404, f"no agency {agency_id} in the registry", title="Unknown agency")


@router.get("", response_model=list[Agency])
async def list_agencies(gw: GatewayDep, who: Admin) -> list[Agency]:
    return (await gw.registry.current()).agencies


@router.get("/{agency_id}", response_model=Agency, responses={404: {}})
async def get_agency(agency_id: str, gw: GatewayDep, who: Admin) -> Agency | Response:
    found = (await gw.registry.current()).get(agency_id)
    return found if found is not None else _no_agency(agency_id)


@router.put("/{agency_id}", response_model=Agency, responses={201: {}, 422: {}})
async def put_agency(
    agency_id: str, body: Agency, gw: GatewayDep, who: Admin, response: Response
) -> Agency | Response:
    if body.id != agency_id:
        return problem_response(422, f"the body is agency {body.id}, the path {agency_id}")
    if await gw.registry.put(body):
        response.status_code = 201
    return body


@router.post("/{agency_id}/disable", response_model=Agency, responses={404: {}})
async def disable(agency_id: str, gw: GatewayDep, who: Admin) -> Agency | Response:
    changed = await gw.registry.set_disabled(agency_id, True)
    return changed if changed is not None else _no_agency(agency_id)


@router.post("/{agency_id}/enable", response_model=Agency, responses={404: {}})
async def enable(agency_id: str, gw: GatewayDep, who: Admin) -> Agency | Response:
    changed = await gw.registry.set_disabled(agency_id, False)
    return changed if changed is not None else _no_agency(agency_id)


@router.post("/{agency_id}/credentials", response_model=Credentials, responses={404: {}})
async def issue_credentials(
    agency_id: str, gw: GatewayDep, who: Admin, rotate: bool = False
) -> Credentials | Response:
    """The agency's OAuth2 client credentials; ``rotate=true`` revokes the current secret."""
    generation = await (gw.registry.rotate if rotate else gw.registry.generation)(agency_id)
    if generation is None:
        return _no_agency(agency_id)
    return Credentials(
        client_id=agency_id,
        client_secret=client_secret(agency_id, generation),
        generation=generation,
        webhook_secret=webhook_secret(agency_id).decode(),
    )
