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


def _rows_covering(*questions: str) -> list[dict[str, Any]]:
    """The first rows of the matrix that, together, take every value of `questions`."""
    chosen: list[dict[str, Any]] = []
    seen: set[tuple[str, Any]] = set()
    for row in MATRIX:
        values = {(question, row[question]) for question in questions}
        if values - seen:
            chosen.append(row)
            seen |= values
    return chosen


COLLECTION_ROWS = _rows_covering("auth", "tenancy")


@pytest.mark.parametrize(
    "row", COLLECTION_ROWS, ids=[MATRIX_IDS[MATRIX.index(row)] for row in COLLECTION_ROWS]
)
def test_generated_tests_are_collected_the_same_way_twice(
    row: dict[str, Any], render: Render, shared_env: Path
) -> None:
    """A generated suite runs on every core by default (pytest-xdist), which needs every
    worker to collect the same test ids: no parameter may carry a random value in its id.
    The randomness lives in the auth modes' and tenancies' tests, so one row of each."""
    project = render(row)

    def collected() -> list[str]:
        completed = run([*generated_pytest(shared_env), "--collect-only"], cwd=project, CI="true")
        assert completed.returncode == 0, completed.stdout + completed.stderr
        return sorted(line for line in completed.stdout.splitlines() if "::" in line)

    first = collected()

    assert first
    assert collected() == first
