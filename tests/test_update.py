"""`bastion update` and `bastion check` on two real template versions.

Version 1 is the committed template; version 2 adds a file, changes a file, renames
an answer (with a Copier migration) and changes a line the user also changed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import REPO, forget_template, generated_pytest, run
from typer.testing import CliRunner, Result

from bastion.cli import create_app
from bastion.tools import uv_binary

RENAME_MIGRATION = (
    "import pathlib, re; p = pathlib.Path('.copier-answers.yml'); "
    "p.write_text(re.sub(r'^maintainer:', 'owner:', p.read_text(), flags=re.M))"
)


def git(repository: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repository, capture_output=True, text=True, check=True
    ).stdout.strip()


def commit(repository: Path, message: str) -> None:
    git(repository, "add", "--all")
    git(repository, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message)


def bastion(*args: str) -> Result:
    forget_template()
    return CliRunner().invoke(create_app(), list(args), env={"COLUMNS": "200"})


def set_version(root: Path, version: str) -> None:
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text()
    current = next(line for line in text.splitlines() if line.startswith("version = "))
    pyproject.write_text(text.replace(current, f'version = "{version}"', 1))


CHANGELOG = """# Changelog

## Unreleased

- Nothing yet.

## 0.2.0 (2026-01-10)

### Changed
- The `maintainer` answer is now `owner`.

## 0.1.0

