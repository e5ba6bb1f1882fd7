"""`bastion new`, `bastion options` and `bastion --version`, error paths first.

Every refusal exits 2 with one message and writes nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from typer.main import get_command
from typer.testing import CliRunner, Result

from bastion import __version__
from bastion.cli import create_app
from bastion.questions import Questionnaire

runner = CliRunner()


def bastion(*args: str) -> Result:
    return runner.invoke(create_app(), list(args))


def test_version() -> None:
    result = bastion("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"bastion {__version__}"


def test_new_with_defaults_renders_and_commits(tmp_path: Path) -> None:
    target = tmp_path / "demo-api"
    result = bastion("new", str(target), "--defaults")
    assert result.exit_code == 0, result.output
    assert (target / "pyproject.toml").is_file()
    assert (target / "uv.lock").is_file(), "the lock file is written before the commit"
    answers = yaml.safe_load((target / ".copier-answers.yml").read_text())
    assert answers["project_name"] == "demo-api"
    assert "uv sync --extra dev && uv run pytest" in " ".join(result.output.split())
    log = subprocess.run(
        ["git", "log", "--format=%s"], cwd=target, capture_output=True, text=True, check=True
    )
    assert log.stdout.strip() == f"Initial commit from bastion {__version__}"
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=target, capture_output=True, text=True, check=True
    )
    assert status.stdout == "", "everything rendered is committed"


def test_no_git_leaves_no_repository(tmp_path: Path) -> None:
    target = tmp_path / "demo-api"
    result = bastion("new", str(target), "--defaults", "--no-git", "--no-lock")
    assert result.exit_code == 0, result.output
    assert not (target / ".git").exists()


def test_flags_data_and_answers_file_combine_by_precedence(tmp_path: Path) -> None:
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps({"database": "postgresql", "project_name": "from-file"}))
    target = tmp_path / "out"
    result = bastion(
        "new", str(target), "--defaults", "--no-git", "--no-lock",
        "--answers-file", str(answers_file), "--data", "project_name=from-data", "--no-lock",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    recorded = yaml.safe_load((target / ".copier-answers.yml").read_text())
    assert recorded["database"] == "postgresql"
    assert recorded["project_name"] == "from-data"

    flagged = tmp_path / "flagged"
    result = bastion(
        "new", str(flagged), "--defaults", "--no-git", "--no-lock",
        "--data", "database=postgresql", "--database", "sqlite",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((flagged / ".copier-answers.yml").read_text())["database"] == "sqlite"


def test_yaml_answers_file_answers_everything_without_defaults(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    answers = {"project_name": "payments-api", "_src_path": "ignored"}
    for question in questionnaire.askable:
        if question.choices and questionnaire.is_asked(question, answers):
            answers[question.name] = question.values[-1]
    answers_file = tmp_path / "answers.yml"
    answers_file.write_text(yaml.safe_dump(answers))
    target = tmp_path / "anything"
    result = bastion(
        "new", str(target), "--no-git", "--no-lock", "--answers-file", str(answers_file)
    )
    assert result.exit_code == 0, result.output
    assert (target / "src" / "payments_api").is_dir()
    recorded = yaml.safe_load((target / ".copier-answers.yml").read_text())
    assert all(recorded[name] == value for name, value in answers.items() if name != "_src_path")


def _assert_refused(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Error:" in result.output
    for fragment in fragments:
        assert fragment in result.output


def test_missing_answers_without_terminal_name_questions_and_flags(tmp_path: Path) -> None:
    target = tmp_path / "demo-api"
    result = bastion("new", str(target), "--database", "sqlite")
    _assert_refused(result, "framework: --framework fastapi", "ci: --ci github", "--defaults")
    assert "database:" not in result.output
    assert not target.exists()


@pytest.mark.parametrize("name", ["Bad_Name", "9lives", "double--hyphen", "trailing-", "a" * 41])
def test_invalid_project_name_is_refused(tmp_path: Path, name: str) -> None:
    result = bastion("new", str(tmp_path / "x"), "--defaults", "--project-name", name)
    _assert_refused(result, "project_name")
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    ("directory", "suggested"), [("My Service", "my-service"), ("MyDir", "mydir")]
)
def test_invalid_directory_name_suggests_the_flag(
    tmp_path: Path, directory: str, suggested: str
) -> None:
    result = bastion("new", str(tmp_path / directory), "--defaults")
    _assert_refused(
        result,
        f"project_name {directory!r} is refused",
        f"the name comes from the directory {directory!r}: pass --project-name {suggested}",
    )
    assert result.output.count("Error:") == 1
    assert not (tmp_path / directory).exists()


def test_unknown_choice_lists_the_valid_ones(tmp_path: Path) -> None:
    result = bastion("new", str(tmp_path / "x"), "--defaults", "--data", "database=mysql")
    _assert_refused(result, "'mysql' is not a valid choice", "sqlite, postgresql")
    flag = bastion("new", str(tmp_path / "x"), "--defaults", "--database", "mysql")
    assert flag.exit_code == 2
    assert flag.output.splitlines() == [
        "Error: database: 'mysql' is not a valid choice; choose one of: sqlite, postgresql"
    ], "one line, as every other error, not a usage box"
    assert not (tmp_path / "x").exists()


def test_unknown_question_and_derived_value_are_refused(tmp_path: Path) -> None:
    _assert_refused(
        bastion("new", str(tmp_path / "x"), "--defaults", "--data", "colour=red"),
        "unknown question(s): colour",
    )
    _assert_refused(
        bastion("new", str(tmp_path / "x"), "--defaults", "--data", "package_name=x"),
        "package_name is derived",
    )
    _assert_refused(
        bastion("new", str(tmp_path / "x"), "--defaults", "--data", "novalue"), "key=value"
    )


def test_missing_or_broken_answers_file_is_refused(tmp_path: Path) -> None:
    _assert_refused(
        bastion("new", str(tmp_path / "x"), "--answers-file", str(tmp_path / "nope.yml")),
        "does not exist",
    )
    broken = tmp_path / "broken.yml"
    broken.write_text("project_name: [unclosed\n")
    _assert_refused(bastion("new", str(tmp_path / "x"), "--answers-file", str(broken)), "not valid")
    listed = tmp_path / "list.yml"
    listed.write_text("- a\n- b\n")
    _assert_refused(bastion("new", str(tmp_path / "x"), "--answers-file", str(listed)), "mapping")
    assert not (tmp_path / "x").exists()


def test_non_empty_directory_needs_force_and_keeps_user_files(tmp_path: Path) -> None:
    target = tmp_path / "demo-api"
    target.mkdir()
    precious = target / "notes.txt"
    precious.write_text("mine")
    result = bastion("new", str(target), "--defaults", "--no-git", "--no-lock")
    _assert_refused(result, "is not empty", "--force")
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]

    forced = bastion("new", str(target), "--defaults", "--no-git", "--no-lock", "--force")
    assert forced.exit_code == 0, forced.output
    assert precious.read_text() == "mine"
    assert (target / "pyproject.toml").is_file()


def test_target_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "demo-api"
    target.write_text("a file")
    _assert_refused(bastion("new", str(target), "--defaults", "--force"), "not a directory")
    assert target.read_text() == "a file"


def test_dry_run_prints_the_tree_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "demo-api"
    result = bastion("new", str(target), "--defaults", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry run: nothing written" in " ".join(result.output.split())
    assert "pyproject.toml" in result.output
    assert "files would be written" in result.output
    assert not target.exists()


def test_options_table_and_json_come_from_copier_yml(questionnaire: Questionnaire) -> None:
    as_json = bastion("options", "--json")
    assert as_json.exit_code == 0, as_json.output
    listed = json.loads(as_json.output)["questions"]
    assert [entry["name"] for entry in listed] == [q.name for q in questionnaire.askable]
    for entry in listed:
        question = questionnaire[entry["name"]]
        assert [choice["value"] for choice in entry["choices"]] == list(question.values)
        assert entry["flag"] == question.flag
    table = bastion("options")
    assert table.exit_code == 0
    for question in questionnaire.askable:
        assert question.name in table.output
        for value in question.values:
            assert value in table.output


def _labels() -> dict[str, dict[str, str]]:
    """Each question's choices as copier.yml writes them: {value: label}."""
    raw = yaml.safe_load((REPO / "copier.yml").read_text())
    labels: dict[str, dict[str, str]] = {}
    for name, spec in raw.items():
        if isinstance(spec, dict) and isinstance(spec.get("choices"), dict):
            labels[name] = {
                str(target["value"] if isinstance(target, dict) else target): label
                for label, target in spec["choices"].items()
            }
    return labels


