"""Presets: defaults, locked and hidden answers, an overlay template, and updates that
apply a preset's new version. Presets live in real git repositories (file:// URLs)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_update import TemplateRepo, bastion, commit, git, template_repo  # noqa: F401
from typer.testing import Result

from bastion.answers import AnswerSources, resolve
from bastion.presets import Preset, breaks_a_lock
from bastion.questions import Question, copier_context
from bastion.template import questionnaire

FAST = ("--no-git", "--no-lock")
ANSWERS_TEMPLATE = "{{ _copier_answers|to_nice_yaml -}}\n"
OWNERS_V1 = "# Owners of {{ project_name }}\n\nTeam: {{ team }}\n\nSecurity: security@acme.test\n"
OWNERS_V2 = "# Owners of {{ project_name }}\n\nTeam: {{ team }}\n\nSecurity: psirt@acme.test\n"


def one_line(result: Result) -> str:
    return " ".join(result.output.split())


def publish(repository: Path, preset: Mapping[str, Any], files: Mapping[str, str] = {}) -> str:
    """Commit ``preset`` as bastion-preset.yml (and ``files``) to a git repository; return
    its file:// URL."""
    if not (repository / ".git").exists():
        repository.mkdir(parents=True)
        git(repository, "init", "-q", "--initial-branch=main")
    (repository / "bastion-preset.yml").write_text(yaml.safe_dump(dict(preset)))
    for name, text in files.items():
        (repository / name).parent.mkdir(parents=True, exist_ok=True)
        (repository / name).write_text(text)
    commit(repository, f"preset version {preset['version']}")
    return repository.as_uri()


ACME = {
    "name": "acme-payments",
    "version": 1,
    "defaults": {"auth": "oidc"},
    "locked": {"database": "postgresql", "secrets_source": "vault"},
    "hidden": ["ci"],
}


@pytest.fixture
def acme(tmp_path: Path) -> str:
    return publish(tmp_path / "acme-preset", ACME)


def test_new_applies_defaults_and_locks_and_records_the_preset(acme: str, tmp_path: Path) -> None:
    target = tmp_path / "payments-api"
    result = bastion("new", str(target), "--preset", acme, "--defaults", *FAST)
    assert result.exit_code == 0, result.output
    answers = yaml.safe_load((target / ".copier-answers.yml").read_text())
    assert answers["auth"] == "oidc", "the preset's default replaces copier.yml's"
    assert answers["database"] == "postgresql"
    assert answers["secrets_source"] == "vault"
    assert answers["ci"] == "github", "a hidden question takes its default"
    assert answers["_bastion_preset"] == {"source": acme, "name": "acme-payments", "version": 1}
    assert answers["_src_path"] == "git+bastion://template"


def test_a_default_may_be_changed(acme: str, tmp_path: Path) -> None:
    target = tmp_path / "keys-api"
    result = bastion("new", str(target), "--preset", acme, "--defaults", "--auth", "api_key", *FAST)
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((target / ".copier-answers.yml").read_text())["auth"] == "api_key"


@pytest.mark.parametrize(
    ("how", "origin"),
    [
        (["--database", "sqlite"], "--database sqlite"),
        (["--data", "database=sqlite"], "--data database=sqlite"),
        (["--answers-file", "ANSWERS"], "database: sqlite in the answers file"),
    ],
)
def test_locked_answers_are_refused_from_every_source(
    acme: str, tmp_path: Path, how: list[str], origin: str
) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text("database: sqlite\n")
    target = tmp_path / "payments-api"
    arguments = [str(answers) if part == "ANSWERS" else part for part in how]
    result = bastion("new", str(target), "--preset", acme, "--defaults", *arguments, *FAST)
    assert result.exit_code == 2
    assert one_line(result) == (
        f"Error: preset acme-payments (version 1) locks database=postgresql; {origin} "
        "contradicts it: leave it out"
    )
    assert not target.exists(), "nothing is written"


def test_the_locked_value_itself_may_be_repeated(acme: str, tmp_path: Path) -> None:
    target = tmp_path / "payments-api"
    result = bastion(
        "new", str(target), "--preset", acme, "--defaults", "--database", "postgresql", *FAST
    )
    assert result.exit_code == 0, result.output


