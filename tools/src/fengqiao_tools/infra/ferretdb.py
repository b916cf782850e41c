"""FerretDB 1.x with its SQLite backend, built from the Go module proxy with the Go toolchain."""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from pathlib import Path

from fengqiao_tools.infra.config import InfraConfig
from fengqiao_tools.infra.errors import InfraError
from fengqiao_tools.infra.toolchain import require_go, run_checked

NAME = "ferretdb"
MODULE = "github.com/FerretDB/FerretDB"


# FerretDB 1.24's SQLite backend indexes `_id` as `_ferretdb_sjson->"_id"` but looks it up as
# `_ferretdb_sjson->'$._id'`. SQLite reads both as the same JSON field yet matches index
# expressions by their text, so every update and delete by `_id` scanned the whole table
# (measured: 55 ms per delete at 5,000 documents, 1.8 ms with the lookup written like the index).
# The build writes the lookup the index's way; the `-fq1` suffix keeps that binary apart.
_ID_LOOKUP = "IDColumn = DefaultColumn + \"->'$._id'\""
_ID_LOOKUP_INDEXED = "IDColumn = DefaultColumn + \"->'_id'\""
_PATCHED = "fq1"


def binary_path(cfg: InfraConfig) -> Path:
    return cfg.cache_dir / "bin" / f"ferretdb-{cfg.ferretdb_version}-{_PATCHED}"


def _use_the_id_index(source: Path) -> None:
    metadata = source / "internal" / "backends" / "sqlite" / "metadata" / "metadata.go"
    text = metadata.read_text()
    if _ID_LOOKUP not in text:
        raise InfraError(
            f"FerretDB {metadata} no longer has the `_id` lookup this build adjusts.",
            "Set FENGQIAO_INFRA_FERRETDB_VERSION to v1.24.2, or update "
            "fengqiao_tools.infra.ferretdb.",
        )
    metadata.write_text(text.replace(_ID_LOOKUP, _ID_LOOKUP_INDEXED))


def ensure_binary(cfg: InfraConfig) -> Path:
    """Build FerretDB once; later runs reuse the cached binary."""
    binary = binary_path(cfg)
    if binary.exists():
        return binary
    go = require_go()
    build_root = cfg.cache_dir / "build"
    build_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=build_root) as tmp:
        work = Path(tmp)
        env = {**os.environ, "GOFLAGS": "-mod=mod", "CGO_ENABLED": "0"}
        run_checked(
            [go, "mod", "init", "fengqiao.provision"], what="go mod init", cwd=work, env=env
        )
        info = json.loads(
            run_checked(
                [go, "mod", "download", "-json", f"{MODULE}@{cfg.ferretdb_version}"],
                what="downloading the FerretDB module",
                cwd=work,
                env=env,
            )
        )
        source = work / "src"
        shutil.copytree(info["Dir"], source)
        _make_writable(source)
        # The published module lacks the generated version file; without it the binary panics.
        (source / "build" / "version" / "version.txt").write_text(cfg.ferretdb_version + "\n")
        _use_the_id_index(source)
        staged = work / "ferretdb"
        run_checked(
            [go, "build", "-trimpath", "-o", str(staged), "./cmd/ferretdb"],
            what="building FerretDB",
            cwd=source,
            env=env,
        )
        binary.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, binary)
    return binary


def _make_writable(root: Path) -> None:
    # Files in the Go module cache are read-only.
    for path in [root, *root.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def command(cfg: InfraConfig) -> list[str]:
    binary = ensure_binary(cfg)
    data = cfg.home / "ferretdb-data"
    data.mkdir(parents=True, exist_ok=True)
    return [
        str(binary),
        "--handler=sqlite",
        f"--sqlite-url=file:{data}/",
        f"--state-dir={data}",
        f"--listen-addr=127.0.0.1:{cfg.mongo_port}",
        "--debug-addr=-",
        "--telemetry=disable",
        "--log-level=error",  # at warn it dumps every unsupported endSessions call pymongo sends
    ]


async def ping(uri: str) -> None:
    from fengqiao.storage import connect, mongo_ping

    client = connect(uri, timeout_s=2.0)
    try:
        await mongo_ping(client)
    finally:
        await client.close()
