"""bastion's own code is held to the bar it sets for generated code."""

from __future__ import annotations

import sys

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
