"""Checks for the tools the provisioning needs, with the install command when one is missing."""

from __future__ import annotations

import json
import platform
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from fengqiao_tools.infra.errors import InfraError

_APT = "On Debian or Ubuntu: apt-get install -y"


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        raise InfraError(
            "Java 17 or newer is needed to run Kafka, and no `java` is on PATH.",
            f"{_APT} openjdk-17-jre-headless",
        )
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    match = re.search(r'version "(\d+)', out)
    if match and int(match.group(1)) < 17:
        raise InfraError(
            f"Kafka 4 needs Java 17 or newer; `java` is version {match.group(1)}.",
            f"{_APT} openjdk-17-jre-headless, and put it first on PATH",
        )
    return java


def require_maven() -> str:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise InfraError(
            "Maven is needed once, to fetch the Kafka jars from Maven Central; no `mvn` on PATH.",
            f"{_APT} maven",
        )
    return mvn


# The Go toolchain FerretDB 1.24 builds with, as published on the Go module proxy.
_GOARCH = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine(), "amd64")
GO_TOOLCHAIN = f"golang.org/toolchain@v0.0.1-go1.24.3.linux-{_GOARCH}"


def require_go() -> str:
    """A Go that can build FerretDB: the one on PATH if 1.21 or newer (it fetches the toolchain
    FerretDB asks for by itself), else the toolchain module fetched with the older one."""
    go = shutil.which("go")
    if go is None:
        raise InfraError(
            "Go is needed once, to build FerretDB; no `go` on PATH.", f"{_APT} golang-go"
        )
    out = subprocess.run([go, "version"], capture_output=True, text=True).stdout
    match = re.search(r"go1\.(\d+)", out)
    if match is None or int(match.group(1)) >= 21:
        return go
    with tempfile.TemporaryDirectory() as work:
        run_checked([go, "mod", "init", "fengqiao.toolchain"], what="go mod init", cwd=work)
        info = json.loads(
            run_checked(
                [go, "mod", "download", "-json", GO_TOOLCHAIN],
                what=f"fetching {GO_TOOLCHAIN} (the installed {out.strip()} is too old)",
                cwd=work,
            )
        )
    root = Path(info["Dir"])
    # Module zips carry no file modes; mark the toolchain's programs executable, as Go does.
    for program in [*root.glob("bin/*"), *root.glob("pkg/tool/*/*")]:
        program.chmod(0o755)
    return str(root / "bin" / "go")


def run_checked(argv: list[str], *, what: str, **kwargs: object) -> str:
    """Run a build step; on failure show its output's tail rather than a traceback."""
    proc = subprocess.run(argv, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    if proc.returncode != 0:
        output = (proc.stdout + proc.stderr).strip().splitlines()[-15:]
        raise InfraError(f"{what} failed (exit {proc.returncode}):\n" + "\n".join(output))
    return str(proc.stdout)
