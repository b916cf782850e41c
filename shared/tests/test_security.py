"""Service keys, sealed fields, masks, identity and phone checks, staff tokens and their guard."""

from __future__ import annotations

import base64
import os
import stat
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import jwt
import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from fengqiao_tools.cli import token_cmd
from typer.testing import CliRunner

from fengqiao.security import (
    Caller,
    FieldCipher,
    InvalidToken,
    SealBroken,
    WeakSecret,
    clear_secret_cache,
    issue_token,
    mask_address,
    mask_id_number,
    mask_name,
    mask_phone,
    service_secret,
    validate_id_number,
    validate_phone,
    verify_token,
)
from fengqiao.web.auth import caller, require_role

KEY = bytes(range(32))
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@pytest.fixture(autouse=True)
def isolated_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("FENGQIAO_HOME", str(tmp_path))
    for variable in ("FENGQIAO_INTAKE_TOKEN_KEY", "FENGQIAO_INTAKE_FIELD_KEY"):
        monkeypatch.delenv(variable, raising=False)
    clear_secret_cache()
    yield tmp_path
    clear_secret_cache()


# --- service keys ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encode", [base64.urlsafe_b64encode, base64.standard_b64encode], ids=["urlsafe", "standard"]
)
@pytest.mark.parametrize("padded", [True, False])
def test_secret_from_env(
    monkeypatch: pytest.MonkeyPatch, encode: Callable[[bytes], bytes], padded: bool
) -> None:
    key = bytes([0xFB, 0xFF]) * 16  # encodes to '-' / '_' or '+' / '/' depending on alphabet
    text = encode(key).decode()
    monkeypatch.setenv("FENGQIAO_INTAKE_TOKEN_KEY", text if padded else text.rstrip("="))
    assert service_secret("intake", "token-key") == key


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("changeme", "placeholder"),
        ("dev", "placeholder"),
        ("Secret", "placeholder"),
        ("", "empty"),
        (base64.b64encode(b"x" * 31).decode(), "31 bytes"),
        ("not base64 at all!", "not base64"),
    ],
)
def test_weak_env_secret_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str, complaint: str
) -> None:
    monkeypatch.setenv("FENGQIAO_INTAKE_TOKEN_KEY", value)
    with pytest.raises(WeakSecret, match=complaint) as raised:
        service_secret("intake", "token-key")
    assert "FENGQIAO_INTAKE_TOKEN_KEY" in str(raised.value)
    assert "secrets.token_bytes(32)" in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_key_file_is_created_private_and_stable(isolated_secrets: Path) -> None:
    first = service_secret("intake", "field-key")
    path = isolated_secrets / "secrets" / "intake-field-key.key"
    assert len(first) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert base64.urlsafe_b64decode(path.read_text()) == first
    clear_secret_cache()
    assert service_secret("intake", "field-key") == first
    assert service_secret("intake", "token-key") != first
    # No temporary files are left behind.
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, "intake-token-key.key"]


