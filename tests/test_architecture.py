"""The dependency rules of DESIGN.md, checked on the import statements of every module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = {"app", "config", "content", "telephony", "ivr", "sms", "web", "worker"}

# Which project packages each part may import.
ALLOWED = {
    "config": set(),
    "content": {"content"},
    "telephony": {"telephony"},
    "ivr": {"ivr", "content", "telephony"},
    "sms": {"sms", "content", "telephony"},
    "web": {"web", "content", "telephony"},
    "worker": {"worker", "content", "telephony"},
    "app": {"config", "content", "telephony", "ivr", "sms", "web", "worker"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & PROJECT_PACKAGES


def modules_of(part: str) -> list[Path]:
    if (ROOT / part).is_dir():
        return sorted((ROOT / part).rglob("*.py"))
    return [ROOT / f"{part}.py"]


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_each_part_imports_only_what_the_design_allows(part: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) - ALLOWED[part])
        for path in modules_of(part)
        if path.exists() and imported_packages(path) - ALLOWED[part]
    }
    assert wrong == {}


def test_the_rule_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("import os\nfrom ivr.menu import present\nimport worker.sending\nfrom . import sibling\n")
    assert imported_packages(module) == {"ivr", "worker"}
