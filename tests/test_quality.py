"""bastion's own code is held to the bar it sets for generated code."""

from __future__ import annotations

import re
import sys
import tomllib

from conftest import REPO, run, tool


def test_ruff_check_and_format_are_clean() -> None:
    checked = run(
        [tool("ruff"), "check", "--no-cache", "src", "tests", "benchmarks", "hatch_build.py"],
        cwd=REPO,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    formatted = run(
        [
            tool("ruff"),
            "format",
            "--check",
            "--no-cache",
            "src",
            "tests",
            "benchmarks",
            "hatch_build.py",
        ],
        cwd=REPO,
    )
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def test_mypy_strict_is_clean() -> None:
    completed = run([sys.executable, "-m", "mypy"], cwd=REPO)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_readme_says_how_long_the_tests_take_and_how_to_run_fewer() -> None:
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert re.search(r"takes about \d+ minutes on a 2-core machine", readme), "the run time"
    subset = re.search(r'`pytest -m "not (?P<marker>\w+)"`', readme)
    assert subset, "a fast subset"
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    markers = [
        line.partition(":")[0] for line in pyproject["tool"]["pytest"]["ini_options"]["markers"]
    ]
    assert subset["marker"] in markers
    marked = [
        path.name
        for path in (REPO / "tests").glob("test_*.py")
        if f"pytest.mark.{subset['marker']}" in path.read_text(encoding="utf-8")
    ]
    assert marked, "the marker leaves some tests out"
