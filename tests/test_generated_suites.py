"""The generated projects' own checks pass: mypy --strict and their test suites.

All renders share one environment (see `shared_env`), so the matrix costs one
install, not one per render.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import MATRIX, MATRIX_IDS, generated_pytest, run

pytestmark = pytest.mark.generated_suite

Render = Callable[[dict[str, Any]], Path]


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for every render: the third-party stubs are the same in each."""
    return tmp_path_factory.mktemp("mypy-cache")


@pytest.mark.parametrize("row", MATRIX, ids=MATRIX_IDS)
def test_mypy_strict_is_clean(
    row: dict[str, Any], render: Render, shared_env: Path, mypy_cache: Path
) -> None:
    project = render(row)
    completed = run(
        [str(shared_env), "-m", "mypy", "--strict", "--cache-dir", str(mypy_cache), "src"],
        cwd=project,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize("row", MATRIX, ids=MATRIX_IDS)
def test_generated_test_suite_passes(
    row: dict[str, Any], render: Render, shared_env: Path, nested_basetemp: str
) -> None:
    project = render(row)
    completed = run(
        [*generated_pytest(shared_env), "-x", nested_basetemp],
        cwd=project,
        CI="true",
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    summary = re.search(r"(\d+) passed", output)
    assert summary, f"no generated test ran:\n{output}"
    assert int(summary.group(1)) > 0
    assert " skipped" not in output, f"a generated test was skipped:\n{output}"
