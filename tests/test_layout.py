"""The import rules of the layout (README, Layout), read from the source with `ast`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("intake", "warehouse", "figures", "brief", "outward", "run")
SHARED = "shared"


def imported_modules(source: str) -> list[str]:
    """Return every absolute module an import statement in `source` names."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def broken_rule(importer: str, imported: str) -> str | None:
    """Return the rule that `importer` (a dotted module) breaks by importing `imported`."""
    top, _, rest = importer.partition(".")
    target_top = imported.split(".")[0]
    if top == "schemas" and target_top in {"tasks", "flows"}:
        return "schemas/ imports neither tasks/ nor flows/"
    if top != "tasks":
        return None
    if target_top == "flows":
        return "tasks/ never imports flows/"
    if target_top != "tasks":
        return None
    own = rest.split(".")[0]
    other = imported.split(".")[1] if imported.count(".") else ""
    if own == SHARED and other in STAGES:
        return "tasks/shared/ imports no stage"
    if own in STAGES and other in STAGES and STAGES.index(other) > STAGES.index(own):
        return f"a stage imports no later stage ({own} < {other})"
    return None


def layout_violations(root: Path) -> list[str]:
    """Return `file: import (rule)` for every import under `root` that breaks a rule."""
    violations = []
    paths = (path for top in ("schemas", "tasks", "flows") for path in root.glob(f"{top}/**/*.py"))
    for path in sorted(paths):
        module = ".".join(path.relative_to(root).with_suffix("").parts)
        for imported in imported_modules(path.read_text(encoding="utf-8")):
            rule = broken_rule(module, imported)
            if rule:
                violations.append(f"{path.relative_to(root)}: {imported} ({rule})")
    return violations


def test_the_source_tree_keeps_the_import_rules() -> None:
    assert layout_violations(ROOT) == []


def test_every_stage_package_exists() -> None:
    assert all((ROOT / "tasks" / stage / "__init__.py").is_file() for stage in STAGES)


@pytest.mark.parametrize(
    ("relative", "line", "rule"),
    [
        ("schemas/fields.py", "from tasks.intake.parse import parse_delivery", "schemas/"),
        ("schemas/fields.py", "import flows.steps", "schemas/"),
        ("tasks/intake/parse.py", "from flows.steps import run_settings", "tasks/ never"),
        ("tasks/intake/parse.py", "from tasks.warehouse.load import copy_into", "later stage"),
        ("tasks/figures/aggregate.py", "from tasks.brief.facts import Count", "later stage"),
        ("tasks/brief/facts.py", "import tasks.outward.send", "later stage"),
        ("tasks/shared/files.py", "from tasks.intake.parse import parse_delivery", "shared/"),
    ],
)
def test_a_planted_violation_is_found(tmp_path: Path, relative: str, line: str, rule: str) -> None:
    planted = tmp_path / relative
    planted.parent.mkdir(parents=True)
    planted.write_text(f'"""A module that breaks a rule."""\n\n{line}\n', encoding="utf-8")

    violations = layout_violations(tmp_path)

    assert len(violations) == 1
    assert violations[0].startswith(f"{relative}: ")
    assert rule in violations[0]


@pytest.mark.parametrize(
    ("relative", "line"),
    [
        ("tasks/warehouse/ingest.py", "from tasks.intake.checked import checked_parts"),
        ("tasks/outward/publish.py", "from tasks.figures.aggregate import aggregates_table"),
        ("tasks/intake/extract.py", "from tasks.shared.urls import safe_url"),
        ("flows/steps.py", "from tasks.brief.render import write_briefs"),
    ],
)
def test_an_allowed_import_is_not_a_violation(tmp_path: Path, relative: str, line: str) -> None:
    planted = tmp_path / relative
    planted.parent.mkdir(parents=True)
    planted.write_text(f"{line}\n", encoding="utf-8")

    assert layout_violations(tmp_path) == []
