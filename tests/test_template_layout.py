"""The template reads as plain code: choices own plain-named files, Jinja stays in selectors."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import REPO, run, tool

TEMPLATE = REPO / "template"
PACKAGE = TEMPLATE / "src" / "{{package_name}}"
MOST_SELECTORS = 10

Render = Callable[[dict[str, Any]], Path]


def test_no_file_name_holds_a_condition() -> None:
    conditional = [str(path.relative_to(TEMPLATE)) for path in TEMPLATE.rglob("*{%*")]
    assert not conditional, f"file names with Jinja conditions: {conditional}"


def test_jinja_in_python_lives_in_a_few_selectors() -> None:
    selectors = sorted(str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py.jinja"))
    assert 0 < len(selectors) <= MOST_SELECTORS, selectors
    jinja = [
        str(plain.relative_to(PACKAGE))
        for plain in PACKAGE.rglob("*.py")
        if any(mark in plain.read_text(encoding="utf-8") for mark in ("{%", "{{", "{#"))
    ]
    assert not jinja, f"Jinja in plain files: {jinja}"


def test_plain_template_files_are_ruff_clean_as_they_are(render: Render, tmp_path: Path) -> None:
    """ruff reads the template's own files, with the rules of a generated project."""
    project = render({})
    shutil.copy(project / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        PACKAGE,
        tmp_path / "src" / "package",
        ignore=shutil.ignore_patterns("*.jinja", "__pycache__"),
    )
    for command in (["check"], ["format", "--check"]):
        completed = run([tool("ruff"), *command, "--no-cache", "src"], cwd=tmp_path)
        assert completed.returncode == 0, completed.stdout + completed.stderr
