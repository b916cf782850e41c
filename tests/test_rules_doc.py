"""docs/rules.md maps every business rule to the code that holds it and the test that pins it.

This keeps the map true: every path it names exists, every function, class, constant or YAML
key it names is still defined there, and every test it names is still in its file. Pure file
checks (``ast`` and YAML): no broker, no store, no imports of the services.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "rules.md"
HEADER = ["rule", "where", "pinned by"]
NOT_PINNED = "Not pinned yet"
REFERENCE = re.compile(r"`([^`]+)`")
PYTHON_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Row:
    """One rule: the area (its ``##`` heading), the line, and the references of each cell."""

    area: str
    line: int
    rule: str
    where: tuple[str, ...]
    pinned_by: tuple[str, ...]
    pinned_text: str


@dataclass(frozen=True)
class Doc:
    rows: tuple[Row, ...]
    problems: tuple[str, ...]  # breaches of the format described at the top of the document


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


@cache
def read_doc() -> Doc:
    rows: list[Row] = []
    problems: list[str] = []
    area = ""
    fenced = False
    in_table = False  # inside a rules table, past its header and separator
    expect_separator = False
    for number, line in enumerate(DOC.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            continue
        if line.startswith("## "):
            area = line[3:].strip()
        if not line.startswith("|"):
            in_table = expect_separator = False
            continue
        cells = _cells(line)
        if expect_separator:
            expect_separator = False
            in_table = True
            if not all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells) or len(cells) != 3:
                problems.append(f"line {number}: the header must be followed by |---|---|---|")
            continue
        if not in_table:
            if [cell.lower() for cell in cells] != HEADER:
                problems.append(f"line {number}: the header must be | rule | where | pinned by |")
            elif not area:
                problems.append(f"line {number}: a rules table must sit under a ## heading")
            expect_separator = True
            continue
        if len(cells) != 3:
            problems.append(f"line {number}: a row has 3 cells (rule, where, pinned by): {line!r}")
            continue
        rule, where, pinned = cells
        rows.append(
            Row(
                area=area,
                line=number,
                rule=rule,
                where=tuple(REFERENCE.findall(where)),
                pinned_by=tuple(REFERENCE.findall(pinned)),
                pinned_text=pinned,
            )
        )
    for row in rows:
        at = f"line {row.line}"
        if not row.rule:
            problems.append(f"{at}: the rule is empty")
        if not row.where:
            problems.append(f"{at}: 'where' names no `path::name`")
        if row.area == NOT_PINNED:
            if row.pinned_by or not row.pinned_text:
                problems.append(f"{at}: under '{NOT_PINNED}', 'pinned by' says why, in words")
        elif not row.pinned_by:
            problems.append(f"{at}: no test pins it; move it under '## {NOT_PINNED}'")
    return Doc(tuple(rows), tuple(problems))


# ----- what a reference names ------------------------------------------------------------


@cache
def _module(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@cache
def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _binds(statement: ast.stmt, name: str) -> bool:
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return statement.name == name
    if isinstance(statement, ast.Assign):
        return any(isinstance(t, ast.Name) and t.id == name for t in statement.targets)
    if isinstance(statement, ast.AnnAssign):
        return isinstance(statement.target, ast.Name) and statement.target.id == name
    return False


def _find(body: list[ast.stmt], parts: list[str]) -> ast.stmt | None:
    """The statement defining ``parts`` (a dotted path through classes) in ``body``."""
    head, *rest = parts
    found = next((s for s in reversed(body) if _binds(s, head)), None)
    if found is None or not rest:
        return found
    return _find(found.body, rest) if isinstance(found, ast.ClassDef) else None


def _in_yaml(data: Any, parts: list[str]) -> bool:
    """A key path: each part a mapping key, or the ``id`` of an item of a list."""
    for part in parts:
        if isinstance(data, dict):
            keys = {str(k): k for k in data}
            if part not in keys:
                return False
            data = data[keys[part]]
        elif isinstance(data, list):
            data = next((i for i in data if isinstance(i, dict) and str(i.get("id")) == part), None)
            if data is None:
                return False
        else:
            return False
    return True


def place_problem(reference: str) -> str | None:
    """Why ``path`` or ``path::name`` does not name a place in the code, or None."""
    relative, _, name = reference.partition("::")
    path = ROOT / relative
    if not path.is_file():
        return f"no file {relative}"
    if not name:
        return None
    if path.suffix in YAML_SUFFIXES:
        return None if _in_yaml(_yaml(path), name.split(".")) else f"no key {name} in {relative}"
    if path.suffix != ".py":
        return f"{relative}: only Python and YAML files can name a place"
    if not PYTHON_NAME.match(name):
        return f"{name!r} is not a dotted Python name"
    if _find(_module(path).body, name.split(".")) is None:
        return f"{name} is not defined in {relative}"
    return None


def pinning_problem(reference: str) -> str | None:
    """Why ``path::test_name`` (or ``path::Class::test_name``) is not a test there, or None."""
    relative, *names = reference.split("::")
    path = ROOT / relative
    if not names or not path.name.startswith("test_") or path.suffix != ".py":
        return f"{reference!r} is not path/test_*.py::test_name"
    if not names[-1].startswith("test"):
        return f"{names[-1]} is not a test's name"
    if not path.is_file():
        return f"no file {relative}"
    found = _find(_module(path).body, names)
    if not isinstance(found, ast.FunctionDef | ast.AsyncFunctionDef):
        return f"no test {'::'.join(names)} in {relative}"
    return None


# ----- the checks ------------------------------------------------------------------------


def test_the_doc_keeps_the_format_it_describes() -> None:
    doc = read_doc()
    assert not doc.problems, "docs/rules.md:\n" + "\n".join(doc.problems)
    areas = {row.area for row in doc.rows}
    assert len(doc.rows) >= 100 and len(areas) >= 10, "the parser found too few rules"
    assert NOT_PINNED in areas


def test_every_place_a_rule_is_held_still_exists() -> None:
    problems = [
        f"line {row.line}: `{ref}`: {problem}"
        for row in read_doc().rows
        for ref in row.where
        if (problem := place_problem(ref)) is not None
    ]
    assert not problems, "docs/rules.md names places that are gone:\n" + "\n".join(problems)


def test_every_test_that_pins_a_rule_still_exists() -> None:
    problems = [
        f"line {row.line}: `{ref}`: {problem}"
        for row in read_doc().rows
        for ref in row.pinned_by
        if (problem := pinning_problem(ref)) is not None
    ]
    assert not problems, "docs/rules.md names tests that are gone:\n" + "\n".join(problems)


def test_the_checks_refuse_what_is_not_there() -> None:
    here = "tests/test_rules_doc.py"
    assert place_problem(f"{here}::Row") is None
    assert place_problem(f"{here}::ROOT") is None
    assert place_problem(f"{here}::Row.where") is None
    assert place_problem(f"{here}::Row.nowhere") is not None
    assert place_problem(f"{here}::no_such_function") is not None
    assert place_problem("tests/no_such_file.py::anything") is not None
    assert place_problem(f"{here}::ROOT.parent") is not None  # a constant has no members
    assert pinning_problem(f"{here}::test_the_checks_refuse_what_is_not_there") is None
    assert pinning_problem(f"{here}::test_that_was_removed") is not None
    assert pinning_problem(f"{here}::read_doc") is not None
    assert pinning_problem("docs/rules.md::test_x") is not None
    policy = "services/intake/src/intake/domain/policy.yaml"
    assert place_problem(f"{policy}::rules.land-rural.lead") is None
    assert place_problem(f"{policy}::rules.no-such-rule") is not None
    assert place_problem("shared/fengqiao/cn_calendar.yaml::years.2026") is None