def test_racing_creators_agree_on_the_key(
    isolated_secrets: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_link = os.link

    def another_process_wins(source: str, target: str) -> None:
        Path(target).write_text(base64.urlsafe_b64encode(KEY).decode())
        real_link(source, target)

    monkeypatch.setattr(os, "link", another_process_wins)
    assert service_secret("intake", "token-key") == KEY
    assert len(list((isolated_secrets / "secrets").iterdir())) == 1


def test_existing_key_file_wins(isolated_secrets: Path) -> None:
    folder = isolated_secrets / "secrets"
    folder.mkdir()
    (folder / "intake-token-key.key").write_text(base64.b64encode(KEY).decode())
    assert service_secret("intake", "token-key") == KEY


def test_key_names_cannot_escape_the_secrets_folder() -> None:
    with pytest.raises(ValueError, match="invalid key name"):
        service_secret("../intake", "token-key")


# --- sealed fields --------------------------------------------------------------------------


def test_seal_round_trip() -> None:
    cipher = FieldCipher(KEY)
    value = {"name": "张三", "id_number": "440781199001011234", "age": 35}
    token = cipher.seal(value, context="case-1")
    assert token.startswith("v1.")
    assert "张三" not in token
    assert cipher.open(token, context="case-1") == value
    assert cipher.seal(value, context="case-1") != token  # fresh nonce each time


def test_tampering_wrong_context_and_wrong_key_break_the_seal() -> None:
    cipher = FieldCipher(KEY)
    token = cipher.seal({"name": "张三"}, context="case-1")
    raw = bytearray(base64.urlsafe_b64decode(token[3:]))
    raw[-1] ^= 1
    tampered = "v1." + base64.urlsafe_b64encode(bytes(raw)).decode()
    for bad, context, key in [
        (tampered, "case-1", KEY),
        (token, "case-2", KEY),
        (token, "case-1", os.urandom(32)),
        ("v2." + token[3:], "case-1", KEY),
        ("v1.***", "case-1", KEY),
        ("v1.AAAA", "case-1", KEY),
    ]:
        with pytest.raises(SealBroken):
            FieldCipher(key).open(bad, context=context)


def test_cipher_wants_a_32_byte_key() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        FieldCipher(b"short")


# --- masks ----------------------------------------------------------------------------------


def test_masks() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("Li Wei") == "L*****"
    assert mask_id_number("440781199001011234") == "440*************34"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("02012345678") == "*********78"
    assert mask_phone("12345") == "***45"
    assert mask_address("广东省广州市天河区体育西路1号") == "广东省广州市***"
    assert mask_address("天河区") == "天***"
    for mask in (mask_name, mask_id_number, mask_phone, mask_address):
        assert mask(None) is None


def test_masks_never_give_the_value_back() -> None:
    assert mask_name("张") == "*"
    assert mask_id_number("44078") == "*****"


# --- identity numbers and phones ------------------------------------------------------------


def with_check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def test_valid_id_numbers() -> None:
    number = with_check_char("44078119900101123")
    assert validate_id_number(number) == number
    assert validate_id_number("11010519491231002X") == "11010519491231002X"  # GB 11643 example
    assert validate_id_number(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "rule"),
    [
        ("4407811990010112", "18 characters"),
        ("44078119900101123" + "45", "18 characters"),
        ("4407811990010112A4", "17 digits"),
        ("４４0781199001011234", "17 digits"),  # full-width digits are not digits here
        (with_check_char("44078119900230123"), "not a real date"),
        (with_check_char("44078118991231123"), "before 1900"),
        (
            with_check_char(f"440781{date.today() + timedelta(days=2):%Y%m%d}123"),
            "in the future",
        ),
    ],
)
def test_invalid_id_numbers(number: str, rule: str) -> None:
    with pytest.raises(ValueError, match=rule):
        validate_id_number(number)


def test_wrong_check_character() -> None:
    number = with_check_char("44078119900101123")
    wrong = "0" if number[-1] != "0" else "1"
    with pytest.raises(ValueError, match="checksum"):
        validate_id_number(number[:-1] + wrong)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("8619912345678", "19912345678"),
        ("020-12345678", "02012345678"),
        ("0755-1234567", "07551234567"),
        ("12345", "12345"),
    ],
)
def test_valid_phones(raw: str, normal: str) -> None:
    assert validate_phone(raw) == normal


@pytest.mark.parametrize(
    "raw", ["12812345678", "1381234567", "138123456789", "2012345678", "1234", "abc", ""]
)
def test_invalid_phones(raw: str) -> None:
    with pytest.raises(ValueError, match="not a phone number"):
        validate_phone(raw)


# --- staff tokens ---------------------------------------------------------------------------


def token(agency: str = "intake", *, roles: tuple[str, ...] = ("clerk",)) -> str:
    return issue_token(secret=KEY, agency=agency, subject="u-7", name="王芳", roles=roles)


def forged(**changes: object) -> str:
    """A token with chosen claims; None drops a claim."""
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "iss": "fengqiao-intake",
        "aud": "intake",
        "sub": "u-7",
        "name": "王芳",
        "roles": ["clerk"],
        "iat": now - timedelta(hours=1),
        "exp": now + timedelta(hours=1),
    }
    claims.update(changes)
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, KEY, algorithm="HS256")


