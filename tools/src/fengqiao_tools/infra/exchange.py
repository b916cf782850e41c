"""The broker's side of the exchange for the agencies of a registry: each agency's SCRAM user
(its password from the key directory), its topics and its ACLs, as `fengqiao kafka apply` and
`fengqiao up` make them."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import yaml

from fengqiao.contracts.rights import derive, principals
from fengqiao.contracts.topics import platform_topics
from fengqiao.messaging.admin import Provisioned, provision
from fengqiao.settings import KafkaSettings, TopicSettings
from fengqiao_tools.infra import credentials
from fengqiao_tools.infra.config import InfraConfig


class NotARegistry(ValueError):
    """The file holds no ``agencies: [{id: ...}, ...]``."""


def registry_agencies(file: Path | None = None) -> list[str]:
    """The agency ids of a registry file (the gateway's ``agencies.yaml`` format); without a
    file, of the registry the gateway ships."""
    if file is None:
        # Read as a resource: the library does not import the gateway's code.
        text = (resources.files("gateway.domain") / "agencies.yaml").read_text(encoding="utf-8")
    else:
        text = file.read_text(encoding="utf-8")
    try:
        return [str(entry["id"]) for entry in yaml.safe_load(text)["agencies"]]
    except (yaml.YAMLError, KeyError, TypeError) as error:
        raise NotARegistry(f"{file}: not an agency registry ({error!r})") from None


async def provision_exchange(
    admin: KafkaSettings,
    agencies: Iterable[str],
    *,
    cfg: InfraConfig | None = None,
    topic_settings: TopicSettings | None = None,
) -> Provisioned:
    """Users (passwords from ``cfg``'s key directory, made if missing), topics, ACLs."""
    ids = list(agencies)
    cfg = cfg or InfraConfig()
    return await provision(
        admin,
        users={name: credentials.password(cfg, name) for name in principals(ids)},
        topics=platform_topics(ids, topic_settings or TopicSettings()),
        rules=derive(ids),
    )