def test_prompts_skip_locked_and_hidden_questions_and_cannot_break_a_lock() -> None:
    preset = Preset(
        source="file:///presets/lite",
        name="lite",
        version=2,
        locked={"database": "sqlite"},
        hidden=frozenset({"ci"}),
        defaults={"framework": "flask"},
    )
    asked: list[str] = []
    offered: dict[str, Any] = {}

    def prompt(question: Question, scope: Mapping[str, Any]) -> Any:
        asked.append(question.name)
        offered[question.name] = questionnaire().default(question, scope)
        if question.name == "project_name":
            return "lite-api"
        return "row_rls" if question.name == "tenancy" else offered[question.name]

    with pytest.raises(Exception, match="locks database=sqlite") as refused:
        resolve(questionnaire(), AnswerSources(), copier_context(Path("lite-api")), prompt, preset)
    assert str(refused.value) == (
        "preset lite (version 2) locks database=sqlite, which the other answers forbid: "
        "database=sqlite is refused: tenancy=row_rls needs database=postgresql "
        "(answered: tenancy=row_rls (at the prompt))"
    )
    assert "database" not in asked
    assert offered["framework"] == "flask", "the preset's default is the prompt's proposal"

    asked.clear()

    def agreeable(question: Question, scope: Mapping[str, Any]) -> Any:
        asked.append(question.name)
        return (
            "lite-api"
            if question.name == "project_name"
            else (questionnaire().default(question, scope))
        )

    answers = resolve(
        questionnaire(), AnswerSources(), copier_context(Path("lite-api")), agreeable, preset
    )
    assert answers["database"] == "sqlite"
    assert answers["ci"] == "github"
    assert "ci" not in asked
    assert "database" not in asked


def test_the_prompts_disable_a_choice_that_breaks_a_lock() -> None:
    tenancy = questionnaire()["tenancy"]
    locked = {"database": "sqlite"}
    answers = {"project_name": "lite-api", "framework": "flask", "auth": "jwt"}
    reasons = {
        value: breaks_a_lock(questionnaire(), tenancy, value, answers, locked)
        for value in tenancy.values
    }
    assert reasons == {"none": None, "row": None, "row_rls": "the preset locks database=sqlite"}
    assert breaks_a_lock(questionnaire(), tenancy, "row_rls", answers, {}) is None


def test_locked_and_hidden_questions_are_never_reported_missing(acme: str, tmp_path: Path) -> None:
    target = tmp_path / "payments-api"
    result = bastion("new", str(target), "--preset", acme, *FAST)
    assert result.exit_code == 2
    missing = [line.split(":")[0].strip() for line in result.output.splitlines()[1:-1]]
    assert "framework" in missing
    assert "database" not in missing
    assert "secrets_source" not in missing
    assert "ci" not in missing
    assert not target.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name: [unclosed\n", "bastion-preset.yml is not valid YAML"),
        ("name: acme\n", "version must be a positive integer, got None"),
        ("name: Acme Payments\nversion: 1\n", "name must be a slug"),
        ("name: acme\nversion: 1\nlocks: {}\n", "unknown key(s) locks"),
        ("name: acme\nversion: 1\nlocked: {colour: blue}\n", "unknown question 'colour'"),
        ("name: acme\nversion: 1\ndefaults: {auth: saml}\n", "auth=saml is not a choice"),
        (
            "name: acme\nversion: 1\nlocked: {tenancy: row_rls, database: sqlite}\n",
            "database=sqlite is refused: tenancy=row_rls needs database=postgresql",
        ),
        ("name: acme\nversion: 1\nlocked: {package_name: x}\n", "package_name is derived"),
        ("name: acme\nversion: 1\noverlay: overlay/\n", "overlay 'overlay/' has no copier.yml"),
    ],
)
def test_bad_presets_are_refused_with_one_message(
    tmp_path: Path, content: str, message: str
) -> None:
    repository = tmp_path / "preset"
    repository.mkdir()
    git(repository, "init", "-q")
    (repository / "bastion-preset.yml").write_text(content)
    commit(repository, "a broken preset")
    target = tmp_path / "svc"
    result = bastion("new", str(target), "--preset", repository.as_uri(), "--defaults", *FAST)
    assert result.exit_code == 2
    assert message in one_line(result)
    assert one_line(result).count("Error:") == 1
    assert not target.exists()


def test_a_preset_that_cannot_be_fetched_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "svc"
    missing = (tmp_path / "nowhere").as_uri()
    result = bastion("new", str(target), "--preset", missing, "--defaults", *FAST)
    assert result.exit_code == 2
    assert one_line(result).startswith(f"Error: preset {missing}: cannot clone {missing}")
    assert not target.exists()
    path = bastion("new", str(target), "--preset", str(tmp_path / "none.yml"), "--defaults")
    assert path.exit_code == 2
    assert "none.yml does not exist" in one_line(path)


