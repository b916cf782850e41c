"""Topic names, consumer groups, settings from the environment, and the service catalogue."""

from __future__ import annotations

import os

import pytest
from pydantic import ValidationError

from fengqiao.catalog import BY_NAME, SERVICES, spec_of
from fengqiao.contracts import topics
from fengqiao.settings import InfraSettings, service_settings

INVALID_AGENCY_IDS = ["", "Court", "a b", "../x", "court.in", "1court", "法院"]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No FENGQIAO_* or infrastructure variable leaks in from the caller's shell."""
    for name in list(os.environ):
        if name.upper().startswith("FENGQIAO_") or name.upper() in {
            "KAFKA_BOOTSTRAP_SERVERS",
            "MONGODB_URI",
        }:
            monkeypatch.delenv(name)
    return monkeypatch


def test_topic_names() -> None:
    assert topics.outbound("court") == "xchg.out.court"
    assert topics.inbound("court") == "xchg.in.court"
    assert topics.outbound("social_force-7") == "xchg.out.social_force-7"
    assert topics.DLQ == "xchg.dlq"
    assert topics.AUDIT == "xchg.audit"


def test_every_service_has_distinct_topics() -> None:
    names = [spec.name for spec in SERVICES]
    all_topics = [topics.outbound(n) for n in names] + [topics.inbound(n) for n in names]

    assert len(set(all_topics)) == 2 * len(names)
    assert topics.DLQ not in all_topics
    assert topics.AUDIT not in all_topics


@pytest.mark.parametrize("agency", INVALID_AGENCY_IDS)
def test_invalid_agency_id_is_refused(agency: str) -> None:
    with pytest.raises(ValueError, match="invalid agency id"):
        topics.outbound(agency)
    with pytest.raises(ValueError, match="invalid agency id"):
        topics.inbound(agency)
    with pytest.raises(ValueError, match="invalid agency id"):
        topics.consumer_group(agency)


def test_agency_id_with_a_trailing_newline_is_refused() -> None:
    try:
        name = topics.outbound("court\n")
    except ValueError:
        return
    pytest.fail(
        f"BUG in fengqiao/contracts/topics.py (_checked): 'court\\n' gave topic {name!r}; "
        "`re.match` with `$` lets a trailing newline through; use `_AGENCY_ID.fullmatch` "
        r"(or `\Z`) so no invalid Kafka topic name can be built"
    )


def test_consumer_group() -> None:
    assert topics.consumer_group("intake") == "fengqiao-intake"
    assert topics.consumer_group("gateway") != topics.consumer_group("intake")


def test_service_settings_defaults(clean_env: pytest.MonkeyPatch) -> None:
    settings = service_settings("intake", port=8001)

    assert settings.port == 8001
    assert settings.database == "fengqiao_intake"
    assert settings.host == "127.0.0.1"
    assert settings.agency_id == "intake"
    assert settings.readiness_timeout_s == 2.0


def test_service_settings_read_their_prefixed_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("FENGQIAO_INTAKE_PORT", "9101")
    clean_env.setenv("FENGQIAO_INTAKE_DATABASE", "hub_db")
    clean_env.setenv("FENGQIAO_INTAKE_HOST", "0.0.0.0")
    clean_env.setenv("FENGQIAO_INTAKE_READINESS_TIMEOUT_S", "0.5")

    settings = service_settings("intake", port=8001)

    assert settings.port == 9101
    assert settings.database == "hub_db"
    assert settings.host == "0.0.0.0"
    assert settings.readiness_timeout_s == 0.5


def test_another_service_environment_does_not_leak(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("FENGQIAO_GRID_PORT", "9102")
    clean_env.setenv("FENGQIAO_GRID_DATABASE", "grid_db")

    intake = service_settings("intake", port=8001)
    grid = service_settings("grid", port=8002)

    assert intake.port == 8001
    assert intake.database == "fengqiao_intake"
    assert grid.port == 9102
    assert grid.database == "grid_db"


def test_unprefixed_port_does_not_affect_a_service(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("PORT", "9999")

    assert service_settings("intake", port=8001).port == 8001


def test_a_bad_value_in_the_environment_is_refused(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("FENGQIAO_INTAKE_PORT", "eighty")

    with pytest.raises(ValidationError):
        service_settings("intake", port=8001)


def test_infra_settings_defaults(clean_env: pytest.MonkeyPatch) -> None:
    infra = InfraSettings()

    assert infra.kafka.bootstrap_servers == "127.0.0.1:9092"
    assert infra.mongodb_uri == "mongodb://127.0.0.1:27017"


def test_infra_settings_read_the_standard_variables(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("KAFKA_BOOTSTRAP_SERVERS", "broker-1:9092,broker-2:9092")
    clean_env.setenv("MONGODB_URI", "mongodb://store:27018/?replicaSet=rs0")

    infra = InfraSettings()

    assert infra.kafka.bootstrap_servers == "broker-1:9092,broker-2:9092"
    assert infra.mongodb_uri == "mongodb://store:27018/?replicaSet=rs0"


def test_catalog_has_the_eight_services_on_their_ports() -> None:
    assert [(spec.name, spec.port) for spec in SERVICES] == [
        ("gateway", 8000),
        ("intake", 8001),
        ("grid", 8002),
        ("court", 8003),
        ("procuratorate", 8004),
        ("police", 8005),
        ("justice", 8006),
        ("platform", 8007),
    ]
    assert len(BY_NAME) == 8
    for spec in SERVICES:
        assert spec.zh, spec.name
        assert spec.en, spec.name
        assert spec.package.isidentifier(), spec.package
        assert topics.outbound(spec.name), "every service name must be a valid agency id"


def test_platform_package_does_not_shadow_the_standard_library() -> None:
    assert spec_of("platform").package != "platform"


def test_spec_of() -> None:
    assert spec_of("court").port == 8003
    assert spec_of("court") is BY_NAME["court"]


def test_spec_of_an_unknown_service_raises() -> None:
    with pytest.raises(KeyError, match="nope"):
        spec_of("nope")


def test_the_agency_of_a_topic_is_named_after_out_or_in_whatever_the_namespace() -> None:
    assert topics.agency_of("xchg.out.police") == "police"
    assert topics.agency_of("xchg.in.dept-labour") == "dept-labour"
    assert topics.agency_of("bench.out.hub-1a2b") == "hub-1a2b"
    with pytest.raises(ValueError):
        topics.agency_of("xchg.out.Not An Agency")
