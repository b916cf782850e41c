"""The Kubernetes manifests (k8s/): every overlay builds with kustomize and validates strictly and
offline against Kubernetes' schemas and the operators' CRDs (k8s/schemas), and what it renders
is the platform the code expects: the broker rights derived from the gateway's registry, probes,
limits and unprivileged pods, the gateway's single router, the keys each service reads and no
other, a database user per service, and in production an agency per namespace, fenced by
NetworkPolicies.

The tools come from tests/kit/k8stools.py: kustomize is built once from the Go module proxy
(about a minute, then cached); the Kubernetes schemas ship with the kubernetes-validate package.
"""

from __future__ import annotations

import base64
import binascii
import importlib
import inspect
import re
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from fengqiao_tools.deploy.strimzi import kafka_topics, kafka_users
from pydantic_settings import BaseSettings

import k8stools
from fengqiao.catalog import SERVICES, spec_of
from fengqiao.settings import KafkaSettings, ServiceSettings, TopicSettings, service_settings
from k8stools import Resource

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "k8s"
SECRETS_SCRIPT = K8S / "create-secrets.sh"
REGISTRY = ROOT / "services/gateway/src/gateway/domain/agencies.yaml"
OVERLAYS = ("dev", "prod")
CLUSTER = "fengqiao"
CLUSTER_CA = f"{CLUSTER}-cluster-ca-cert"
SERVICE_NAMES = [spec.name for spec in SERVICES]

# What each service reads with fengqiao.security.service_secret, FENGQIAO_<SERVICE>_<PURPOSE>:
# every service signs its events (fengqiao.runtime, gateway/bootstrap.py) and checks staff
# tokens (fengqiao.web.auth); a service with parties' data seals it (fengqiao.storage.sealing,
# FieldCipher); the hub makes tracking codes; the gateway derives agencies' credentials
# (gateway/adapters/credentials.py, gateway/adapters/agency_tokens.py).
KEY_PURPOSES: dict[str, set[str]] = {
    "gateway": {
        "signing-key",
        "token-key",
        "agency-token-key",
        "client-key",
        "webhook-key",
        "open311-key",
    },
    "intake": {"signing-key", "token-key", "field-key", "tracking-key"},
    "grid": {"signing-key", "token-key", "field-key"},
    "court": {"signing-key", "token-key", "field-key"},
    "procuratorate": {"signing-key", "token-key", "field-key"},
    "police": {"signing-key", "token-key"},
    "justice": {"signing-key", "token-key", "field-key"},
    "platform": {"signing-key", "token-key", "field-key"},
}
# Secret settings that are not keys: the provincial platform's client secret for us.
OTHER_SECRETS: dict[str, set[str]] = {"platform": {"FENGQIAO_PLATFORM_CLIENT_SECRET"}}
# "-key" strings in services' code that name no key.
NOT_KEYS = {"idempotency-key"}
# Where egress may go beyond the cluster: documentation ranges standing for the provincial
# platform (the adapter's upstream) and the departments' webhook receivers (the gateway).
EXTERNAL = {"platform": {"192.0.2.0/24"}, "gateway": {"198.51.100.0/24"}}


def key_variable(service: str, purpose: str) -> str:
    return f"FENGQIAO_{service}_{purpose}".upper().replace("-", "_")


# --- the rendered overlays ------------------------------------------------------------------


@pytest.fixture(scope="module")
def schemas() -> k8stools.Schemas:
    return k8stools.Schemas(K8S / "schemas")


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[Resource]]:
    return {name: k8stools.build(K8S / "overlays" / name) for name in OVERLAYS}


@pytest.fixture(scope="module", params=OVERLAYS)
def overlay(request: pytest.FixtureRequest, rendered: dict[str, list[Resource]]) -> Overlay:
    return Overlay(request.param, rendered[request.param])