def test_token_round_trip() -> None:
    who = verify_token(token(roles=("clerk", "mediator")), secret=KEY, agency="intake")
    assert who == Caller("u-7", "王芳", frozenset({"clerk", "mediator"}), "intake")
    assert who.has_any("judge", "mediator")
    assert not who.has_any("judge")
    claims = jwt.decode(token(), KEY, algorithms=["HS256"], audience="intake")
    assert claims["iss"] == "fengqiao-intake"
    assert claims["exp"] - claims["iat"] == 12 * 3600
    assert {"sub", "name", "roles"} <= claims.keys()


EXPIRED = datetime.now(UTC) - timedelta(minutes=1)


@pytest.mark.parametrize(
    ("bad", "secret", "reason"),
    [
        (forged(exp=EXPIRED), KEY, "expired"),
        (token("court"), KEY, "not (for|issued by)"),
        (forged(iss="fengqiao-court"), KEY, "was not issued by"),
        (token(), os.urandom(32), "signature"),
        ("not.a.token", KEY, "malformed"),
        (forged(name=None), KEY, "lacks the 'name' claim"),
        (forged(roles="clerk"), KEY, "not a list"),
        (jwt.encode({"aud": "intake"}, "", algorithm="none"), KEY, "not valid"),
    ],
    ids=["expired", "audience", "issuer", "signature", "malformed", "claims", "roles", "alg"],
)
def test_bad_tokens_are_refused(bad: str, secret: bytes, reason: str) -> None:
    with pytest.raises(InvalidToken, match=reason):
        verify_token(bad, secret=secret, agency="intake")


def test_tokens_within_the_leeway_still_pass() -> None:
    recently = datetime.now(UTC) - timedelta(seconds=10)
    assert verify_token(forged(exp=recently), secret=KEY, agency="intake").subject == "u-7"


def test_the_ttl_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        issue_token(secret=KEY, agency="intake", subject="u", name="n", roles=(), ttl=timedelta())


# --- the FastAPI guard and the CLI ----------------------------------------------------------


def guarded_app() -> FastAPI:
    app = FastAPI()
    app.state.runtime = SimpleNamespace(
        spec=SimpleNamespace(name="intake"), settings=SimpleNamespace(agency_id="intake")
    )

    @app.get("/cases")
    async def cases(who: Caller = Depends(require_role("mediator", "admin"))) -> dict[str, str]:
        return {"subject": who.subject}

    @app.get("/me")
    async def me(who: Caller = Depends(caller)) -> dict[str, str]:
        return {"name": who.name}

    return app


def bearer(roles: tuple[str, ...]) -> dict[str, str]:
    secret = service_secret("intake", "token-key")
    signed = issue_token(secret=secret, agency="intake", subject="u-7", name="王芳", roles=roles)
    return {"Authorization": f"Bearer {signed}"}


def test_guard_wants_a_valid_token_and_a_role() -> None:
    client = TestClient(guarded_app())
    missing = client.get("/cases")
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert client.get("/cases", headers={"Authorization": "Bearer junk"}).status_code == 401
    assert client.get("/cases", headers={"Authorization": "Basic dTpw"}).status_code == 401
    wrong_role = client.get("/cases", headers=bearer(("clerk",)))
    assert wrong_role.status_code == 403
    assert "mediator, admin" in wrong_role.json()["detail"]
    allowed = client.get("/cases", headers=bearer(("clerk", "mediator")))
    assert allowed.status_code == 200
    assert allowed.json() == {"subject": "u-7"}
    assert client.get("/me", headers=bearer(())).json() == {"name": "王芳"}


def test_cli_issues_a_token_the_service_accepts() -> None:
    runner = CliRunner()
    args = ["issue", "intake", "--user", "u-7", "--name", "王芳", "--role", "mediator"]
    result = runner.invoke(token_cmd.app, [*args, "--role", "clerk", "--hours", "2"])
    assert result.exit_code == 0, result.output
    who = verify_token(
        result.stdout.strip(), secret=service_secret("intake", "token-key"), agency="intake"
    )
    assert who.roles == {"mediator", "clerk"}
    unknown = runner.invoke(token_cmd.app, ["issue", "nowhere", *args[2:]])
    assert unknown.exit_code == 1
    assert "unknown service 'nowhere'" in unknown.output