def test_a_path_and_a_file_inside_a_repository_are_presets(tmp_path: Path) -> None:
    url = publish(tmp_path / "presets", ACME, {"teams/lite.yml": "name: lite\nversion: 4\n"})
    inside = bastion("new", str(tmp_path / "a"), "--preset", f"{url}#teams/lite.yml",
                     "--defaults", "--dry-run", "--json")  # fmt: skip
    assert inside.exit_code == 0, inside.output
    assert json.loads(inside.output)["answers"]["database"] == "sqlite"
    path = tmp_path / "presets" / "bastion-preset.yml"
    target = tmp_path / "b"
    result = bastion("new", str(target), "--preset", str(path), "--defaults", "--json", *FAST)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["preset"] == {
        "source": str(path.resolve()),
        "name": "acme-payments",
        "version": 1,
    }


def test_preset_check_lists_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "name: acme\nversion: 3\ndefaults: {auth: saml, colour: blue}\n"
        "locked: {tenancy: row_rls, database: sqlite, auth: oidc, password_hash: bcrypt}\n"
    )
    result = bastion("preset", "check", str(bad))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    known = ", ".join(question.name for question in questionnaire().askable)
    assert lines == [
        f"Error: preset acme (version 3): defaults: unknown question 'colour'; known questions: "
        f"{known}",
        "Error: preset acme (version 3): auth is both a default and locked; keep it in one place",
        "Error: preset acme (version 3): defaults: auth=saml is not a choice; choose one of: "
        "jwt, api_key, oidc",
        "Error: preset acme (version 3): locked: database=sqlite is refused: tenancy=row_rls "
        "needs database=postgresql",
        "Error: preset acme (version 3): locked: password_hash is asked only when auth=jwt, "
        "which the other locks rule out; the lock would never apply",
    ]
    as_json = json.loads(bastion("preset", "check", str(bad), "--json").output)
    assert as_json["ok"] is False
    assert len(as_json["problems"]) == 5


def test_preset_check_accepts_a_good_preset_from_git(acme: str) -> None:
    result = bastion("preset", "check", acme)
    assert result.exit_code == 0, result.output
    assert one_line(result) == f"preset acme-payments (version 1) from {acme}: ok"
    unparsable = bastion("preset", "check", acme + "#missing.yml")
    assert unparsable.exit_code == 2
    assert "missing.yml does not exist" in one_line(unparsable)


OVERLAY_FILES = {
    "overlay/copier.yml": "project_name:\n  type: str\nteam:\n  type: str\n  default: payments\n",
    "overlay/{{_copier_conf.answers_file}}.jinja": ANSWERS_TEMPLATE,
    "overlay/OWNERS.md.jinja": OWNERS_V1,
}


@pytest.fixture
def overlaid(tmp_path: Path) -> tuple[Path, str]:
    """A preset repository with an overlay, and a service made with it, committed."""
    repository = tmp_path / "acme-preset"
    url = publish(repository, {**ACME, "overlay": "overlay/"}, OVERLAY_FILES)
    service = tmp_path / "payments-api"
    result = bastion("new", str(service), "--preset", url, "--defaults", "--no-lock")
    assert result.exit_code == 0, result.output
    return repository, url


def test_the_overlay_renders_after_bastion_with_its_own_answers(
    overlaid: tuple[Path, str], tmp_path: Path
) -> None:
    service = tmp_path / "payments-api"
    owners = (service / "OWNERS.md").read_text()
    assert owners.startswith("# Owners of payments-api\n"), "the overlay sees bastion's answers"
    assert "Team: payments" in owners
    recorded = yaml.safe_load((service / ".copier-answers.acme-payments.yml").read_text())
    assert recorded == {
        "_commit": "v1",
        "_src_path": "git+bastion://preset/acme-payments",
        "project_name": "payments-api",
        "team": "payments",
    }
    assert "team" not in yaml.safe_load((service / ".copier-answers.yml").read_text())
    assert git(service, "status", "--porcelain") == "", "the overlay is in the first commit"


