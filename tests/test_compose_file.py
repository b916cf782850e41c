"""Checks of the container deployment: the one Dockerfile, docker-compose.yml and the scripts the
compose stack runs (deploy/compose/).

No Docker engine is needed: the compose file is validated against the Compose Specification
schema bundled with check-jsonschema, its wiring is read from the YAML, and the compose-side
scripts are run here with stand-ins for `fengqiao` and the Kafka tools.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from fengqiao.catalog import SERVICES, spec_of

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
SCRIPTS = ROOT / "deploy" / "compose"
NAMES = [spec.name for spec in SERVICES]
AGENCIES = [name for name in NAMES if name != "gateway"]
LOOPBACK = re.compile(r"\b(127\.\d+\.\d+\.\d+|localhost|::1)\b")
STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer"


@dataclass(frozen=True)
class Mount:
    source: str
    target: str
    read_only: bool


@functools.cache
def _compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "docker-compose.yml must be a mapping"
    return data


def _services() -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = _compose()["services"]
    return services


def _env(service: str) -> dict[str, str]:
    raw = _services()[service].get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) for item in raw)
    return {str(key): str(value) for key, value in raw.items()}


def _mounts(service: str) -> list[Mount]:
    mounts: list[Mount] = []
    for item in _services()[service].get("volumes", []):
        if isinstance(item, str):
            source, target, *mode = item.split(":")
            mounts.append(Mount(source, target, "ro" in "".join(mode).split(",")))
        else:
            mounts.append(Mount(item["source"], item["target"], bool(item.get("read_only"))))
    return mounts


def _depends_on(service: str) -> dict[str, str]:
    raw = _services()[service].get("depends_on", {})
    if isinstance(raw, list):  # the short form only waits for the start
        return {name: "service_started" for name in raw}
    return {name: cond.get("condition", "service_started") for name, cond in raw.items()}


def _command(service: str) -> list[str]:
    command = _services()[service].get("command", [])
    return command.split() if isinstance(command, str) else [str(part) for part in command]


def _keys_volume() -> str:
    """The named volume the `keys` job writes every key to."""
    home = _env("keys")["FENGQIAO_HOME"]
    [volume] = [m.source for m in _mounts("keys") if m.target == home and not m.read_only]
    return volume


def _host_path(service: str, container_path: str) -> Path:
    """Where a file a service sees through a bind mount lives in this repository."""
    path = PurePosixPath(container_path)
    for mount in _mounts(service):
        if mount.source.startswith(".") and path.is_relative_to(mount.target):
            return ROOT / mount.source / path.relative_to(mount.target)
    raise AssertionError(f"{service}: no bind mount from the repository holds {container_path}")


def _broker_service() -> str:
    [name] = [n for n, s in _services().items() if str(s.get("image", "")).startswith("apache/")]
    return name


def _broker_start_script() -> Path:
    broker = _broker_service()
    entrypoint = [str(part) for part in _services()[broker]["entrypoint"]]
    script = _host_path(broker, entrypoint[-1])
    assert script.is_file(), f"{broker} runs {entrypoint[-1]}, which is not {script}"
    return script


def _broker_config() -> dict[str, str]:
    """server.properties beside the start script (what start.sh copies), as key → value."""
    text = (_broker_start_script().parent / "server.properties").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    pairs = (line.partition("=") for line in lines)
    return {key.strip(): value.strip() for key, _, value in pairs}


def _pairs(value: str, separator: str) -> dict[str, str]:
    """`a<sep>b,c<sep>d` as {a: b, c: d}."""
    pairs = (item.partition(separator) for item in value.split(","))
    return {key.strip(): rest.strip() for key, _, rest in pairs}


def _listeners(value: str) -> dict[str, str]:
    """`NAME://host:port,...` as NAME → host:port."""
    return _pairs(value, "://")


def _protocols(config: dict[str, str]) -> dict[str, str]:
    """listener name → security protocol."""
    return _pairs(config["listener.security.protocol.map"], ":")


def _hosts(value: str) -> list[str]:
    """The host names a URL, or a `host:port[,host:port]` list, names."""
    urls = re.findall(r"[a-z][a-z0-9+.-]*://(?:[^@/]*@)?([^/:,?]+)", value)
    if urls:
        return urls
    if re.fullmatch(r"[\w.-]+:\d+(,[\w.-]+:\d+)*", value):
        return [part.rsplit(":", 1)[0] for part in value.split(",")]
    return []


def _run(script: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(script), *args],
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def _stub(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(0o755)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- the compose file ------------------------------------------------------------------------


def test_compose_file_matches_compose_spec_schema() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            "docker-compose.yml",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, (
        f"check-jsonschema exited {result.returncode}\n"
        f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    )
    assert "version" not in _compose(), "Compose Specification files have no top-level version"


@pytest.mark.parametrize("name", NAMES)
def test_service_is_built_from_the_one_dockerfile(name: str) -> None:
    build = _services()[name]["build"]
    assert isinstance(build, dict), f"{name}: build must name the Dockerfile and SERVICE"
    assert (ROOT / build.get("context", ".")).resolve() == ROOT, f"{name}: build from the root"
    assert (ROOT / build.get("dockerfile", "Dockerfile")).resolve() == DOCKERFILE
    args = build.get("args", {})
    if isinstance(args, list):
        args = dict(item.split("=", 1) for item in args)
    assert args.get("SERVICE") == name, f"{name} must be built with SERVICE={name}"
    assert "command" not in _services()[name], f"{name} must run the image's `fengqiao-serve`"


@pytest.mark.parametrize("name", NAMES)
def test_service_publishes_its_port_and_is_probed_there(name: str) -> None:
    port = spec_of(name).port
    service = _services()[name]
    assert f"{port}:{port}" in [str(p) for p in service.get("ports", [])]
    probe = " ".join(service["healthcheck"]["test"])
    assert f":{port}/readyz" in probe, f"{name}'s healthcheck must ask its /readyz: {probe}"


@pytest.mark.parametrize("name", NAMES)
def test_service_has_its_keys(name: str) -> None:
    home = _env(name).get("FENGQIAO_HOME")
    assert home, f"{name} must set FENGQIAO_HOME to the keys volume"
    [mount] = [m for m in _mounts(name) if m.target == home]
    assert mount.source == _keys_volume(), f"{name} must mount the volume the keys job writes"
    assert mount.source in _compose()["volumes"], f"{mount.source} must be a named volume"


@pytest.mark.parametrize("name", NAMES)
def test_service_has_its_database(name: str) -> None:
    [host] = _hosts(_env(name)["MONGODB_URI"])
    assert str(_services()[host]["image"]).startswith("mongo:"), f"{name}: {host} is no mongo"
    assert _depends_on(name).get(host) == "service_healthy"


@pytest.mark.parametrize("name", NAMES)
def test_service_connects_to_kafka_as_its_agency(name: str) -> None:
    env = _env(name)
    assert env["KAFKA_SECURITY_PROTOCOL"].startswith("SASL_"), f"{name} must authenticate"
    agency = env.get(f"FENGQIAO_{name.upper()}_AGENCY_ID", name)
    assert env["KAFKA_SASL_USERNAME"] == agency, f"{name} must be User:{agency} on the broker"
    secret = PurePosixPath(env["KAFKA_SASL_PASSWORD_FILE"])
    assert secret == PurePosixPath(env["FENGQIAO_HOME"], "secrets", f"{name}-kafka-password.key")

    config = _broker_config()
    advertised = _listeners(config["advertised.listeners"])
    [listener] = [n for n, addr in advertised.items() if addr == env["KAFKA_BOOTSTRAP_SERVERS"]]
    assert _protocols(config)[listener] == env["KAFKA_SECURITY_PROTOCOL"]
    mechanisms = config.get(
        f"listener.name.{listener.lower()}.sasl.enabled.mechanisms",
        config.get("sasl.enabled.mechanisms", "GSSAPI"),
    )
    assert env["KAFKA_SASL_MECHANISM"] in mechanisms.split(",")
    assert _depends_on(name).get(_hosts(env["KAFKA_BOOTSTRAP_SERVERS"])[0]) == "service_healthy"


@pytest.mark.parametrize("name", NAMES)
def test_service_waits_for_keys_users_and_topics(name: str) -> None:
    depends_on = _depends_on(name)
    assert depends_on.get("keys") == "service_completed_successfully"
    assert depends_on.get("kafka-setup") == "service_completed_successfully"
    if name != "gateway":  # its events would be refused until its key is enrolled
        assert depends_on.get("enrol") == "service_completed_successfully"


def test_urls_name_services_never_the_loopback() -> None:
    services = _services()
    for name in services:
        for key, value in _env(name).items():
            assert not LOOPBACK.search(value), f"{name}: {key}={value} points at the container"
            for host in _hosts(value):
                assert host in services, f"{name}: {key}={value} names no compose service"
        command = " ".join(_command(name))
        assert not LOOPBACK.search(command), f"{name} command: {command}"
    for name in NAMES:
        assert _env(name)[f"FENGQIAO_{name.upper()}_HOST"] == "0.0.0.0", f"{name}: bind all"

    assert _env("gateway")["FENGQIAO_GATEWAY_HUB_URL"] == f"http://intake:{spec_of('intake').port}"
    upstream = _env("platform")["FENGQIAO_PLATFORM_UPSTREAM_URL"]
    [sim] = _hosts(upstream)
    sim_command = _command(sim)
    assert sim_command[:3] == ["python", "-m", "platform_adapter.sim"]
    assert _services()[sim]["build"]["args"]["SERVICE"] == "platform"
    assert sim_command[sim_command.index("--host") + 1] == "0.0.0.0"
    assert upstream == f"http://{sim}:{sim_command[sim_command.index('--port') + 1]}"
    assert _depends_on("platform").get(sim) == "service_healthy"


def test_gateway_checks_enrolled_keys_only() -> None:
    assert _env("gateway").get("FENGQIAO_GATEWAY_TRUST_LOCAL_KEYS", "false").lower() == "false"
    assert _depends_on("enrol").get("gateway") == "service_healthy"
    command = _command("enrol")
    assert set(NAMES) <= set(command), f"enrol must register every service's key: {command}"
    assert _host_path("enrol", command[1]).is_file()
    assert _hosts(_env("enrol")["FENGQIAO_GATEWAY_URL"]) == ["gateway"]
    home = _env("enrol")["FENGQIAO_HOME"]  # the CLI mints its admin token with the gateway's key
    assert Mount(_keys_volume(), home, True) in _mounts("enrol")


def test_kafka_setup_applies_users_topics_and_acls_as_admin() -> None:
    env = _env("kafka-setup")
    assert _command("kafka-setup") == ["fengqiao", "kafka", "apply"]
    # The tools image: the `fengqiao` command, with the gateway's registry.
    assert _services()["kafka-setup"]["build"]["args"]["SERVICE"] == "tools"
    assert env["KAFKA_SECURITY_PROTOCOL"].startswith("SASL_")
    assert f"User:{env['KAFKA_SASL_USERNAME']}" in _broker_config()["super.users"].split(";")
    secret = PurePosixPath(env["FENGQIAO_HOME"], "secrets", "admin-kafka-password.key")
    assert PurePosixPath(env["KAFKA_SASL_PASSWORD_FILE"]) == secret
    homes = [m.target for m in _mounts("kafka-setup") if m.source == _keys_volume()]
    assert homes == [env["FENGQIAO_HOME"]], "kafka apply reads each agency's Kafka password"
    assert _depends_on("kafka-setup") == {
        "keys": "service_completed_successfully",
        _broker_service(): "service_healthy",
    }


def test_broker_enables_scram_the_standard_authorizer_and_no_auto_create() -> None:
    config = _broker_config()
    protocols = _protocols(config)
    for listener in _listeners(config["listeners"]):
        assert protocols[listener].startswith("SASL_"), f"{listener} would take anonymous clients"
    client_mechanisms = {
        config.get(f"listener.name.{name.lower()}.sasl.enabled.mechanisms")
        or config["sasl.enabled.mechanisms"]
        for name in _listeners(config["advertised.listeners"])
    }
    assert client_mechanisms == {"SCRAM-SHA-512"}
    assert config["authorizer.class.name"] == STANDARD_AUTHORIZER
    super_users = config["super.users"].split(";")
    assert "User:admin" in super_users
    assert "User:ANONYMOUS" not in super_users
    assert config.get("allow.everyone.if.no.acl.found", "false") == "false"
    assert config["auto.create.topics.enable"] == "false"


def test_broker_can_read_the_admin_password_and_nothing_else_is_shared() -> None:
    broker = _broker_service()
    home = _env(broker)["FENGQIAO_HOME"]
    assert Mount(_keys_volume(), home, True) in _mounts(broker)
    assert _depends_on(broker).get("keys") == "service_completed_successfully"
    gid = _env("keys")["FENGQIAO_BROKER_SECRET_GID"]
    assert gid in [str(g) for g in _services()[broker].get("group_add", [])]
    assert gid in [str(g) for g in _services()["keys"].get("group_add", [])]
    assert "user" not in _services()[broker], "the broker runs as the image's non-root user"
    assert _host_path("keys", _command("keys")[-1]).is_file()

    script = _broker_start_script().read_text(encoding="utf-8")
    [run_dir] = re.findall(r"FENGQIAO_KAFKA_RUN_DIR:-([^}]+)}", script)
    probe = " ".join(_services()[broker]["healthcheck"]["test"])
    assert f"--command-config {run_dir}/admin-client.properties" in probe


# --- the Dockerfile --------------------------------------------------------------------------


def test_one_dockerfile_builds_every_service() -> None:
    leftovers = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("services/*/Dockerfile"))
    assert not leftovers, f"the root Dockerfile replaces {leftovers}"
    text = DOCKERFILE.read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines()]

    [case] = re.findall(r"^\s*([\w|]+)\) ;;", text, flags=re.MULTILINE)
    accepted = sorted(case.split("|"))
    assert accepted == sorted([*NAMES, "tools"]), "SERVICE: exactly the catalogue and the tools"
    assert re.search(r"COPY --from=ghcr\.io/astral-sh/uv:\d+\.\d+\.\d+ /uv /uvx /bin/", text)

    deps, full = [i for i, line in enumerate(lines) if line.startswith("uv sync")]
    assert "--no-install-workspace" in lines[deps] and "--frozen" in lines[deps]
    assert "--no-dev" in lines[full] and "--frozen" in lines[full]
    early = [line.split()[1:-1] for line in lines[:deps] if line.startswith("COPY ")]
    sources = [s for parts in early if not parts[0].startswith("--from") for s in parts]
    assert all(s.endswith(("pyproject.toml", "uv.lock")) for s in sources), sources
    members = {"shared/pyproject.toml", "tools/pyproject.toml"} | {
        str(p.relative_to(ROOT)) for p in ROOT.glob("services/*/pyproject.toml")
    }
    copied = {part for line in lines[:deps] if line.startswith("COPY ") for part in line.split()}
    assert members <= copied, f"uv reads every member: copy {sorted(members - copied)} first"
    assert any(line.startswith("COPY shared/") for line in lines[deps:full])

    assert len([line for line in lines if line.upper().startswith("FROM ")]) >= 2
    user = [line.split()[1] for line in lines if line.upper().startswith("USER ")][-1]
    assert user.split(":")[0] not in {"root", "0"}, "the image must run as a non-root user"
    # A service image runs the library's entry point; the `fengqiao` command is the tools' only.
    assert "fengqiao-serve" in [line for line in lines if line.startswith("CMD ")][-1]


# --- the scripts the containers run ----------------------------------------------------------


@pytest.fixture
def kafka_stage(tmp_path: Path) -> dict[str, Path]:
    """A Kafka installation whose tools record their arguments, a data dir, a keys dir."""
    calls = tmp_path / "calls"
    data = tmp_path / "data"
    _stub(
        tmp_path / "dist/bin/kafka-storage.sh",
        f'echo "$*" >> {calls}/storage\n'
        f'mkdir -p {data} && echo "cluster.id=$3" > {data}/meta.properties\n',
    )
    _stub(tmp_path / "dist/bin/kafka-server-start.sh", f'echo "$*" >> {calls}/server\n')
    calls.mkdir()
    template = _broker_start_script().parent / "server.properties"
    local = tmp_path / "server.properties"
    local.write_text(
        template.read_text(encoding="utf-8").replace("/var/lib/kafka/data", str(data)),
        encoding="utf-8",
    )
    secrets = tmp_path / "home/secrets"
    secrets.mkdir(parents=True)
    (secrets / "admin-kafka-password.key").write_text("s3cr3t-Adm1n_pw=\n", encoding="ascii")
    return {"root": tmp_path, "calls": calls, "data": data, "template": local}


def _start_kafka(stage: dict[str, Path]) -> subprocess.CompletedProcess[str]:
    root = stage["root"]
    env = {
        "CLUSTER_ID": "tWoHHfPlS46bIiflScv9fg",
        "FENGQIAO_HOME": str(root / "home"),
        "FENGQIAO_KAFKA_DIST": str(root / "dist"),
        "FENGQIAO_KAFKA_TEMPLATE": str(stage["template"]),
        "FENGQIAO_KAFKA_RUN_DIR": str(root / "run"),
    }
    return _run(_broker_start_script(), env=env)


def test_kafka_start_formats_once_with_the_admin_credential(kafka_stage: dict[str, Path]) -> None:
    first = _start_kafka(kafka_stage)
    assert first.returncode == 0, first.stderr
    calls, run = kafka_stage["calls"], kafka_stage["root"] / "run"
    [storage] = (calls / "storage").read_text().splitlines()
    assert storage == (
        f"format --cluster-id tWoHHfPlS46bIiflScv9fg --config {run}/server.properties "
        "--add-scram SCRAM-SHA-512=[name=admin,password=s3cr3t-Adm1n_pw=]"
    )
    config = (run / "server.properties").read_text()
    assert kafka_stage["template"].read_text() in config
    client = _listeners(_broker_config()["advertised.listeners"])
    jaas = 'username="admin" password="s3cr3t-Adm1n_pw=";'
    for name in client:
        assert f"listener.name.{name.lower()}.scram-sha-512.sasl.jaas.config=" in config
    assert jaas in config
    assert "user_controller=" in config
    probe = (run / "admin-client.properties").read_text()
    assert "security.protocol=SASL_PLAINTEXT" in probe and jaas in probe
    assert _mode(run / "server.properties") & 0o077 == 0, "passwords must stay private"

    second = _start_kafka(kafka_stage)
    assert second.returncode == 0, second.stderr
    assert len((calls / "storage").read_text().splitlines()) == 1, "formatted a second time"
    assert (calls / "server").read_text().splitlines() == [f"{run}/server.properties"] * 2


def test_kafka_start_refuses_a_missing_or_changed_admin_password(
    kafka_stage: dict[str, Path],
) -> None:
    password = kafka_stage["root"] / "home/secrets/admin-kafka-password.key"
    password.rename(password.with_suffix(".gone"))
    missing = _start_kafka(kafka_stage)
    assert missing.returncode != 0 and "admin-kafka-password.key" in missing.stderr

    password.with_suffix(".gone").rename(password)
    assert _start_kafka(kafka_stage).returncode == 0
    password.write_text("an0ther-passw0rd\n", encoding="ascii")
    changed = _start_kafka(kafka_stage)
    assert changed.returncode != 0 and "down --volumes" in changed.stderr
    assert len((kafka_stage["calls"] / "server").read_text().splitlines()) == 1


def test_keys_job_shares_the_admin_password_only(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    made = " ".join(
        f"{name}-{purpose}.key"
        for name in NAMES
        for purpose in ("signing-key", "token-key", "kafka-password")
    )
    _stub(  # as `fengqiao keys init` leaves them: private files in a private directory
        tmp_path / "bin/fengqiao",
        f'test "$*" = "keys init" || exit 9\n'
        f"umask 077; mkdir -p {home}/secrets\n"
        f"for f in admin-kafka-password.key {made}; do echo key > {home}/secrets/$f; done\n",
    )
    gid = os.getgid()
    env = {
        "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}",
        "FENGQIAO_HOME": str(home),
        "FENGQIAO_BROKER_SECRET_GID": str(gid),
    }
    result = _run(_host_path("keys", _command("keys")[-1]), env=env)
    assert result.returncode == 0, result.stderr

    secrets = home / "secrets"
    for directory in (home, secrets):
        assert (_mode(directory), directory.stat().st_gid) == (0o710, gid), directory
    admin = secrets / "admin-kafka-password.key"
    assert (_mode(admin), admin.stat().st_gid) == (0o640, gid)
    others = [p for p in secrets.iterdir() if p != admin]
    assert len(others) == 3 * len(NAMES)
    assert all(_mode(p) == 0o600 for p in others), "only the admin password is shared"


def test_enrol_job_registers_every_agency_key(tmp_path: Path) -> None:
    log = tmp_path / "calls"
    _stub(
        tmp_path / "bin/fengqiao",
        f'echo "$*" >> {log}\n'
        'if [ "$2" = public-key ]; then [ "$3" = broken ] && exit 1; echo "KEY-$3"; fi\n',
    )
    env = {
        "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}",
        "FENGQIAO_GATEWAY_URL": _env("enrol")["FENGQIAO_GATEWAY_URL"],
    }
    command = _command("enrol")
    script = _host_path("enrol", command[1])
    result = _run(script, *command[2:], env=env)
    assert result.returncode == 0, result.stderr
    url = _env("enrol")["FENGQIAO_GATEWAY_URL"]
    enrolled = [line for line in log.read_text().splitlines() if line.startswith("agency enrol")]
    assert enrolled == [
        f"agency enrol {name} --public-key KEY-{name} --url {url}" for name in command[2:]
    ]

    log.unlink()
    failed = _run(script, "broken", "intake", env=env)
    assert failed.returncode != 0
    assert "agency enrol" not in log.read_text(), "a key that cannot be read must stop the job"
