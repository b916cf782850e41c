"""The exchange's rights on the broker, derived from the registry (pure: no broker here)."""

from __future__ import annotations

from fengqiao_tools.deploy.strimzi import kafka_topics, kafka_users

from fengqiao.contracts import topics
from fengqiao.contracts.rights import Operation, Pattern, Resource, derive
from fengqiao.contracts.topics import platform_topics
from fengqiao.settings import TopicSettings

AGENCIES = ["intake", "grid", "court", "dept-labour"]


def test_an_agency_may_write_only_its_out_topic_and_read_only_its_in_topic() -> None:
    rules = derive(AGENCIES)
    for agency in AGENCIES:
        own = {(a.resource, a.name, a.operation) for a in rules if a.principal == f"User:{agency}"}
        writes = {name for resource, name, op in own if op is Operation.WRITE}
        reads = {
            name
            for resource, name, op in own
            if op is Operation.READ and resource is Resource.TOPIC
        }
        assert writes == {topics.outbound(agency), topics.dead_letters(agency)}
        assert reads == {topics.inbound(agency), topics.dead_letters(agency)}
        assert all(
            a.pattern is Pattern.LITERAL for a in rules if a.principal == f"User:{agency}"
        ), "an agency's rights name its own resources, never a prefix"


def test_only_the_gateway_reads_out_topics_and_writes_in_topics_audit_and_dlq() -> None:
    rules = derive(AGENCIES)

    def who(operation: Operation, name: str) -> set[str]:
        return {
            a.principal
            for a in rules
            if a.resource is Resource.TOPIC
            and a.operation is operation
            and (name == a.name or (a.pattern is Pattern.PREFIX and name.startswith(a.name)))
        }

    for agency in AGENCIES:
        assert who(Operation.READ, topics.outbound(agency)) == {"User:gateway"}
        assert who(Operation.WRITE, topics.inbound(agency)) == {"User:gateway"}
        assert who(Operation.READ, topics.inbound(agency)) == {"User:gateway", f"User:{agency}"}
    for shared in (topics.AUDIT, topics.DLQ):
        assert who(Operation.WRITE, shared) == who(Operation.READ, shared) == {"User:gateway"}
    assert who(Operation.READ, topics.dead_letters("grid")) == {"User:grid"}


def test_strimzi_users_carry_exactly_the_derived_rules() -> None:
    users = kafka_users(AGENCIES, cluster="c1")
    assert [u["metadata"]["name"] for u in users] == sorted({*AGENCIES, "gateway"})
    rendered = set()
    for user in users:
        assert user["metadata"]["labels"] == {"strimzi.io/cluster": "c1"}
        assert user["spec"]["authentication"] == {"type": "scram-sha-512"}
        for acl in user["spec"]["authorization"]["acls"]:
            for op in acl["operations"]:
                resource = acl["resource"]
                rendered.add(
                    (
                        f"User:{user['metadata']['name']}",
                        resource["type"],
                        resource["name"],
                        resource["patternType"],
                        op,
                    )
                )
    derived = {(a.principal, a.resource, a.name, a.pattern, a.operation) for a in derive(AGENCIES)}
    assert rendered == derived


def test_topics_are_sized_from_settings_and_the_audit_log_is_kept_for_ever() -> None:
    settings = TopicSettings(partitions=6, replication_factor=3, min_insync_replicas=2)
    specs = {s.name: s for s in platform_topics(["grid"], settings)}
    assert set(specs) == {
        topics.AUDIT,
        topics.DLQ,
        topics.outbound("grid"),
        topics.inbound("grid"),
        topics.dead_letters("grid"),
    }
    audit = specs[topics.AUDIT]
    assert (audit.partitions, audit.replication_factor, audit.config["retention.ms"]) == (
        1,
        3,
        "-1",
    )
    inbound = specs[topics.inbound("grid")]
    assert (inbound.partitions, inbound.replication_factor) == (6, 3)
    assert inbound.config["min.insync.replicas"] == "2"
    named = {t["spec"]["topicName"]: t for t in kafka_topics(["dept_x"], settings)}
    assert named["xchg.in.dept_x"]["metadata"]["name"] == "xchg.in.dept-x", "no '_' in names"
