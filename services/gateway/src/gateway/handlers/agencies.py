"""The registry's commands beyond a plain store write: issuing an agency's client credentials."""

from __future__ import annotations

from gateway.adapters.credentials import client_secret, webhook_secret
from gateway.adapters.registry_store import RegistryStore
from gateway.schemas.agencies import Credentials


async def issue_credentials(
    *, registry: RegistryStore, agency_id: str, rotate: bool
) -> Credentials | None:
    """The agency's OAuth2 client credentials; ``rotate`` revokes the current secret. None if
    there is no such agency."""
    generation = await (registry.rotate if rotate else registry.generation)(agency_id)
    if generation is None:
        return None
    return Credentials(
        client_id=agency_id,
        client_secret=client_secret(agency_id, generation),
        generation=generation,
        webhook_secret=webhook_secret(agency_id).decode(),
    )