def test_update_applies_the_presets_new_version(overlaid: tuple[Path, str], tmp_path: Path) -> None:
    repository, _ = overlaid
    service = tmp_path / "payments-api"
    owners = service / "OWNERS.md"
    owners.write_text("<!-- reviewed by alice -->\n" + owners.read_text())
    commit(service, "our on-call rota")
    version_2 = {**ACME, "version": 2, "overlay": "overlay/"}
    version_2["locked"] = {**ACME["locked"], "rate_limit_backend": "redis"}  # type: ignore[dict-item]
    publish(
        repository,
        version_2,
        {"overlay/OWNERS.md.jinja": OWNERS_V2, "overlay/CODEOWNERS.jinja": "* @acme/{{ team }}\n"},
    )

    head = git(service, "rev-parse", "HEAD")
    preview = bastion("update", str(service), "--dry-run", "--json")
    assert preview.exit_code == 0, preview.output
    planned = json.loads(preview.output)
    assert planned["preset"]["version"] == 2
    assert "OWNERS.md" in planned["files"]["modified"]
    assert "CODEOWNERS" in planned["files"]["added"]
    assert git(service, "rev-parse", "HEAD") == head
    assert git(service, "status", "--porcelain") == ""

    result = bastion("update", str(service))

    assert result.exit_code == 0, result.output
    output = one_line(result)
    assert (
        "rate_limit_backend: memory becomes redis, as preset acme-payments (version 2) locks it"
        in output
    )
    branch = git(service, "rev-parse", "--abbrev-ref", "HEAD")
    assert branch.startswith("bastion/update-v"), branch
    assert branch.endswith("+acme-payments.2"), branch
    answers = yaml.safe_load((service / ".copier-answers.yml").read_text())
    assert answers["rate_limit_backend"] == "redis"
    assert answers["_bastion_preset"]["version"] == 2
    assert "limits[redis]" in (service / "pyproject.toml").read_text()
    text = owners.read_text()
    assert "Security: psirt@acme.test" in text, "the overlay's change is merged"
    assert text.startswith("<!-- reviewed by alice -->\n"), "the user's edit is kept"
    assert (service / "CODEOWNERS").read_text() == "* @acme/payments\n"
    overlay_answers = yaml.safe_load((service / ".copier-answers.acme-payments.yml").read_text())
    assert overlay_answers["_commit"] == "v2"
    assert git(service, "status", "--porcelain") == ""
    subject = git(service, "log", "-1", "--format=%s")
    assert subject.endswith("and preset acme-payments (version 2)"), subject
    assert len(git(service, "log", "--format=%s", "main..HEAD").splitlines()) == 1, (
        "one commit, no temporary one left behind"
    )

    again = bastion("update", str(service))
    assert again.exit_code == 0, again.output
    assert "nothing to update" in one_line(again)


def test_update_refuses_a_preset_it_cannot_read(overlaid: tuple[Path, str], tmp_path: Path) -> None:
    repository, url = overlaid
    service = tmp_path / "payments-api"
    moved = tmp_path / "moved-preset"
    repository.rename(moved)
    head = git(service, "rev-parse", "HEAD")

    result = bastion("update", str(service))

    assert result.exit_code == 2
    assert one_line(result).startswith(
        f"Error: cannot read preset acme-payments (version 1) from {url}, where the service "
        f"records it: preset {url}: cannot clone {url}"
    )
    assert "pass --preset SOURCE where it lives now; nothing changed" in one_line(result)
    assert git(service, "rev-parse", "HEAD") == head
    assert git(service, "status", "--porcelain") == ""
    assert git(service, "branch", "--list", "bastion/*") == ""

    older = bastion("update", str(service), "--preset", str(tmp_path / "elsewhere.yml"))
    assert older.exit_code == 2
    assert "elsewhere.yml does not exist" in one_line(older)


def test_the_overlay_is_merged_when_the_template_update_conflicts(
    template_repo: TemplateRepo,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    repository = tmp_path / "acme-preset"
    url = publish(repository, {**ACME, "overlay": "overlay/"}, OVERLAY_FILES)
    service = tmp_path / "payments-api"
    made = bastion("new", str(service), "--preset", url, "--defaults", "--no-lock")
    assert made.exit_code == 0, made.output
    gitignore = service / ".gitignore"
    gitignore.write_text(gitignore.read_text().replace("*.scratch", "*.scratch\n*.bak"))
    commit(service, "our .gitignore")
    before = git(service, "rev-parse", "HEAD")
    template_repo.release_v2()
    version_2 = {**ACME, "version": 2, "overlay": "overlay/"}
    publish(repository, version_2, {"overlay/OWNERS.md.jinja": OWNERS_V2})

    result = bastion("update", str(service))

    assert result.exit_code == 1, result.output
    assert "conflicted .gitignore" in one_line(result)
    assert "<<<<<<< before updating" in gitignore.read_text()
    assert "Security: psirt@acme.test" in (service / "OWNERS.md").read_text()
    recorded = yaml.safe_load((service / ".copier-answers.acme-payments.yml").read_text())
    assert recorded["_commit"] == "v2"
    assert git(service, "rev-parse", "HEAD") == before, "nothing committed, no temporary commit"
    status = git(service, "status", "--porcelain")
    assert "OWNERS.md" in status
    assert ".gitignore" in status
