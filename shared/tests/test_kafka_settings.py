"""How a process is told who it is on the broker (``KAFKA_*``): pure, no broker needed."""

from __future__ import annotations

import datetime as dt
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import ValidationError

from fengqiao.settings import KafkaSettings

KAFKA_VARIABLES = (
    "KAFKA_BOOTSTRAP_SERVERS",
    "KAFKA_SECURITY_PROTOCOL",
    "KAFKA_SASL_MECHANISM",
    "KAFKA_SASL_USERNAME",
    "KAFKA_SASL_PASSWORD",
    "KAFKA_SASL_PASSWORD_FILE",
    "KAFKA_SSL_CAFILE",
    "KAFKA_SSL_CERTFILE",
    "KAFKA_SSL_KEYFILE",
)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in KAFKA_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_plaintext_by_default_with_no_identity(env: pytest.MonkeyPatch) -> None:
    kafka = KafkaSettings()
    assert kafka.client_args() == {
        "bootstrap_servers": "127.0.0.1:9092",
        "security_protocol": "PLAINTEXT",
    }
    assert kafka.principal == "User:ANONYMOUS"


def test_sasl_needs_a_user_and_names_the_variable(env: pytest.MonkeyPatch) -> None:
    env.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    with pytest.raises(ValidationError, match="KAFKA_SASL_USERNAME is not set"):
        KafkaSettings()
    env.setenv("KAFKA_SASL_USERNAME", "grid")
    with pytest.raises(ValidationError, match=r"KAFKA_SASL_PASSWORD \(or KAFKA_SASL_PASSWORD_FILE"):
        KafkaSettings()


def test_the_password_may_come_from_a_mounted_file(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("s3cret-from-the-secret-store\n")
    env.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    env.setenv("KAFKA_SASL_USERNAME", "grid")
    env.setenv("KAFKA_SASL_PASSWORD_FILE", str(secret))
    kafka = KafkaSettings()
    args = kafka.client_args()
    assert (args["sasl_mechanism"], args["sasl_plain_username"]) == ("SCRAM-SHA-512", "grid")
    assert args["sasl_plain_password"] == "s3cret-from-the-secret-store"
    assert kafka.principal == "User:grid"
    assert "KAFKA_SASL_PASSWORD" not in kafka.as_env(), "the file is passed on, not the password"
    assert KafkaSettings.from_env(kafka.as_env()) == kafka

    env.setenv("KAFKA_SASL_PASSWORD_FILE", str(tmp_path / "absent"))
    with pytest.raises(ValidationError, match="cannot be read"):
        KafkaSettings()


def test_tls_builds_a_context_that_verifies_the_broker(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ca = _self_signed_ca(tmp_path / "ca.crt")
    kafka = KafkaSettings(
        bootstrap_servers="kafka:9093",
        security_protocol="SASL_SSL",
        sasl_username="court",
        sasl_password="pw",
        ssl_cafile=ca,
    )
    context = kafka.client_args()["ssl_context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    assert len(context.get_ca_certs()) == 1
    with pytest.raises(ValidationError, match="KAFKA_SSL_CERTFILE and KAFKA_SSL_KEYFILE"):
        KafkaSettings(security_protocol="SSL", ssl_certfile=ca)


def test_as_user_keeps_the_broker_and_changes_the_identity(env: pytest.MonkeyPatch) -> None:
    admin = KafkaSettings(bootstrap_servers="b:9092")
    grid = admin.as_user("grid", "pw")
    assert (grid.bootstrap_servers, grid.security_protocol) == ("b:9092", "SASL_PLAINTEXT")
    assert (grid.principal, grid.password()) == ("User:grid", "pw")


def _self_signed_ca(path: Path) -> Path:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fengqiao test CA")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path