- The first release.
"""


@dataclass
class TemplateRepo:
    root: Path

    def release_v1(self) -> None:
        with (self.root / "copier.yml").open("a") as config:
            config.write('\nmaintainer:\n  type: str\n  default: "platform-team"\n')
        readme = self.root / "template" / "README.md.jinja"
        readme.write_text(readme.read_text() + "\nMaintained by {{ maintainer }}.\n")
        gitignore = self.root / "template" / ".gitignore"
        gitignore.write_text(gitignore.read_text() + "# scratch files\n*.scratch\n")
        set_version(self.root, "0.1.0")
        commit(self.root, "template v0.1.0")

    def release_v2(self) -> None:
        config = self.root / "copier.yml"
        text = config.read_text().replace("\nmaintainer:\n", "\nowner:\n")
        text += (
            "\n_migrations:\n  - version: v0.2.0\n    when: \"{{ _stage == 'before' }}\"\n"
            f'    command: ["{{{{ _copier_python }}}}", "-c", "{RENAME_MIGRATION}"]\n'
        )
        config.write_text(text)
        readme = self.root / "template" / "README.md.jinja"
        readme.write_text(
            readme.read_text().replace("Maintained by {{ maintainer }}.", "Owned by {{ owner }}.")
        )
        gitignore = self.root / "template" / ".gitignore"
        gitignore.write_text(gitignore.read_text().replace("*.scratch", "*.scratch\n*.tmp"))
        (self.root / "template" / "CONTRIBUTING.md").write_text("# Contributing\n\nRun pytest.\n")
        (self.root / "CHANGELOG.md").write_text(CHANGELOG)
        set_version(self.root, "0.2.0")
        commit(self.root, "template v0.2.0")

    def fix_after_v2(self) -> None:
        """A template commit after v0.2.0 that keeps the package version."""
        (self.root / "template" / "CONTRIBUTING.md").write_text("# Contributing\n\nRun tox.\n")
        commit(self.root, "template fix after v0.2.0")


@pytest.fixture
def template_repo(tmp_path: Path, use_template: Callable[[Path], None]) -> TemplateRepo:
    """A git repository holding the committed template, named by BASTION_TEMPLATE."""
    root = tmp_path / "template-repo"
    root.mkdir()
    archive = subprocess.run(
        ["git", "archive", "HEAD", "copier.yml", "template", "pyproject.toml"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    git(root, "init", "-q", "--initial-branch=main")
    use_template(root)
    repo = TemplateRepo(root)
    repo.release_v1()
    return repo


@pytest.fixture
def project(template_repo: TemplateRepo, tmp_path: Path) -> Path:
    """A service generated from v0.1.0, then edited and committed by its user."""
    target = tmp_path / "payments-api"
    result = bastion("new", str(target), "--defaults", "--no-lock")
    assert result.exit_code == 0, result.output
    readme = target / "README.md"
    readme.write_text("Our team's notes come first.\n\n" + readme.read_text())
    gitignore = target / ".gitignore"
    gitignore.write_text(gitignore.read_text().replace("*.scratch", "*.scratch\n*.bak"))
    commit(target, "our edits")
    return target


def test_new_records_a_source_that_resolves_anywhere(project: Path) -> None:
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_src_path"] == "git+bastion://template"
    assert answers["_commit"] == "v0.1.0"
    assert answers["maintainer"] == "platform-team"


def test_update_keeps_edits_applies_changes_and_reports_the_conflict(
    template_repo: TemplateRepo, project: Path
) -> None:
    template_repo.release_v2()
    result = bastion("update", str(project))
    assert result.exit_code == 1, result.output  # a conflict needs the user's attention
    assert "bastion/update-v0.2.0" in result.output
    assert "conflicted .gitignore" in " ".join(result.output.split())
    assert "Abandon:" in result.output

    assert git(project, "rev-parse", "--abbrev-ref", "HEAD") == "bastion/update-v0.2.0"
    readme = (project / "README.md").read_text()
    assert readme.startswith("Our team's notes come first."), "the user's edit is kept"
    assert "Owned by platform-team." in readme, "the template change and renamed answer apply"
    assert (project / "CONTRIBUTING.md").read_text().startswith("# Contributing")
    gitignore = (project / ".gitignore").read_text()
    assert "<<<<<<< before updating" in gitignore
    assert "*.bak" in gitignore
    assert "*.tmp" in gitignore
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v0.2.0"
    assert answers["_src_path"] == "git+bastion://template"
    assert answers["owner"] == "platform-team"
    assert "maintainer" not in answers


def test_update_without_conflict_commits_on_its_branch(
    template_repo: TemplateRepo, project: Path
) -> None:
    (project / ".gitignore").write_text((project / ".gitignore").read_text().replace("\n*.bak", ""))
    commit(project, "drop our .gitignore edit")
    template_repo.release_v2()
    result = bastion("update", str(project))
    assert result.exit_code == 0, result.output
    assert git(project, "status", "--porcelain") == ""
    assert git(project, "log", "-1", "--format=%s") == "Update to bastion template v0.2.0"
    assert (project / "uv.lock").is_file(), "CI installs from the lock: the update writes it"
    assert "uv.lock written" in result.output
    assert git(project, "rev-parse", "--abbrev-ref", "HEAD") == "bastion/update-v0.2.0"
    assert "git branch -D bastion/update-v0.2.0" in result.output
    git(project, "switch", "-q", "main")
    assert not (project / "CONTRIBUTING.md").exists(), "main is untouched until merged"


@pytest.mark.generated_suite
def test_updated_project_still_passes_its_tests(
    template_repo: TemplateRepo, project: Path, shared_env: Path, nested_basetemp: str
) -> None:
    template_repo.release_v2()
    bastion("update", str(project), "--conflict", "rej")
    completed = run(
        [*generated_pytest(shared_env), nested_basetemp],
        cwd=project,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert " passed" in completed.stdout


def test_rej_mode_writes_reject_files(template_repo: TemplateRepo, project: Path) -> None:
    template_repo.release_v2()
    result = bastion("update", str(project), "--conflict", "rej")
    assert result.exit_code == 1, result.output
    assert (project / ".gitignore.rej").is_file()
    assert "<<<<<<<" not in (project / ".gitignore").read_text()


def test_data_changes_an_answer_on_purpose(template_repo: TemplateRepo, project: Path) -> None:
    (project / ".gitignore").write_text((project / ".gitignore").read_text().replace("\n*.bak", ""))
    assert run([uv_binary() or "uv", "lock", "-q"], cwd=project).returncode == 0
    commit(project, "drop our .gitignore edit, lock")
    template_repo.release_v2()
    result = bastion("update", str(project), "--data", "database=postgresql")
    assert result.exit_code == 0, result.output
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["database"] == "postgresql"
    assert "psycopg" in (project / "pyproject.toml").read_text()
    assert 'name = "psycopg"' in (project / "uv.lock").read_text(), "the lock follows"
    assert git(project, "status", "--porcelain") == ""


def test_dry_run_lists_changes_and_writes_nothing(
    template_repo: TemplateRepo, project: Path
) -> None:
    template_repo.release_v2()
    head = git(project, "rev-parse", "HEAD")
    result = bastion("update", str(project), "--dry-run")
    output = " ".join(result.output.split())
    assert "added CONTRIBUTING.md" in output
    assert "modified README.md" in output
    # The first status line keeps its whole path (git's porcelain starts with a space).
    assert "modified .copier-answers.yml" in output
    assert "conflicted .gitignore" in output
    assert "nothing written" in output
    assert git(project, "status", "--porcelain") == ""
    assert git(project, "rev-parse", "HEAD") == head
    assert git(project, "branch", "--list", "bastion/*") == ""
    assert len(git(project, "worktree", "list").splitlines()) == 1


def _unchanged(project: Path, head: str, status: str) -> None:
    assert git(project, "rev-parse", "HEAD") == head
    assert git(project, "status", "--porcelain", "--untracked-files=all") == status
    assert git(project, "branch", "--list", "bastion/*") == ""


def test_refuses_a_dirty_tree(template_repo: TemplateRepo, project: Path) -> None:
    template_repo.release_v2()
    (project / "README.md").write_text("work in progress\n")
    head, status = git(project, "rev-parse", "HEAD"), git(project, "status", "--porcelain")
    result = bastion("update", str(project))
    assert result.exit_code == 2
    assert "uncommitted changes" in result.output
    assert "README.md" in result.output
    _unchanged(project, head, status)
    assert (project / "README.md").read_text() == "work in progress\n"


def test_refuses_missing_and_unparsable_answers(template_repo: TemplateRepo, project: Path) -> None:
    template_repo.release_v2()
    (project / ".copier-answers.yml").unlink()
    commit(project, "lose the answers")
    head = git(project, "rev-parse", "HEAD")
    result = bastion("update", str(project))
    assert result.exit_code == 2
    assert ".copier-answers.yml does not exist" in " ".join(result.output.split())
    _unchanged(project, head, "")

    (project / ".copier-answers.yml").write_text("_commit: [unclosed\n")
    commit(project, "break the answers")
    head = git(project, "rev-parse", "HEAD")
    result = bastion("update", str(project))
    assert result.exit_code == 2
    assert "cannot be parsed" in result.output
    _unchanged(project, head, "")


def test_refuses_a_project_from_a_newer_bastion(project: Path) -> None:
    answers_file = project / ".copier-answers.yml"
    answers_file.write_text(answers_file.read_text().replace("_commit: v0.1.0", "_commit: v9.0.0"))
    commit(project, "from the future")
    head = git(project, "rev-parse", "HEAD")
    result = bastion("update", str(project))
    assert result.exit_code == 2
    assert "newer than this bastion" in " ".join(result.output.split())
    _unchanged(project, head, "")
    check = bastion("check", str(project), "--json")
    assert check.exit_code == 2
    assert json.loads(check.output)["status"] == "ahead"


def test_refuses_recorded_answers_the_template_no_longer_accepts(
    template_repo: TemplateRepo, project: Path
) -> None:
    template_repo.release_v2()
    answers_file = project / ".copier-answers.yml"
    answers_file.write_text(answers_file.read_text().replace("database: sqlite", "database: mysql"))
    commit(project, "an answer from elsewhere")
    head = git(project, "rev-parse", "HEAD")
    result = bastion("update", str(project))
    assert result.exit_code == 2
    output = " ".join(result.output.split())
    assert "not accepted by this template version" in output
    assert "'mysql' is not a valid choice" in output
    _unchanged(project, head, "")
    assert "database: mysql" in answers_file.read_text(), "recorded answers are never rewritten"


def test_refuses_an_existing_update_branch(template_repo: TemplateRepo, project: Path) -> None:
    template_repo.release_v2()
    git(project, "branch", "bastion/update-v0.2.0")
    result = bastion("update", str(project))
    assert result.exit_code == 2
    output = " ".join(result.output.split())
    assert "branch bastion/update-v0.2.0 already exists" in output
    assert "git branch -D bastion/update-v0.2.0" in output
    assert git(project, "rev-parse", "--abbrev-ref", "HEAD") == "main"


def test_a_no_op_update_says_so_and_leaves_nothing_behind(project: Path) -> None:
    head = git(project, "rev-parse", "HEAD")
    for dry_run in (["--dry-run"], []):
        result = bastion("update", str(project), *dry_run)
        assert result.exit_code == 0, result.output
        assert "already on template v0.1.0: nothing to update" in " ".join(result.output.split())
        _unchanged(project, head, "")
    again = bastion("update", str(project))
    assert again.exit_code == 0, again.output


def test_each_template_version_gets_its_own_branch(
    template_repo: TemplateRepo, project: Path
) -> None:
    template_repo.release_v2()
    git(project, "branch", "bastion/update-v0.2.0")  # an update abandoned, not deleted
    template_repo.fix_after_v2()
    result = bastion("update", str(project), "--conflict", "rej")
    assert result.exit_code == 1, result.output  # the .gitignore conflict
    branch = git(project, "rev-parse", "--abbrev-ref", "HEAD")
    assert branch.startswith("bastion/update-v0.2.0-1-g"), branch
    assert f"on branch {branch}" in result.output


def test_update_json_reports_branch_files_and_conflicts(
    template_repo: TemplateRepo, project: Path
) -> None:
    nothing = json.loads(bastion("update", str(project), "--json").output)
    assert nothing["noop"] is True
    assert nothing["branch"] is None
    template_repo.release_v2()
    result = bastion("update", str(project), "--json", "--conflict", "rej")
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["from"] == "v0.1.0"
    assert report["to"] == "v0.2.0"
    assert report["branch"] == "bastion/update-v0.2.0"
    assert report["original_branch"] == "main"
    assert report["conflicts"] == [".gitignore"]
    assert "CONTRIBUTING.md" in report["files"]["added"]
    assert report["answers"]["owner"] == "platform-team"
    assert report["committed"] is False


def test_to_picks_a_version_from_the_bundled_history(
    template_repo: TemplateRepo, project: Path
) -> None:
    template_repo.release_v2()
    template_repo.fix_after_v2()
    head = git(project, "rev-parse", "HEAD")
    unknown = bastion("update", str(project), "--to", "0.9.0")
    assert unknown.exit_code == 2
    assert unknown.output.strip() == (
        "Error: --to 0.9.0: no such template version; known versions: v0.1.0, v0.2.0"
    )
    _unchanged(project, head, "")
    same = bastion("update", str(project), "--to", "v0.1.0")
    assert same.exit_code == 0, same.output
    assert "nothing to update" in same.output
    _unchanged(project, head, "")

    result = bastion("update", str(project), "--to", "0.2.0", "--conflict", "rej")
    assert result.exit_code == 1, result.output
    assert git(project, "rev-parse", "--abbrev-ref", "HEAD") == "bastion/update-v0.2.0"
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "v0.2.0"
    assert "Run pytest." in (project / "CONTRIBUTING.md").read_text(), "not the later fix"


def test_refuses_a_directory_without_git(template_repo: TemplateRepo, project: Path) -> None:
    shutil.rmtree(project / ".git")
    result = bastion("update", str(project))
    assert result.exit_code == 2
    assert "not in a git repository" in result.output


def test_check_does_not_wrap_lines_in_a_pipe(project: Path) -> None:
    forget_template()
    result = CliRunner().invoke(create_app(), ["check", str(project)], env={"COLUMNS": None})
    assert result.exit_code == 0, result.output
    line = f"{project}: template v0.1.0, installed v0.1.0; is on the installed template version"
    assert len(line) > 80
    assert line in result.output.splitlines()


def test_check_reports_current_then_behind(template_repo: TemplateRepo, project: Path) -> None:
    current = bastion("check", str(project))
    assert current.exit_code == 0, current.output
    assert "is on the installed template version" in " ".join(current.output.split())
    template_repo.release_v2()
    behind = bastion("check", str(project))
    assert behind.exit_code == 2
    assert "v0.1.0" in behind.output
    assert "v0.2.0" in behind.output
    assert "## 0.2.0 (2026-01-10)" in behind.output, "the release notes, for users"
    assert "- The `maintainer` answer is now `owner`." in behind.output
    assert "The first release" not in behind.output, "the service has that one already"
    assert "Nothing yet" not in behind.output, "v0.2.0 itself is the installed release"
    assert "template v0.2.0" not in behind.output, "no commit subjects"
    as_json = json.loads(bastion("check", str(project), "--json").output)
    assert as_json["status"] == "behind"
    assert as_json["recorded"] == "v0.1.0"
    assert as_json["installed"] == "v0.2.0"
    assert as_json["release_notes"] == [
        {
            "version": "0.2.0 (2026-01-10)",
            "notes": "### Changed\n- The `maintainer` answer is now `owner`.",
        }
    ]
    template_repo.fix_after_v2()
    later = json.loads(bastion("check", str(project), "--json").output)
    assert [section["version"] for section in later["release_notes"]] == [
        "Unreleased",
        "0.2.0 (2026-01-10)",
    ]


def test_new_questions_are_answered_and_said(template_repo: TemplateRepo, project: Path) -> None:
    with (template_repo.root / "copier.yml").open("a") as config:
        config.write("\nsupport_tier:\n  type: str\n  default: bronze\n  choices: [bronze, gold]\n")
    commit(template_repo.root, "ask for a support tier")
    template_repo.release_v2()

    defaulted = " ".join(bastion("update", str(project), "--dry-run").output.split())
    chosen = bastion("update", str(project), "--data", "support_tier=gold")

    assert "new question support_tier: answered bronze with its default" in defaulted
    assert "--data support_tier=VALUE" in defaulted
    assert chosen.exit_code in (0, 1), chosen.output
    assert "new question support_tier" not in chosen.output
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["support_tier"] == "gold"


@pytest.mark.parametrize("bumped", [True, False], ids=["after-the-bot-bump", "scheduled"])
def test_update_moves_the_bastion_pin_without_a_conflict(
    template_repo: TemplateRepo, project: Path, bumped: bool
) -> None:
    """The update pipeline's two starts: on Dependabot's or Renovate's branch, which
    changed the pin alone, and on the default branch, where the pin is as rendered."""
    (project / ".gitignore").write_text((project / ".gitignore").read_text().replace("\n*.bak", ""))
    commit(project, "drop our .gitignore edit")
    pin = project / ".bastion" / "requirements.txt"
    assert pin.read_text().splitlines()[-1] == "bastion==0.1.0"
    if bumped:
        git(project, "switch", "-q", "--create", "dependabot/pip/dot-bastion/bastion-0.2.0")
        pin.write_text(pin.read_text().replace("bastion==0.1.0", "bastion==0.2.0"))
        commit(project, "Bump bastion from 0.1.0 to 0.2.0 in /.bastion")
    template_repo.release_v2()

    result = bastion("update", str(project), "--json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["conflicts"] == []
    assert report["committed"] is True
    assert pin.read_text().splitlines()[-1] == "bastion==0.2.0"
    assert git(project, "status", "--porcelain") == ""
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v0.2.0"