def test_options_show_what_a_person_reads() -> None:
    output = bastion("options", "--json").output
    assert "{{" not in output
    assert "{%" not in output, "no template source is shown"
    listed = {entry["name"]: entry for entry in json.loads(output)["questions"]}
    assert listed["project_name"]["default"] == "the target directory's name"
    assert listed["database"]["default"] == "postgresql when tenancy=row_rls, else sqlite"
    assert listed["password_hash"]["when"] == "only when auth=jwt"
    assert listed["auth"]["when"] is None
    for name, labels in _labels().items():
        for choice in listed[name]["choices"]:
            label = labels[choice["value"]]
            assert choice["description"]
            assert label == f"{choice['value']}: {choice['description']}"

    table = runner.invoke(create_app(), ["options"], env={"COLUMNS": "400"}).output
    assert "{{" not in table
    assert "only when auth=jwt" in table
    assert "postgresql when tenancy=row_rls, else sqlite" in table
    assert "the target directory's name" in table
    for labels in _labels().values():
        for label in labels.values():
            assert label in table, "each choice is shown with its description"


def test_options_are_not_listed_by_hand_in_the_cli() -> None:
    """copier.yml is the single source of truth: no help or description is re-typed."""
    source = "\n".join(path.read_text() for path in (REPO / "src" / "bastion").glob("*.py"))
    raw = yaml.safe_load((REPO / "copier.yml").read_text())
    for name, spec in raw.items():
        if name.startswith("_") or not isinstance(spec, dict):
            continue
        assert spec.get("help", "").strip() not in source, name
        for label in spec.get("choices") or {}:
            description = label.partition(": ")[2]
            assert description not in source, label