class Overlay:
    """One overlay's resources, with the questions the tests ask of them."""

    def __init__(self, name: str, resources: list[Resource]) -> None:
        self.name = name
        self.resources = resources

    def __repr__(self) -> str:
        return self.name

    def of(self, kind: str) -> list[Resource]:
        return [r for r in self.resources if r["kind"] == kind]

    def one(self, kind: str, name: str, namespace: str | None = None) -> Resource:
        found = [
            r
            for r in self.of(kind)
            if r["metadata"]["name"] == name
            and (namespace is None or r["metadata"].get("namespace") == namespace)
        ]
        assert len(found) == 1, f"{self}: expected one {kind}/{name}, found {len(found)}"
        return found[0]

    def deployments(self) -> list[Resource]:
        """The services' Deployments (platform-sim, dev's stand-in, is not one)."""
        return [
            d for d in self.of("Deployment") if container(d)["command"][:1] == ["fengqiao-serve"]
        ]

    def config(self, deployment: Resource) -> dict[str, str]:
        """The environment the service's container gets: its ConfigMaps, then its own values."""
        env: dict[str, str] = {}
        namespace = deployment["metadata"].get("namespace")
        for source in container(deployment).get("envFrom", []):
            ref = source["configMapRef"]["name"]
            env |= self.one("ConfigMap", ref, namespace)["data"]
        for item in container(deployment).get("env", []):
            if "value" in item:
                env[item["name"]] = item["value"]
        return env

    @property
    def kafka(self) -> Resource:
        return self.one("Kafka", CLUSTER)

    def kafka_namespace(self) -> str:
        return str(self.kafka["metadata"]["namespace"])

    def namespaces(self) -> dict[str, dict[str, str]]:
        """Each namespace's labels, with the name label the API server adds."""
        found = {"kube-system": {"kubernetes.io/metadata.name": "kube-system"}}
        for ns in self.of("Namespace"):
            name = ns["metadata"]["name"]
            found[name] = {**ns["metadata"].get("labels", {}), "kubernetes.io/metadata.name": name}
        return found


def container(deployment: Resource) -> dict[str, Any]:
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, f"{k8stools.describe(deployment)}: one container expected"
    found: dict[str, Any] = containers[0]
    return found


def service_of(deployment: Resource) -> str:
    name: str = deployment["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/name"]
    return name


def registry_ids() -> list[str]:
    registry = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    return [str(agency["id"]) for agency in registry["agencies"]]


def without_namespace(resource: Resource) -> Resource:
    meta = {k: v for k, v in resource["metadata"].items() if k != "namespace"}
    return {**resource, "metadata": meta}


def secret_refs(deployment: Resource) -> Iterator[tuple[str, str, str]]:
    """(secret, key, use) for every Secret key the pod reads, as env or as a file."""
    for item in container(deployment).get("env", []):
        ref = item.get("valueFrom", {}).get("secretKeyRef")
        if ref:
            yield ref["name"], ref["key"], item["name"]
    for volume in deployment["spec"]["template"]["spec"].get("volumes", []):
        secrets = [volume["secret"]] if "secret" in volume else []
        secrets += [
            s["secret"] for s in volume.get("projected", {}).get("sources", []) if "secret" in s
        ]
        for secret in secrets:
            name = secret.get("secretName") or secret["name"]
            for item in secret.get("items", []):
                yield name, item["key"], f"{volume['name']}/{item.get('path', item['key'])}"


