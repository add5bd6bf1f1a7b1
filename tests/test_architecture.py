"""The dependency rules of docs/architecture.md, checked on the import statements of every module."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
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
    "app": PROJECT_PACKAGES - {"app"},
}

# What the content store must not depend on: no web pages, templates, forms, PDF or provider.
NOT_IN_CONTENT = {"jinja2", "wtforms", "flask_wtf", "fpdf", "twilio", "werkzeug", "requests"}


def imports_of(path: Path) -> set[str]:
    """Every module name imported by path, in full (relative imports are left out)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def imported_packages(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imports_of(path)} & PROJECT_PACKAGES


def modules_of(part: str) -> list[Path]:
    if (ROOT / part).is_dir():
        return sorted((ROOT / part).rglob("*.py"))
    return [ROOT / f"{part}.py"]


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_each_part_imports_only_what_the_design_allows(part: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) - ALLOWED[part])
        for path in modules_of(part)
        if imported_packages(path) - ALLOWED[part]
    }
    assert wrong == {}


def test_the_content_store_uses_no_web_forms_templates_pdf_or_provider() -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted({name.split(".")[0] for name in imports_of(path)} & NOT_IN_CONTENT)
        for path in modules_of("content")
        if {name.split(".")[0] for name in imports_of(path)} & NOT_IN_CONTENT
    }
    assert wrong == {}


@pytest.mark.parametrize("part", sorted(set(ALLOWED) - {"telephony"}))
def test_only_telephony_knows_the_provider(part: str) -> None:
    """Nothing outside telephony/ imports twilio, or the provider's package behind telephony.provider."""
    wrong = {
        str(path.relative_to(ROOT)): sorted(name for name in imports_of(path) if _is_provider_specific(name))
        for path in modules_of(part)
        if any(_is_provider_specific(name) for name in imports_of(path))
    }
    assert wrong == {}


def _is_provider_specific(module: str) -> bool:
    return module.split(".")[0] == "twilio" or module.startswith("telephony.twilio")


def test_the_content_store_defines_no_web_page() -> None:
    pages = [str(path.relative_to(ROOT)) for path in modules_of("content") if "Blueprint" in path.read_text()]
    assert pages == []


def test_importing_sms_text_loads_nothing_of_the_web_or_the_provider() -> None:
    probe = "import sys, json, content.sms_text; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(
        subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    )
    assert {name.split(".")[0] for name in loaded} & {"flask_wtf", "wtforms", "fpdf", "twilio", "flask"} == set()
    assert [name for name in loaded if name.split(".")[0] in PROJECT_PACKAGES] == ["content", "content.sms_text"]


def test_the_rule_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("import os\nfrom ivr.menu import present\nimport worker.sending\nfrom . import sibling\n")
    assert imported_packages(module) == {"ivr", "worker"}
    assert imports_of(module) == {"os", "ivr.menu", "worker.sending"}