def test_no_placeholder_commands() -> None:
    """Only commands that work are listed; each answers --help."""
    group = get_command(create_app())
    commands = {"new", "options", "update", "check", "preset", "fleet"}
    assert set(group.commands) == commands  # type: ignore[attr-defined]
    for name in group.commands:  # type: ignore[attr-defined]
        assert bastion(name, "--help").exit_code == 0
    assert bastion("preset", "check", "--help").exit_code == 0
    assert bastion("fleet", "report", "--help").exit_code == 0


@pytest.mark.parametrize(
    ("how", "origin"),
    [
        (["--password-hash", "bcrypt"], "--password-hash bcrypt"),
        (["--data", "password_hash=bcrypt"], "--data password_hash=bcrypt"),
        (["--answers-file", "{file}"], "password_hash: bcrypt in the answers file"),
    ],
)
def test_an_answer_that_does_not_apply_is_refused(
    tmp_path: Path, how: list[str], origin: str
) -> None:
    answers_file = tmp_path / "answers.yml"
    answers_file.write_text("password_hash: bcrypt\n")
    target = tmp_path / "demo-api"
    arguments = [part.format(file=answers_file) for part in how]
    result = bastion("new", str(target), "--defaults", "--auth", "api_key", *arguments)
    _assert_refused(
        result,
        f"Error: {origin} does not apply: password_hash is asked only when auth=jwt, "
        "and auth=api_key",
    )
    assert result.output.count("Error:") == 1
    assert len(result.output.strip().splitlines()) == 1
    assert not target.exists()


def test_new_json_reports_the_result(tmp_path: Path) -> None:
    target = tmp_path / "demo-api"
    result = bastion("new", str(target), "--defaults", "--no-lock", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["path"] == str(target)
    assert report["answers"]["project_name"] == "demo-api"
    assert report["answers"]["auth"] == "jwt"
    assert "pyproject.toml" in report["files"]
    assert sorted(report["files"]) == sorted(
        path.relative_to(target).as_posix()
        for path in target.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(target).parts
    )
    assert report["git"] is True
    assert report["lock"] is False

    preview = bastion("new", str(tmp_path / "preview"), "--defaults", "--dry-run", "--json")
    assert preview.exit_code == 0, preview.output
    assert json.loads(preview.output)["dry_run"] is True
    assert not (tmp_path / "preview").exists()


def test_quiet_and_verbose(tmp_path: Path) -> None:
    quiet = bastion("new", str(tmp_path / "quiet"), "--defaults", "--no-lock", "--no-git", "-q")
    assert quiet.exit_code == 0, quiet.output
    assert quiet.output == ""
    assert (tmp_path / "quiet" / "pyproject.toml").is_file()
    verbose = bastion(
        "new", str(tmp_path / "loud"), "--defaults", "--no-lock", "--no-git", "--verbose"
    )
    assert verbose.exit_code == 0, verbose.output
    lines = verbose.output.splitlines()
    assert "  auth: jwt" in lines
    assert "  wrote pyproject.toml" in lines
    assert any(line.startswith("Created") for line in lines)
    both = bastion("new", str(tmp_path / "both"), "--defaults", "--quiet", "--verbose")
    _assert_refused(both, "choose --quiet or --verbose, not both")
    assert not (tmp_path / "both").exists()


def test_shell_completion_is_installable_and_completes_choices() -> None:
    assert "--install-completion" in bastion("--help").output
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "bastion")],
        env={
            **os.environ,
            "_BASTION_COMPLETE": "complete_bash",
            "COMP_WORDS": "bastion new x --auth ",
            "COMP_CWORD": "4",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["jwt", "api_key", "oidc"]


def test_an_unknown_update_conflict_mode_is_one_error_line(tmp_path: Path) -> None:
    result = bastion("update", str(tmp_path), "--conflict", "theirs")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Error: --conflict: 'theirs' is not a valid choice; choose one of: inline, rej"
    ]