def matches(selector: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    """A label selector (matchLabels and matchExpressions) against a set of labels."""
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        key, operator = expression["key"], expression["operator"]
        if operator == "In":
            ok = labels.get(key) in expression["values"]
        elif operator == "NotIn":
            ok = labels.get(key) not in expression["values"]
        else:
            ok = (key in labels) == (operator == "Exists")
        if not ok:
            return False
    return True


def pod_labels(deployment: Resource) -> dict[str, str]:
    labels: dict[str, str] = deployment["spec"]["template"]["metadata"]["labels"]
    return labels


# --- schemas ----------------------------------------------------------------------------------


def test_every_overlay_builds_and_validates_strictly_offline(
    overlay: Overlay, schemas: k8stools.Schemas
) -> None:
    kinds = {r["kind"] for r in overlay.resources}
    assert {"Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "MongoDBCommunity"} <= kinds
    assert schemas.all_problems(overlay.resources) == []


def test_the_validation_is_strict(schemas: k8stools.Schemas, overlay: Overlay) -> None:
    """A misspelt field is an error, in Kubernetes' kinds and in the operators' alike."""
    deployment = overlay.deployments()[0]
    spec = deployment["spec"]["template"]["spec"]
    typo = {
        **deployment,
        "spec": {
            **deployment["spec"],
            "template": {
                **deployment["spec"]["template"],
                "spec": {**spec, "containers": [{**spec["containers"][0], "livenesProbe": {}}]},
            },
        },
    }
    assert any("livenesProbe" in p for p in schemas.problems(typo))
    user = overlay.of("KafkaUser")[0]
    acl = {**user["spec"]["authorization"]["acls"][0], "hosts": "*"}
    typo = {**user, "spec": {**user["spec"], "authorization": {"type": "simple", "acls": [acl]}}}
    assert any("hosts" in p for p in schemas.problems(typo))
    mongodb = overlay.of("MongoDBCommunity")[0]
    typo = {**mongodb, "spec": {**mongodb["spec"], "member": 3}}
    assert any("member" in p for p in schemas.problems(typo))
    unknown = {"apiVersion": "example.org/v1", "kind": "Thing", "metadata": {"name": "x"}}
    assert schemas.problems(unknown)


# --- Kafka: users, topics, cluster ------------------------------------------------------------


def test_kafka_users_carry_the_acls_derived_from_the_registry(overlay: Overlay) -> None:
    rendered = sorted(
        (without_namespace(u) for u in overlay.of("KafkaUser")), key=lambda u: u["metadata"]["name"]
    )
    assert rendered == kafka_users(registry_ids(), cluster=CLUSTER)
    assert {u["metadata"]["namespace"] for u in overlay.of("KafkaUser")} == {
        overlay.kafka_namespace()
    }


def test_kafka_topics_are_the_derived_topics_with_the_overlays_replication(
    overlay: Overlay,
) -> None:
    replicas, in_sync = (3, 2) if overlay.name == "prod" else (1, 1)
    # model_construct: the defaults and these values, whatever FENGQIAO_TOPICS_* this shell has.
    settings = TopicSettings.model_construct(
        replication_factor=replicas, min_insync_replicas=in_sync
    )
    rendered = [without_namespace(t) for t in overlay.of("KafkaTopic")]
    expected = kafka_topics(registry_ids(), settings, cluster=CLUSTER)
    assert sorted(rendered, key=str) == sorted(expected, key=str)
    config = overlay.kafka["spec"]["kafka"]["config"]
    assert config["default.replication.factor"] == replicas
    assert config["min.insync.replicas"] == in_sync
    assert config["transaction.state.log.replication.factor"] == replicas
    assert config["transaction.state.log.min.isr"] == in_sync
    assert config["auto.create.topics.enable"] is False
    brokers = sum(
        p["spec"]["replicas"] for p in overlay.of("KafkaNodePool") if "broker" in p["spec"]["roles"]
    )
    controllers = [p for p in overlay.of("KafkaNodePool") if "controller" in p["spec"]["roles"]]
    assert brokers >= replicas and controllers, "KRaft: a broker per replica, and controllers"
    # The router creates the audit topic itself if it is missing: with the same replication.
    gateway = next(d for d in overlay.deployments() if service_of(d) == "gateway")
    env = overlay.config(gateway)
    assert env["FENGQIAO_TOPICS_REPLICATION_FACTOR"] == str(replicas)
    assert env["FENGQIAO_TOPICS_MIN_INSYNC_REPLICAS"] == str(in_sync)


def test_the_committed_kafka_files_are_the_commands_output() -> None:
    """k8s/base/kafka/{users,topics}.yaml are `fengqiao kafka strimzi --users|--topics` as is."""
    users = (K8S / "base/kafka/users.yaml").read_text(encoding="utf-8")
    topics = (K8S / "base/kafka/topics.yaml").read_text(encoding="utf-8")
    assert "`uv run fengqiao kafka strimzi --users`" in users
    assert "`uv run fengqiao kafka strimzi --topics`" in topics
    defaults = TopicSettings.model_construct()
    for text, docs in (
        (users, kafka_users(registry_ids(), cluster=CLUSTER)),
        (topics, kafka_topics(registry_ids(), defaults, cluster=CLUSTER)),
    ):
        body = "".join(line for line in text.splitlines(True) if not line.startswith("#"))
        assert body == yaml.safe_dump_all(docs, sort_keys=False, allow_unicode=True)


def test_each_service_is_its_own_kafka_principal_over_tls(overlay: Overlay) -> None:
    listener = next(
        x for x in overlay.kafka["spec"]["kafka"]["listeners"] if x["type"] == "internal"
    )
    assert listener["tls"] is True
    assert listener["authentication"]["type"] == "scram-sha-512"
    assert overlay.kafka["spec"]["kafka"]["authorization"]["type"] == "simple"
    users = {u["metadata"]["name"] for u in overlay.of("KafkaUser")}
    kafka_ns = overlay.kafka_namespace()
    for deployment in overlay.deployments():
        agency, namespace = service_of(deployment), deployment["metadata"]["namespace"]
        env = overlay.config(deployment)
        host = f"{CLUSTER}-kafka-bootstrap"
        if namespace != kafka_ns:
            host += f".{kafka_ns}.svc"
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == f"{host}:{listener['port']}"
        assert env["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
        assert env["KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
        assert env["KAFKA_SASL_USERNAME"] == agency and agency in users
        files = mounted_secret_files(deployment)
        assert files[env["KAFKA_SASL_PASSWORD_FILE"]] == (agency, "password")
        assert files[env["KAFKA_SSL_CAFILE"]] == (CLUSTER_CA, "ca.crt")


def mounted_secret_files(deployment: Resource) -> dict[str, tuple[str, str]]:
    """path in the container → (secret, key)."""
    volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"].get("volumes", [])}
    files: dict[str, tuple[str, str]] = {}
    for mount in container(deployment).get("volumeMounts", []):
        volume = volumes[mount["name"]]
        sources = [volume["secret"]] if "secret" in volume else []
        sources += [
            s["secret"] for s in volume.get("projected", {}).get("sources", []) if "secret" in s
        ]
        for source in sources:
            name = source.get("secretName") or source["name"]
            for item in source["items"]:
                files[f"{mount['mountPath']}/{item['path']}"] = (name, item["key"])
    return files


# --- Deployments ------------------------------------------------------------------------------


def test_every_service_runs_from_its_image_on_its_port(overlay: Overlay) -> None:
    deployed = {service_of(d) for d in overlay.deployments()}
    assert deployed == set(SERVICE_NAMES)
    for deployment in overlay.deployments():
        spec, box = spec_of(service_of(deployment)), container(deployment)
        assert box["image"].rsplit(":", 1)[0] == f"fengqiao/{spec.name}"
        assert box["command"] == ["fengqiao-serve", spec.name]
        assert box["ports"] == [{"name": "http", "containerPort": spec.port, "protocol": "TCP"}]
        env = overlay.config(deployment)
        prefix = f"FENGQIAO_{spec.name.upper()}_"
        assert env[prefix + "HOST"] == "0.0.0.0" and env[prefix + "PORT"] == str(spec.port)
        assert env[prefix + "AGENCY_ID"] == spec.name
    for service in overlay.of("Service"):
        if service["metadata"]["name"] in SERVICE_NAMES:
            port = spec_of(service["metadata"]["name"]).port
            assert service["spec"]["ports"] == [
                {"name": "http", "port": port, "targetPort": "http", "protocol": "TCP"}
            ]
            assert (
                service["spec"]["selector"]["app.kubernetes.io/name"] == service["metadata"]["name"]
            )


def test_every_deployment_is_probed_limited_and_unprivileged(overlay: Overlay) -> None:
    for deployment in overlay.of("Deployment"):
        what = k8stools.describe(deployment)
        pod, box = deployment["spec"]["template"]["spec"], container(deployment)
        port_names = {p["name"]: p["containerPort"] for p in box["ports"]}
        live, ready = box["livenessProbe"]["httpGet"], box["readinessProbe"]["httpGet"]
        assert live["path"] == "/healthz", what
        # Ready when Kafka and MongoDB answer; platform-sim has neither, /healthz is its all.
        simulator = deployment["metadata"]["name"] == "platform-sim"
        assert ready["path"] == ("/healthz" if simulator else "/readyz"), what
        assert {live["port"], ready["port"]} <= set(port_names), what
        resources = box["resources"]
        assert {"cpu", "memory"} <= set(resources["requests"]), what
        assert "memory" in resources["limits"], what
        security = pod["securityContext"]
        assert security["runAsNonRoot"] is True and security["runAsUser"] == 10001, what
        assert security["seccompProfile"] == {"type": "RuntimeDefault"}, what
        own = box["securityContext"]
        assert own["allowPrivilegeEscalation"] is False, what
        assert own["readOnlyRootFilesystem"] is True, what
        assert own["capabilities"] == {"drop": ["ALL"]}, what
        assert not own.get("privileged") and own.get("runAsUser", 10001) == 10001, what
        assert pod["automountServiceAccountToken"] is False, what
        volumes = {v["name"]: v for v in pod["volumes"]}
        tmp = next(m for m in box["volumeMounts"] if m["mountPath"] == "/tmp")
        assert "emptyDir" in volumes[tmp["name"]], what
        budgets = [
            b
            for b in overlay.of("PodDisruptionBudget")
            if b["metadata"].get("namespace") == deployment["metadata"].get("namespace")
            and matches(b["spec"]["selector"], pod_labels(deployment))
        ]
        assert len(budgets) == 1, f"{what}: one PodDisruptionBudget"


def test_no_key_can_be_made_up_inside_a_pod(overlay: Overlay) -> None:
    """FENGQIAO_HOME is on the read-only root: a key missing from the Secret stops the service
    instead of each pod making its own (which would sign and seal with keys nobody shares)."""
    for deployment in overlay.deployments():
        home = overlay.config(deployment)["FENGQIAO_HOME"]
        for mount in container(deployment)["volumeMounts"]:
            assert not (home + "/").startswith(mount["mountPath"].rstrip("/") + "/"), mount


def test_the_router_is_one_recreated_pod_and_the_edge_scales(overlay: Overlay) -> None:
    gateways = [d for d in overlay.deployments() if service_of(d) == "gateway"]
    by_role = {d["metadata"]["labels"]["app.kubernetes.io/component"]: d for d in gateways}
    assert set(by_role) == {"router", "edge"}
    router, edge = by_role["router"], by_role["edge"]
    assert router["spec"]["replicas"] == 1
    assert router["spec"]["strategy"] == {"type": "Recreate"}
    assert overlay.config(router)["FENGQIAO_GATEWAY_RUN_ROUTER"] == "true"
    assert overlay.config(edge)["FENGQIAO_GATEWAY_RUN_ROUTER"] == "false"
    assert "replicas" not in edge["spec"], "the HorizontalPodAutoscaler owns the edge's count"
    (scaler,) = overlay.of("HorizontalPodAutoscaler")
    assert scaler["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": edge["metadata"]["name"],
    }
    assert scaler["metadata"]["namespace"] == edge["metadata"]["namespace"]
    assert scaler["spec"]["minReplicas"] >= (2 if overlay.name == "prod" else 1)
    (front,) = [s for s in overlay.of("Service") if s["metadata"]["name"] == "gateway"]
    assert matches({"matchLabels": front["spec"]["selector"]}, pod_labels(edge))
    assert not matches({"matchLabels": front["spec"]["selector"]}, pod_labels(router))


def own_settings(package: str) -> list[type[BaseSettings]]:
    module = importlib.import_module(f"{package}.settings")
    return [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, BaseSettings) and cls.__module__ == module.__name__
    ]


def test_every_variable_is_a_setting_the_service_reads_with_a_valid_value(
    overlay: Overlay, monkeypatch: pytest.MonkeyPatch
) -> None:
    for deployment in overlay.deployments():
        spec = spec_of(service_of(deployment))
        prefix = f"FENGQIAO_{spec.name.upper()}_"
        classes = own_settings(spec.package)
        known = {prefix + f.upper() for f in ServiceSettings.model_fields}
        known |= {prefix + f.upper() for cls in classes for f in cls.model_fields}
        known |= {key_variable(spec.name, p) for p in KEY_PURPOSES[spec.name]}
        known |= {"KAFKA_" + f.upper() for f in KafkaSettings.model_fields}
        known |= {"FENGQIAO_TOPICS_" + f.upper() for f in TopicSettings.model_fields}
        known |= {
            "MONGODB_URI",
            "FENGQIAO_HOME",
            "OTEL_SERVICE_NAME",
            "OTEL_EXPORTER_OTLP_ENDPOINT",
        }
        names = set(overlay.config(deployment)) | {e["name"] for e in container(deployment)["env"]}
        assert names - known == set(), k8stools.describe(deployment)
        # The values parse as the service's settings do at start.
        with monkeypatch.context() as env:
            for name, value in overlay.config(deployment).items():
                env.setenv(name, value)
            settings = service_settings(spec.name, port=spec.port)
            assert (settings.host, settings.port) == ("0.0.0.0", spec.port)
            for cls in classes:
                cls()
            TopicSettings()


# --- Secrets ----------------------------------------------------------------------------------


def test_key_table_covers_every_key_the_services_code_names() -> None:
    literal = re.compile(r"""["']([a-z0-9]+(?:-[a-z0-9]+)*-key)["']""")
    for spec in SERVICES:
        source = ROOT / "services" / spec.name / "src"
        text = "\n".join(p.read_text(encoding="utf-8") for p in source.rglob("*.py"))
        named = set(literal.findall(text)) - NOT_KEYS
        assert named <= KEY_PURPOSES[spec.name], spec.name
        sealed = "party_seal(" in text or "FieldCipher(" in text
        assert sealed == ("field-key" in KEY_PURPOSES[spec.name]), spec.name
        assert "require_role" in text and "token-key" in KEY_PURPOSES[spec.name], spec.name


def test_each_deployment_reads_exactly_the_keys_its_service_needs(overlay: Overlay) -> None:
    for deployment in overlay.deployments():
        service = service_of(deployment)
        from_secrets = {use for _, _, use in secret_refs(deployment) if use.isupper()}
        needed = {key_variable(service, p) for p in KEY_PURPOSES[service]}
        needed |= OTHER_SECRETS.get(service, set()) | {"MONGODB_URI"}
        assert from_secrets == needed, k8stools.describe(deployment)
        for secret, key, use in secret_refs(deployment):
            if use in needed - {"MONGODB_URI"} - OTHER_SECRETS.get(service, set()):
                # Key Secrets are the service's own, one key per variable of the same name.
                assert (secret, key) == (f"{service}-keys", use)


def test_each_service_has_its_own_database_user(overlay: Overlay) -> None:
    for deployment in overlay.deployments():
        service, namespace = service_of(deployment), deployment["metadata"]["namespace"]
        (uri,) = [(s, k) for s, k, use in secret_refs(deployment) if use == "MONGODB_URI"]
        users = [
            user
            for db in overlay.of("MongoDBCommunity")
            if db["metadata"]["namespace"] == namespace
            for user in db["spec"]["users"]
            if user.get("connectionStringSecretName") == uri[0]
        ]
        assert len(users) == 1 and uri[1] == "connectionString.standard", service
        database = overlay.config(deployment)[f"FENGQIAO_{service.upper()}_DATABASE"]
        assert users[0]["name"] == service
        assert users[0]["roles"] == [{"name": "readWrite", "db": database}]
    for db in overlay.of("MongoDBCommunity"):
        names = [u["name"] for u in db["spec"]["users"]]
        assert len(names) == len(set(names)), "one user per service"
        assert db["spec"]["members"] == (3 if overlay.name == "prod" else 1)


def operator_secrets(overlay: Overlay) -> dict[str, set[str]]:
    """The Secrets the operators write once the resources are applied: Strimzi a password per
    KafkaUser and the cluster CA, MongoDB a connection string per user."""
    made: dict[str, set[str]] = {}
    for user in overlay.of("KafkaUser"):
        made[f"{user['metadata']['namespace']}/{user['metadata']['name']}"] = {"password"}
    made[f"{overlay.kafka_namespace()}/{CLUSTER_CA}"] = {"ca.crt", "ca.p12", "ca.password"}
    for db in overlay.of("MongoDBCommunity"):
        for user in db["spec"]["users"]:
            made[f"{db['metadata']['namespace']}/{user['connectionStringSecretName']}"] = {
                "connectionString.standard",
                "connectionString.standardSrv",
                "username",
                "password",
            }
    return made


def run_script(*args: str, kubectl: k8stools.FakeKubectl | None = None) -> str:
    env = kubectl.env() if kubectl else None
    if env is not None:
        env["FENGQIAO_PLATFORM_CLIENT_SECRET"] = "the-province's-secret"
    proc = subprocess.run(
        ["bash", str(SECRETS_SCRIPT), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_the_secrets_script_makes_every_secret_the_pods_read(
    overlay: Overlay, schemas: k8stools.Schemas, tmp_path: Path
) -> None:
    kubectl = k8stools.FakeKubectl(tmp_path)
    # What the operators will have written, with stand-in values.
    kubectl.store = {
        name: {k: base64.b64encode(f"{name}:{k}".encode()).decode() for k in keys}
        for name, keys in operator_secrets(overlay).items()
    }
    run_script("keys", overlay.name, kubectl=kubectl)
    run_script("kafka", overlay.name, kubectl=kubectl)
    available = {name: set(data) for name, data in kubectl.store.items()}
    for made in overlay.of("Secret"):  # by kustomize (dev: platform-sim's client secret)
        available[f"{made['metadata']['namespace']}/{made['metadata']['name']}"] = set(
            made.get("data", {}) | made.get("stringData", {})
        )
    for deployment in overlay.of("Deployment"):
        namespace = deployment["metadata"]["namespace"]
        for name, key, use in secret_refs(deployment):
            where = f"{namespace}/{name}"
            assert key in available.get(where, set()), f"{use}: {where} has no {key}"
    # Each key is 32 random bytes, base64url; no secret value passed on a command line.
    values = [v for data in kubectl.store.values() for v in data.values()]
    for name, data in kubectl.store.items():
        if name.endswith("-keys"):
            for value in data.values():
                key = base64.b64decode(value).decode()
                assert len(urlsafe_bytes(key)) == 32 and re.fullmatch(r"[A-Za-z0-9_-]+", key)
    lines = " ".join(" ".join(line) for line in kubectl.command_lines())
    assert not any(base64.b64decode(v).decode() in lines for v in values)
    # --print writes the same Secrets as valid manifests.
    printed = k8stools.load_all(run_script("keys", overlay.name, "--print", kubectl=kubectl))
    assert schemas.all_problems(printed) == []
    names = {f"{s['metadata']['namespace']}/{s['metadata']['name']}" for s in printed}
    assert names <= set(kubectl.store)


def urlsafe_bytes(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error:
        return b""


def test_the_secrets_script_keeps_keys_and_adds_missing_ones(tmp_path: Path) -> None:
    """A second run replaces nothing (a new field key would leave stored data unreadable) and
    adds a key the Secret lacks (a purpose added since)."""
    kubectl = k8stools.FakeKubectl(tmp_path)
    run_script("keys", "prod", kubectl=kubectl)
    store = kubectl.store
    missing = key_variable("intake", "tracking-key")
    del store["fengqiao-intake/intake-keys"][missing]
    kubectl.store = store
    run_script("keys", "prod", kubectl=kubectl)
    after = kubectl.store
    assert set(after) == set(store)
    for name, data in store.items():
        assert after[name] | data == after[name], f"{name} changed"
    assert missing in after["fengqiao-intake/intake-keys"]


# --- namespaces and network -------------------------------------------------------------------


def test_prod_puts_each_agency_in_its_own_namespace(rendered: dict[str, list[Resource]]) -> None:
    prod = Overlay("prod", rendered["prod"])
    kafka_ns = prod.kafka_namespace()
    assert kafka_ns == "fengqiao-kafka"
    for kind in ("Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser"):
        assert {r["metadata"]["namespace"] for r in prod.of(kind)} == {kafka_ns}, kind
    by_namespace: dict[str, set[str]] = {}
    for deployment in prod.deployments():
        by_namespace.setdefault(deployment["metadata"]["namespace"], set()).add(
            service_of(deployment)
        )
    assert by_namespace == {f"fengqiao-{name}": {name} for name in SERVICE_NAMES}
    for namespace in by_namespace:
        assert namespace in prod.namespaces()
        databases = [
            d for d in prod.of("MongoDBCommunity") if d["metadata"]["namespace"] == namespace
        ]
        assert len(databases) == 1, f"{namespace}: its own MongoDB"
        policies = [p for p in prod.of("NetworkPolicy") if p["metadata"]["namespace"] == namespace]
        assert policies, f"{namespace} has no NetworkPolicy"
    for deployment in prod.deployments():
        if deployment["metadata"]["labels"]["app.kubernetes.io/component"] == "service":
            assert deployment["spec"]["replicas"] >= 2, k8stools.describe(deployment)
    assert all(d["metadata"]["namespace"] != kafka_ns for d in prod.of("Deployment"))


def allowed_destinations(
    overlay: Overlay, deployment: Resource
) -> list[tuple[str, dict[str, str]]]:
    """Where an agency's pods may open connections: DNS, Kafka's brokers, its own database and
    the gateway's edge; the gateway itself reaches the hub's API instead of its own edge, and in
    dev the adapter reaches platform-sim."""
    service, own = service_of(deployment), deployment["metadata"]["namespace"]
    home = {service_of(d): d["metadata"]["namespace"] for d in overlay.deployments()}
    allowed = [
        ("kube-system", {"k8s-app": "kube-dns"}),
        (
            overlay.kafka_namespace(),
            {"strimzi.io/cluster": CLUSTER, "strimzi.io/broker-role": "true"},
        ),
        (own, {"app": "mongodb-svc"}),
    ]
    if service == "gateway":
        allowed.append((home["intake"], {"app.kubernetes.io/name": "intake"}))
    else:
        edge = {"app.kubernetes.io/name": "gateway", "app.kubernetes.io/component": "edge"}
        allowed.append((home["gateway"], edge))
    if service == "platform" and overlay.name == "dev":
        allowed.append((own, {"app.kubernetes.io/name": "platform-sim"}))
    return allowed


def test_network_policies_let_each_agency_reach_only_its_own(overlay: Overlay) -> None:
    namespaces = overlay.namespaces()
    for deployment in overlay.deployments():
        what, namespace = k8stools.describe(deployment), deployment["metadata"]["namespace"]
        policies = [
            p
            for p in overlay.of("NetworkPolicy")
            if p["metadata"]["namespace"] == namespace
            and matches(p["spec"]["podSelector"], pod_labels(deployment))
        ]
        assert {"Ingress", "Egress"} <= {t for p in policies for t in p["spec"]["policyTypes"]}, (
            what
        )
        allowed = allowed_destinations(overlay, deployment)
        reached: list[tuple[str, dict[str, str]]] = []
        for policy in policies:
            for rule in policy["spec"].get("egress", []):
                assert rule.get("to") and rule.get("ports"), f"{what}: an egress rule allows all"
                for peer in rule["to"]:
                    if "ipBlock" in peer:
                        assert peer["ipBlock"]["cidr"] in EXTERNAL.get(
                            service_of(deployment), set()
                        ), what
                        continue
                    if "namespaceSelector" in peer:
                        selected = [
                            n
                            for n, labels in namespaces.items()
                            if matches(peer["namespaceSelector"], labels)
                        ]
                    else:
                        selected = [namespace]
                    pods = peer.get("podSelector", {})
                    assert set(pods) == {"matchLabels"}, f"{what}: {peer} selects every pod"
                    assert len(selected) == 1, f"{what}: {peer} selects namespaces {selected}"
                    destination = (selected[0], pods["matchLabels"])
                    assert destination in allowed, f"{what} may reach {destination}"
                    reached.append(destination)
        assert all(d in reached for d in allowed), f"{what} cannot reach {allowed}"
        # Kafka lets the agency in (Strimzi's own policy from the listener's peers).
        listener = overlay.kafka["spec"]["kafka"]["listeners"][0]
        assert any(
            matches(peer["namespaceSelector"], namespaces[namespace])
            and matches(peer["podSelector"], pod_labels(deployment))
            for peer in listener["networkPolicyPeers"]
        ), what
    for db in overlay.of("MongoDBCommunity"):
        namespace = db["metadata"]["namespace"]
        (guard,) = [
            p
            for p in overlay.of("NetworkPolicy")
            if p["metadata"]["namespace"] == namespace
            and p["spec"]["podSelector"]
            == {"matchLabels": {"app": f"{db['metadata']['name']}-svc"}}
        ]
        assert guard["spec"]["policyTypes"] == ["Ingress"]
