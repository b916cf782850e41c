"""The Kubernetes tools the manifest tests need, provisioned from nothing but Go and Python.

- kustomize, a pinned version built once from the Go module proxy with the Go toolchain the
  platform's provisioning already uses (``fengqiao_tools.infra.toolchain``), cached next to FerretDB
  in ``~/.cache/fengqiao/bin``;
- strict, offline schema validation: Kubernetes' own kinds against the schemas the
  ``kubernetes-validate`` package ships (its strict variant refuses unknown fields), custom
  resources against the operators' CRDs vendored in ``k8s/schemas`` (see its README), turned
  into JSON Schema that refuses every field the API server would prune.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate  # type: ignore[import-untyped]
import yaml
from fengqiao_tools.infra.config import InfraConfig
from fengqiao_tools.infra.toolchain import require_go, run_checked

KUSTOMIZE_MODULE = "sigs.k8s.io/kustomize/kustomize/v5"
KUSTOMIZE_VERSION = "v5.7.1"
# The oldest Kubernetes the manifests are held to (Strimzi 0.49 and the MongoDB Community
# operator 0.13 both run on it).
KUBERNETES_VERSION = "1.33"

Resource = dict[str, Any]


def kustomize(cfg: InfraConfig | None = None) -> Path:
    """The kustomize binary, built on first use (about a minute) and reused after."""
    cfg = cfg or InfraConfig()
    binary = cfg.cache_dir / "bin" / f"kustomize-{KUSTOMIZE_VERSION}"
    if binary.exists():
        return binary
    go = require_go()
    build_root = cfg.cache_dir / "build"
    build_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=build_root) as work:
        # Outside any module, into a private GOBIN: `go install pkg@version` needs no go.mod.
        env = {**os.environ, "GOBIN": work, "CGO_ENABLED": "0", "GOFLAGS": ""}
        run_checked(
            [go, "install", f"{KUSTOMIZE_MODULE}@{KUSTOMIZE_VERSION}"],
            what=f"building kustomize {KUSTOMIZE_VERSION}",
            cwd=work,
            env=env,
        )
        binary.parent.mkdir(parents=True, exist_ok=True)
        # Published whole: a concurrent build's copy is the same program.
        os.replace(Path(work) / "kustomize", binary)
    return binary


def build(directory: Path) -> list[Resource]:
    """``kustomize build DIRECTORY``, as resources."""
    proc = subprocess.run(
        [str(kustomize()), "build", str(directory)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if proc.returncode != 0:
        raise AssertionError(f"kustomize build {directory} failed:\n{proc.stderr.strip()}")
    return load_all(proc.stdout)


def load_all(text: str) -> list[Resource]:
    return [doc for doc in yaml.load_all(text, Loader=yaml.CSafeLoader) if doc]


def describe(resource: Mapping[str, Any]) -> str:
    meta = resource.get("metadata") or {}
    where = f" in {meta['namespace']}" if meta.get("namespace") else ""
    return f"{resource.get('kind')}/{meta.get('name')}{where}"


class Schemas:
    """Strict validation of resources, offline: Kubernetes' kinds and the vendored CRDs'."""

    def __init__(self, crd_dir: Path, kubernetes_version: str = KUBERNETES_VERSION) -> None:
        self.kubernetes_version = kubernetes_version
        self.custom: dict[tuple[str, str], jsonschema.protocols.Validator] = {}
        for path in sorted(crd_dir.rglob("*.yaml")):
            for crd in load_all(path.read_text(encoding="utf-8")):
                if crd.get("kind") == "CustomResourceDefinition":
                    self._add(crd)
        if not self.custom:
            raise AssertionError(f"no CustomResourceDefinition under {crd_dir}")

    def _add(self, crd: Resource) -> None:
        spec = crd["spec"]
        kind = spec["names"]["kind"]
        for version in spec["versions"]:
            if not version.get("served", False):
                continue
            api_version = f"{spec['group']}/{version['name']}"
            schema = strict_schema(version["schema"]["openAPIV3Schema"])
            props = schema["properties"]
            props["apiVersion"] = {"const": api_version}
            props["kind"] = {"const": kind}
            # Checked as Kubernetes' strict ObjectMeta in problems().
            props["metadata"] = {"type": "object"}
            schema["required"] = sorted({*schema.get("required", ()), "apiVersion", "kind"})
            validator = jsonschema.Draft202012Validator(schema)
            self.custom[(api_version, kind)] = validator

    def problems(self, resource: Resource) -> list[str]:
        """Why the API server (or the operator's CRD) would refuse or prune part of it."""
        key = (str(resource.get("apiVersion")), str(resource.get("kind")))
        custom = self.custom.get(key)
        if custom is None:
            return [f"{describe(resource)}: {e}" for e in self._builtin(resource)]
        found = [
            f"{describe(resource)}: {_path(e)}: {e.message}"
            for e in sorted(custom.iter_errors(resource), key=lambda e: list(e.absolute_path))
        ]
        # The metadata of a custom resource is Kubernetes' ObjectMeta: check it as such.
        carrier = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": resource.get("metadata")}
        found += [f"{describe(resource)}: {e}" for e in self._builtin(carrier)]
        return found

    def _builtin(self, resource: Resource) -> list[str]:
        try:
            kubernetes_validate.validate(resource, self.kubernetes_version, strict=True)
        except kubernetes_validate.ValidationError as error:
            return [f"{_path(error)}: {error.message}"]
        except kubernetes_validate.SchemaNotFoundError as error:
            return [f"no schema: {error.message} (nor a vendored CRD in k8s/schemas)"]
        return []

    def all_problems(self, resources: Iterable[Resource]) -> list[str]:
        return [problem for resource in resources for problem in self.problems(resource)]


def _path(error: jsonschema.ValidationError) -> str:
    return ".".join(str(part) for part in error.absolute_path) or "(top)"


_BRANCHES = ("allOf", "anyOf", "oneOf")


def strict_schema(schema: Mapping[str, Any], *, branch: bool = False) -> Resource:
    """A CRD's OpenAPI v3 (structural) schema as JSON Schema that refuses unknown fields.

    The API server prunes a field its schema does not name, unless the object says
    ``x-kubernetes-preserve-unknown-fields`` or has ``additionalProperties``: here such a field
    is an error. ``nullable`` allows null; ``x-kubernetes-int-or-string`` allows both. The
    branches of ``oneOf``/``anyOf``/``allOf``/``not`` only constrain (a structural schema
    declares fields outside them), so they get no ``additionalProperties`` of their own. CEL
    rules (``x-kubernetes-validations``) are not evaluated.
    """
    out: Resource = {}
    for key, value in schema.items():
        if key.startswith("x-kubernetes-") or key == "nullable":
            continue
        if key in ("properties", "patternProperties"):
            out[key] = {name: strict_schema(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, Mapping):
            out[key] = strict_schema(value)
        elif key in _BRANCHES:
            out[key] = [strict_schema(sub, branch=True) for sub in value]
        elif key == "not":
            out[key] = strict_schema(value, branch=True)
        else:
            out[key] = value
    if schema.get("x-kubernetes-int-or-string") and "anyOf" not in out:
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if schema.get("nullable") and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    is_object = out.get("type") == "object" or "properties" in out
    preserves = bool(schema.get("x-kubernetes-preserve-unknown-fields"))
    if is_object and not branch and not preserves and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


# A stand-in `kubectl` for k8s/create-secrets.sh: the few Secret commands it uses, on a JSON
# file of {"namespace/name": {key: base64}}, each command line appended to a log.
_FAKE_KUBECTL = """\
import base64, json, os, sys
import yaml

store_file, log_file = os.environ["FAKE_KUBECTL_STORE"], os.environ["FAKE_KUBECTL_LOG"]
args = sys.argv[1:]
with open(log_file, "a", encoding="utf-8") as log:
    log.write(json.dumps(args) + "\\n")
store = json.load(open(store_file, encoding="utf-8"))


def option(name):
    return args[args.index(name) + 1]


def encoded(doc):
    data = dict(doc.get("data") or {})
    for key, value in (doc.get("stringData") or {}).items():
        data[key] = base64.b64encode(str(value).encode()).decode()
    return data


def save():
    json.dump(store, open(store_file, "w", encoding="utf-8"), indent=1, sort_keys=True)


verb = args[0]
if verb == "get":
    key = f"{option('-n')}/{args[2]}"
    if key not in store:
        sys.exit(f'Error from server (NotFound): secrets "{args[2]}" not found')
    form = option("-o")
    if form.startswith("go-template="):
        print("\\n".join(sorted(store[key])))
    elif form.startswith("jsonpath={.data."):
        field = form[len("jsonpath={.data."):-1].replace("\\\\.", ".")
        sys.stdout.write(store[key].get(field, ""))
    else:
        sys.exit(f"fake kubectl: no output form {form}")
elif verb in ("create", "apply"):
    for doc in yaml.safe_load_all(sys.stdin):
        key = f"{doc['metadata']['namespace']}/{doc['metadata']['name']}"
        if verb == "create" and key in store:
            sys.exit(f'Error from server (AlreadyExists): secrets "{key}" already exists')
        store[key] = encoded(doc)
    save()
elif verb == "patch":
    key = f"{option('-n')}/{args[2]}"
    store[key].update(encoded(yaml.safe_load(sys.stdin)))
    save()
else:
    sys.exit(f"fake kubectl: no verb {verb}")
"""


class FakeKubectl:
    """A directory to put first on PATH, with a `kubectl` that keeps Secrets in ``store``."""

    def __init__(self, directory: Path) -> None:
        self.bin = directory / "bin"
        self.bin.mkdir(parents=True, exist_ok=True)
        self.store_file = directory / "secrets.json"
        self.log_file = directory / "kubectl.log"
        self.store_file.write_text("{}", encoding="utf-8")
        self.log_file.write_text("", encoding="utf-8")
        program = self.bin / "kubectl"
        program.write_text(f"#!{sys.executable}\n{_FAKE_KUBECTL}", encoding="utf-8")
        program.chmod(0o755)

    @property
    def store(self) -> dict[str, dict[str, str]]:
        data: dict[str, dict[str, str]] = json.loads(self.store_file.read_text(encoding="utf-8"))
        return data

    @store.setter
    def store(self, value: Mapping[str, Mapping[str, str]]) -> None:
        self.store_file.write_text(json.dumps(value), encoding="utf-8")

    def command_lines(self) -> list[list[str]]:
        lines = self.log_file.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PATH": f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}",
            "FAKE_KUBECTL_STORE": str(self.store_file),
            "FAKE_KUBECTL_LOG": str(self.log_file),
        }
