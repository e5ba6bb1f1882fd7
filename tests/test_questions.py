"""copier.yml is the single source of truth: the CLI's flags, choices and constraints
match it exactly, and Copier alone enforces the same rules."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
import yaml
from conftest import REPO
from copier import run_copy
from typer.main import get_command
from typer.testing import CliRunner

from bastion import template
from bastion.answers import AnswerSources, resolve
from bastion.cli import _ANSWERS_PANEL, create_app
from bastion.errors import BastionError
from bastion.questions import Questionnaire, copier_context


def test_every_question_is_a_flag_with_exactly_its_choices(questionnaire: Questionnaire) -> None:
    new = get_command(create_app()).commands["new"]  # type: ignore[attr-defined]
    answer_options = {p.name: p for p in new.params if p.rich_help_panel == _ANSWERS_PANEL}
    assert list(answer_options) == [q.name for q in questionnaire.askable]
    for question in questionnaire.askable:
        option = answer_options[question.name]
        assert option.opts == [question.flag]
        assert option.help == question.help
        offered = option.metavar.strip("<>").split("|") if question.choices else []
        assert offered == list(question.values)
        completions = option.shell_complete(click.Context(new), "")
        assert [item.value for item in completions] == offered


def test_derived_questions_are_not_flags(questionnaire: Questionnaire) -> None:
    new = get_command(create_app()).commands["new"]  # type: ignore[attr-defined]
    flags = {opt for p in new.params for opt in p.opts}
    for question in questionnaire:
        assert (question.flag in flags) == (not question.computed)


def test_every_default_is_an_allowed_choice(questionnaire: Questionnaire) -> None:
    answers = resolve(
        questionnaire, AnswerSources(use_defaults=True), copier_context(Path("demo-api")), None
    )
    assert answers["project_name"] == "demo-api"
    assert answers["package_name"] == "demo_api"


def test_copier_alone_renders_the_repository_with_defaults(tmp_path: Path) -> None:
    copier = Path(sys.executable).parent / "copier"
    completed = subprocess.run(
        [str(copier), "copy", "--defaults", "--quiet", str(REPO), str(tmp_path / "plain-copy")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "plain-copy" / "src" / "plain_copy" / "__init__.py").is_file()


def test_copier_alone_refuses_an_unknown_choice(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'mysql' is not in"):
        run_copy(
            str(REPO),
            tmp_path / "x",
            data={"database": "mysql"},
            defaults=True,
            quiet=True,
            vcs_ref="HEAD",
        )
    assert not (tmp_path / "x" / "pyproject.toml").exists()


# A template of our own making, to prove constraints work the same in bastion and Copier.
_CONSTRAINED_COPIER_YML = {
    "_subdirectory": "template",
    "project_name": {"type": "str", "default": "{{ _copier_conf.dst_path | realpath | basename }}"},
    "tenancy": {"type": "str", "default": "none", "choices": ["none", "row_rls"]},
    "database": {
        "type": "str",
        "help": "Database engine",
        "default": "{% if tenancy == 'row_rls' %}postgresql{% else %}sqlite{% endif %}",
        "choices": {
            "sqlite": {
                "value": "sqlite",
                "validator": (
                    "{% if tenancy == 'row_rls' %}"
                    "tenancy=row_rls needs database=postgresql{% endif %}"
                ),
            },
            "postgresql": "postgresql",
        },
    },
    "password_hash": {
        "type": "str",
        "default": "argon2id",
        "choices": ["argon2id", "bcrypt"],
        "when": "{{ tenancy == 'none' }}",
    },
}


@pytest.fixture
def constrained_template(tmp_path: Path, use_template: Callable[[Path], None]) -> Path:
    root = tmp_path / "constrained"
    (root / "template").mkdir(parents=True)
    (root / "copier.yml").write_text(yaml.safe_dump(_CONSTRAINED_COPIER_YML, sort_keys=False))
    (root / "template" / "answers.txt.jinja").write_text("{{ tenancy }} {{ database }}\n")
    (root / "template" / "{{_copier_conf.answers_file}}.jinja").write_text(
        "{{ _copier_answers|to_nice_yaml -}}\n"
    )
    use_template(root)
    return root


def test_constraint_is_refused_by_copier_with_the_rule(
    constrained_template: Path, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="tenancy=row_rls needs database=postgresql"):
        run_copy(
            str(constrained_template),
            tmp_path / "out",
            data={"tenancy": "row_rls", "database": "sqlite"},
            defaults=True,
            quiet=True,
        )


def test_constraint_is_refused_by_bastion_with_the_rule(
    constrained_template: Path, tmp_path: Path
) -> None:
    target = tmp_path / "svc"
    result = CliRunner().invoke(
        create_app(),
        ["new", str(target), "--defaults", "--tenancy", "row_rls", "--database", "sqlite"],
    )
    assert result.exit_code == 2, result.output
    assert "database=sqlite is refused: tenancy=row_rls needs database=postgresql" in result.output
    assert not target.exists()


def test_constraint_steers_defaults_and_when(constrained_template: Path, tmp_path: Path) -> None:
    target = tmp_path / "svc"
    result = CliRunner().invoke(
        create_app(),
        ["new", str(target), "--defaults", "--no-git", "--no-lock", "--tenancy", "row_rls"],
    )
    assert result.exit_code == 0, result.output
    assert (target / "answers.txt").read_text() == "row_rls postgresql\n"
    recorded = yaml.safe_load((target / ".copier-answers.yml").read_text())
    assert "password_hash" not in recorded, "a question that does not apply is not recorded"


def test_rules_and_options_show_the_constraint(constrained_template: Path) -> None:
    questionnaire = template.questionnaire()
    rules = questionnaire.rules()
    assert [(r.question, r.value, r.message) for r in rules] == [
        ("database", "sqlite", "tenancy=row_rls needs database=postgresql")
    ]
    listing = CliRunner().invoke(create_app(), ["options", "--json"])
    database = next(q for q in json.loads(listing.output)["questions"] if q["name"] == "database")
    assert database["constraints"] == [
        {"choice": "sqlite", "rule": "tenancy=row_rls needs database=postgresql"}
    ]
    table = CliRunner().invoke(create_app(), ["options"]).output
    assert "constraints" in table
    assert "row_rls" in table
    by_name = {q["name"]: q for q in json.loads(listing.output)["questions"]}
    assert by_name["password_hash"]["when"] == "only when tenancy=none", "read from this yml"
    assert database["choices"] == [
        {"value": "sqlite", "description": ""},
        {"value": "postgresql", "description": ""},
    ]


def test_resolve_reports_the_first_bad_answer(constrained_template: Path) -> None:
    questionnaire = template.questionnaire()
    sources = AnswerSources(data={"tenancy": "row_rls", "database": "sqlite"}, use_defaults=True)
    with pytest.raises(BastionError, match="tenancy=row_rls needs database=postgresql"):
        resolve(questionnaire, sources, copier_context(Path("svc")), None)


def test_the_template_refuses_row_level_security_on_sqlite(tmp_path: Path) -> None:
    """The real copier.yml carries the tenancy rule, for Copier and bastion alike."""
    rule = "tenancy=row_rls needs database=postgresql"
    with pytest.raises(ValueError, match=rule):
        run_copy(
            str(REPO),
            tmp_path / "copied",
            data={"tenancy": "row_rls", "database": "sqlite"},
            defaults=True,
            quiet=True,
            unsafe=True,
        )
    target = tmp_path / "svc"
    result = CliRunner().invoke(
        create_app(),
        ["new", str(target), "--defaults", "--tenancy", "row_rls", "--database", "sqlite"],
    )
    assert result.exit_code == 2, result.output
    assert f"database=sqlite is refused: {rule}" in result.output
    assert not target.exists()


def test_the_template_defaults_row_level_security_to_postgresql() -> None:
    questionnaire = template.questionnaire()
    database = questionnaire["database"]

    assert questionnaire.default(database, {"tenancy": "row_rls"}) == "postgresql"
    assert questionnaire.default(database, {"tenancy": "row"}) == "sqlite"
