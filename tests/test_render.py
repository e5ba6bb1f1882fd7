"""Every render of the matrix is clean: fully rendered, lint-clean, compiling, valid CI."""

from __future__ import annotations

import json
import re
import sys
import tomllib
from collections.abc import Callable
from itertools import chain
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import MATRIX, MATRIX_IDS, REPO, run, tool

from bastion.questions import Questionnaire

# The workflow-wide permissions of each workflow: its jobs hold no more unless named here.
WORKFLOW_PERMISSIONS: dict[str, dict[str, str]] = {
    "ci.yml": {"contents": "read"},
    "bastion-update.yml": {},
}
JOB_PERMISSIONS = {"bastion-update.yml": {"contents": "write", "pull-requests": "write"}}

# `${{ ... }}` is GitHub Actions' own expression syntax, not Jinja.
_UNRENDERED = re.compile(r"(?<!\$)\{\{|\{%|\{#")

Render = Callable[[dict[str, Any]], Path]


def _text_files(project: Path) -> list[Path]:
    files = []
    for path in project.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            try:
                path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            files.append(path)
    return files


@pytest.fixture(params=MATRIX, ids=MATRIX_IDS)
def project(request: pytest.FixtureRequest, render: Render) -> Path:
    return render(request.param)


def test_nothing_left_unrendered(project: Path) -> None:
    leftovers = [
        f"{path.relative_to(project)}:{number}: {line.strip()}"
        for path in _text_files(project)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _UNRENDERED.search(line)
    ]
    assert not leftovers, "unrendered Jinja:\n" + "\n".join(leftovers)
    assert not list(project.rglob("*.jinja")), "template suffix left on a file"


def test_ruff_check_is_clean(project: Path) -> None:
    completed = run([tool("ruff"), "check", "--no-cache", "."], cwd=project)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_ruff_format_is_clean(project: Path) -> None:
    completed = run([tool("ruff"), "format", "--check", "--no-cache", "."], cwd=project)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_python_compiles(project: Path) -> None:
    completed = run([sys.executable, "-m", "compileall", "-q", "src"], cwd=project)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_answers_file_records_answers_and_no_secret(
    project: Path, questionnaire: Questionnaire
) -> None:
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert recorded["project_name"].startswith("svc-")
    assert "package_name" not in recorded, "derived values are not answers"
    questions = {question.name for question in questionnaire.askable}
    assert set(recorded) <= questions | {"_commit", "_src_path"}, "only answers are recorded"
    for name, value in recorded.items():
        if name in questions and questionnaire[name].choices:
            assert value in questionnaire[name].values, "no free-form value besides the name"


def _workflows(project: Path) -> list[Path]:
    return sorted((project / ".github" / "workflows").glob("*.yml"))


@pytest.mark.parametrize(
    "row",
    [row for row in MATRIX if row.get("ci") == "github"],
    ids=lambda row: "-".join(row.values()),
)
def test_github_workflow_is_valid_and_zizmor_clean(row: dict[str, Any], render: Render) -> None:
    project = render(row)
    workflows = _workflows(project)
    assert workflows, "ci=github renders no workflow"
    schema = run(
        [
            tool("check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, workflows),
        ],
        cwd=project,
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr
    audit = run([tool("zizmor"), "--offline", "--no-progress", *map(str, workflows)], cwd=project)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert {workflow.name for workflow in workflows} == set(WORKFLOW_PERMISSIONS)
    for workflow in workflows:
        content = yaml.safe_load(workflow.read_text())
        assert content["permissions"] == WORKFLOW_PERMISSIONS[workflow.name]
        for job in content["jobs"].values():
            assert job.get("permissions") == JOB_PERMISSIONS.get(workflow.name)
            for step in job["steps"]:
                if "uses" in step:
                    assert re.search(r"@[0-9a-f]{40}$", step["uses"]), f"unpinned: {step['uses']}"


@pytest.mark.parametrize("row", MATRIX, ids=MATRIX_IDS)
def test_only_the_chosen_ci_is_rendered(row: dict[str, Any], render: Render) -> None:
    project = render(row)
    assert (project / ".github").exists() == (row["ci"] == "github")


def _one_row_per_ci() -> list[dict[str, Any]]:
    return [next(row for row in MATRIX if row["ci"] == ci) for ci in ("github", "gitlab")]


@pytest.mark.parametrize("row", _one_row_per_ci(), ids=lambda row: row["ci"])
def test_the_service_pins_this_bastion_for_its_update_bot(
    row: dict[str, Any], render: Render
) -> None:
    project = render(row)
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    pin = project / ".bastion" / "requirements.txt"
    pinned = [line for line in pin.read_text().splitlines() if not line.startswith("#")]

    assert pinned == [f"bastion=={version}"]
    # Not a requirement of the service: `uv lock` would need bastion on the package index.
    declared = tomllib.loads((project / "pyproject.toml").read_text())
    requirements = [
        *declared["project"].get("dependencies", []),
        *chain(*declared["project"].get("optional-dependencies", {}).values()),
        *chain(*declared.get("dependency-groups", {}).values()),
    ]
    assert [name for name in requirements if re.match(r"bastion\b", str(name))] == []
    if row["ci"] == "github":
        dependabot = yaml.safe_load((project / ".github" / "dependabot.yml").read_text())
        assert {"package-ecosystem": "pip", "directory": "/.bastion"}.items() <= next(
            update for update in dependabot["updates"] if update["package-ecosystem"] == "pip"
        ).items()
    else:
        renovate = json.loads((project / "renovate.json").read_text())
        patterns = renovate["pip_requirements"]["managerFilePatterns"]
        assert any(
            re.search(pattern.strip("/"), ".bastion/requirements.txt") for pattern in patterns
        )
