"""Checks for the tools the provisioning needs, with the install command when one is missing."""

from __future__ import annotations

import re
import shutil
import subprocess

from fengqiao.infra.errors import InfraError

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


def require_go() -> str:
    go = shutil.which("go")
    remedy = f"{_APT} golang-go if it gives 1.21 or newer, else Go's official distribution"
    if go is None:
        raise InfraError(
            "Go 1.21 or newer is needed once, to build FerretDB; no `go` on PATH.", remedy
        )
    out = subprocess.run([go, "version"], capture_output=True, text=True).stdout
    match = re.search(r"go1\.(\d+)", out)
    # From 1.21 on, Go fetches the toolchain FerretDB asks for through the module proxy.
    if match and int(match.group(1)) < 21:
        raise InfraError(
            f"Go 1.21 or newer is needed to build FerretDB; found {out.strip()}.", remedy
        )
    return go


def run_checked(argv: list[str], *, what: str, **kwargs: object) -> str:
    """Run a build step; on failure show its output's tail rather than a traceback."""
    proc = subprocess.run(argv, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    if proc.returncode != 0:
        output = (proc.stdout + proc.stderr).strip().splitlines()[-15:]
        raise InfraError(f"{what} failed (exit {proc.returncode}):\n" + "\n".join(output))
    return str(proc.stdout)
