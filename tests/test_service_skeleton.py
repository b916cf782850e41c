"""Every service follows one skeleton (README, Layout): a reader who knows one service finds
their way in all eight, and a fix made once has one place to go. The walk reads the source only;
nothing is imported."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = sorted(p for p in ROOT.glob("services/*/src/*") if (p / "__init__.py").exists())

MODULES = {"__init__.py", "main.py", "settings.py", "bootstrap.py", "consumers.py", "timers.py"}
FOLDERS = {"api", "handlers", "schemas", "adapters", "domain"}
REQUIRED = {"__init__.py", "main.py", "settings.py", "bootstrap.py", "consumers.py", *FOLDERS}
# Where a service has more than the skeleton, and why.
EXTRAS = {
    # The gateway's second half: the router, judging, webhooks and deliveries of the exchange.
    "gateway": {"exchange"},
    # The stand-in for the provincial Yue-Pingan platform, shipped with its adapter so that an
    # integrator can run the adapter against it.
    "platform_adapter": {"sim"},
}
# The domain is pure: no I/O, no framework, none of the library's plumbing.
IMPURE = (
    "pymongo",
    "bson",
    "motor",
    "aiokafka",
    "fastapi",
    "starlette",
    "httpx",
    "uvicorn",
    "fengqiao.messaging",
    "fengqiao.storage",
    "fengqiao.web",
    "fengqiao.runtime",
    "fengqiao.telemetry",
    "fengqiao.settings",
    "fengqiao.testing",
)
MONGO_CALLS = {
    "aggregate",
    "bulk_write",
    "count_documents",
    "delete_many",
    "delete_one",
    "distinct",
    "find_one",
    "find_one_and_update",
    "get_collection",
    "insert_many",
    "insert_one",
    "replace_one",
    "update_many",
    "update_one",
}


def tree_of(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported(module: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def entries(package: Path) -> set[str]:
    return {p.name for p in package.iterdir() if p.name != "__pycache__" and p.name[0] != "."}


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_a_service_has_the_skeleton_and_nothing_beside_it(package: Path) -> None:
    found = entries(package)
    allowed = MODULES | FOLDERS | EXTRAS.get(package.name, set())
    data = {name for name in found if not name.endswith(".py") and not (package / name).is_dir()}
    assert found >= REQUIRED, f"missing: {sorted(REQUIRED - found)}"
    assert found - data <= allowed, f"outside the skeleton: {sorted(found - data - allowed)}"
    for folder in FOLDERS & found:
        assert (package / folder / "__init__.py").exists(), f"{folder}/ is a package"
    assert (package / "api" / "deps.py").exists(), "api/deps.py holds the API's dependencies"


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_consumers_is_the_event_table_only(package: Path) -> None:
    module = tree_of(package / "consumers.py")
    defined = [
        node.name
        for node in module.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    assert defined == ["wiring"], f"consumers.py defines {defined}; handlers live in handlers/"


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_the_domain_does_no_io(package: Path) -> None:
    service = package.name
    for path in sorted((package / "domain").rglob("*.py")):
        for name in imported(tree_of(path)):
            where = f"{path.relative_to(package)} imports {name}"
            assert not name.startswith(IMPURE), where
            if name.startswith(f"{service}."):
                assert name.startswith(f"{service}.domain"), where


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_the_api_asks_the_adapters_not_mongo(package: Path) -> None:
    for path in sorted((package / "api").rglob("*.py")):
        module = tree_of(path)
        where = path.relative_to(package)
        assert not {n for n in imported(module) if n.startswith(("pymongo", "bson"))}, where
        for node in ast.walk(module):
            if isinstance(node, ast.Attribute):
                assert node.attr not in MONGO_CALLS, f"{where}: .{node.attr} belongs in adapters/"
                assert node.attr not in {"db", "collection"}, f"{where}: .{node.attr} in api/"


def test_every_service_is_walked() -> None:
    assert {p.name for p in PACKAGES} == {
        "court",
        "gateway",
        "grid",
        "intake",
        "justice",
        "platform_adapter",
        "police",
        "procuratorate",
    }
