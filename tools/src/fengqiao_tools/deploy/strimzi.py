"""Strimzi ``KafkaUser`` and ``KafkaTopic`` resources, rendered from the same derivation that
sets the local broker's ACLs, so Kubernetes and a developer machine enforce the same rights."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import groupby
from typing import Any

from fengqiao.contracts.rights import Acl, derive, principals
from fengqiao.contracts.topics import TopicSpec, platform_topics
from fengqiao.settings import TopicSettings

API_VERSION = "kafka.strimzi.io/v1beta2"
CLUSTER = "fengqiao"


def kafka_users(agencies: Iterable[str], *, cluster: str = CLUSTER) -> list[dict[str, Any]]:
    """One SCRAM-SHA-512 user per principal, with its ACLs grouped by resource."""
    ids = list(agencies)
    rules = derive(ids)
    return [
        _user(name, [a for a in rules if a.principal == f"User:{name}"], cluster)
        for name in principals(ids)
    ]


def _user(name: str, rules: list[Acl], cluster: str) -> dict[str, Any]:
    acls = []
    for (resource, target, pattern), same in groupby(
        sorted(rules), key=lambda a: (a.resource, a.name, a.pattern)
    ):
        acls.append(
            {
                "resource": {"type": resource.value, "name": target, "patternType": pattern.value},
                "operations": sorted(a.operation.value for a in same),
                "host": "*",
            }
        )
    return {
        "apiVersion": API_VERSION,
        "kind": "KafkaUser",
        "metadata": {"name": name, "labels": {"strimzi.io/cluster": cluster}},
        "spec": {
            "authentication": {"type": "scram-sha-512"},
            "authorization": {"type": "simple", "acls": acls},
        },
    }


def kafka_topics(
    agencies: Iterable[str], settings: TopicSettings, *, cluster: str = CLUSTER
) -> list[dict[str, Any]]:
    return [_topic(spec, cluster) for spec in platform_topics(agencies, settings)]


def _topic(spec: TopicSpec, cluster: str) -> dict[str, Any]:
    return {
        "apiVersion": API_VERSION,
        "kind": "KafkaTopic",
        # Resource names may not hold '_'; topicName keeps the real one.
        "metadata": {
            "name": re.sub(r"[^a-z0-9.-]", "-", spec.name),
            "labels": {"strimzi.io/cluster": cluster},
        },
        "spec": {
            "topicName": spec.name,
            "partitions": spec.partitions,
            "replicas": spec.replication_factor,
            "config": dict(spec.config),
        },
    }
