"""The registry's admin API (staff with the ``admin`` role): list, add or replace, disable and
enable agencies, and issue an agency's client credentials. ``fengqiao agency`` calls it."""

from __future__ import annotations

from fastapi import APIRouter, Response

from fengqiao.web.problems import problem_response
from gateway.api.deps import Admin, GatewayDep
from gateway.domain.registry import Agency
from gateway.handlers import agencies
from gateway.schemas.agencies import Credentials

router = APIRouter(prefix="/api/v1/agencies", tags=["registry"])


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
    issued = await agencies.issue_credentials(
        registry=gw.registry, agency_id=agency_id, rotate=rotate
    )
    return issued if issued is not None else _no_agency(agency_id)
