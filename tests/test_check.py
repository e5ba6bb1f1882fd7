"""`bastion new --check`: install the new project in .venv, run its tests, summarise."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import clean_env
from typer.testing import CliRunner

from bastion.cli import create_app


@pytest.mark.generated_suite
def test_check_installs_and_runs_the_generated_tests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nested_basetemp: str
) -> None:
    monkeypatch.chdir(tmp_path)  # a relative directory, as users type it
    target = tmp_path / "checked-api"
    nested = nested_basetemp
    result = CliRunner().invoke(
        create_app(),
        ["new", "checked-api", "--defaults", "--check"],
        env=clean_env(COLUMNS="200", PYTEST_ADDOPTS=nested),
    )
    assert result.exit_code == 0, result.output
    assert (target / ".venv" / "bin" / "python").is_file()
    assert (target / "uv.lock").is_file(), "bastion new writes the lock file"
    for step in ("install from uv.lock", "run the tests"):
        assert step in result.output
    assert " passed" in result.output
    assert "uv run python -m checked_api migrate" in " ".join(result.output.split())
    assert "database" in result.output, "the summary lists the choices"


@pytest.fixture
def failing_template(tmp_path: Path, use_template: Callable[[Path], None]) -> Path:
    """A template whose generated test fails, to prove --check reports failure."""
    root = tmp_path / "failing"
    package = root / "template" / "src" / "failing"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (root / "copier.yml").write_text(
        "_subdirectory: template\nproject_name:\n  type: str\n  default: failing\n"
    )
    (root / "template" / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        '[project]\nname = "failing"\nversion = "0"\n'
        '[project.optional-dependencies]\ndev = ["pytest"]\n'
    )
    (root / "template" / "tests").mkdir()
    (root / "template" / "tests" / "test_fails.py").write_text(
        "def test_fails() -> None:\n    assert 1 == 2, 'canary failure'\n"
    )
    use_template(root)
    return root


def test_check_exits_non_zero_when_the_generated_tests_fail(
    failing_template: Path, tmp_path: Path, nested_basetemp: str
) -> None:
    target = tmp_path / "out" / "failing"
    nested = nested_basetemp
    result = CliRunner().invoke(
        create_app(),
        ["new", str(target), "--defaults", "--no-git", "--check"],
        env=clean_env(PYTEST_ADDOPTS=nested),
    )
    assert result.exit_code == 1, result.output
    assert "canary failure" in result.output
    assert "1 failed" in result.output
    assert "check failed" in result.output
