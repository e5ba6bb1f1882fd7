"""The GitHub workflow runs every check on the locked dependencies, with least privilege."""

import re
from typing import Any

import yaml

from ..fixtures.ci_github import commands, steps
from ..helpers import BASTION_PIN, PROJECT_DIR, assert_contract_script, project_answers

PINNED_ACTION = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def test_actions_are_pinned_by_commit(workflow: dict[Any, Any]) -> None:
    actions = [step["uses"] for step in steps(workflow) if "uses" in step]

    assert actions
    assert [action for action in actions if not PINNED_ACTION.match(action)] == []


def test_workflow_has_read_only_permissions(workflow: dict[Any, Any]) -> None:
    # YAML 1.1 reads the key `on` as True.
    triggers = workflow[True]

    assert workflow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in workflow["jobs"].values())
    assert "pull_request_target" not in triggers
    checkouts = [step for step in steps(workflow) if "actions/checkout@" in step.get("uses", "")]
    assert all(step["with"]["persist-credentials"] is False for step in checkouts)


def test_dependabot_updates_every_pinned_dependency() -> None:
    config = yaml.safe_load((PROJECT_DIR / ".github" / "dependabot.yml").read_text("utf-8"))
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}

    assert ecosystems >= {"uv", "github-actions", "docker"}


def test_dependabot_proposes_the_next_bastion_release() -> None:
    config = yaml.safe_load((PROJECT_DIR / ".github" / "dependabot.yml").read_text("utf-8"))
    directories = {
        update["directory"] for update in config["updates"] if update["package-ecosystem"] == "pip"
    }

    assert directories == {"/" + str(BASTION_PIN.parent.relative_to(PROJECT_DIR))}


def test_update_workflow_runs_on_the_bump_weekly_and_on_demand(
    update_workflow: dict[Any, Any],
) -> None:
    triggers = update_workflow[True]

    assert set(triggers) == {"push", "schedule", "workflow_dispatch"}
    assert triggers["push"]["branches"] == ["dependabot/pip/**"]
    assert triggers["push"]["paths"] == [str(BASTION_PIN.relative_to(PROJECT_DIR))]


def test_update_workflow_holds_only_what_it_pushes_and_opens(
    update_workflow: dict[Any, Any],
) -> None:
    assert update_workflow["permissions"] == {}
    assert [job["permissions"] for job in update_workflow["jobs"].values()] == [
        {"contents": "write", "pull-requests": "write"}
    ]
    checkouts = [
        step for step in steps(update_workflow) if "actions/checkout@" in step.get("uses", "")
    ]
    assert checkouts
    assert all(step["with"]["persist-credentials"] is False for step in checkouts)


def test_update_workflow_uses_the_actions_ci_pins(
    workflow: dict[Any, Any], update_workflow: dict[Any, Any]
) -> None:
    pinned = {step["uses"] for step in steps(workflow) if "uses" in step}
    used = {step["uses"] for step in steps(update_workflow) if "uses" in step}

    assert used
    assert used <= pinned
    assert all(PINNED_ACTION.match(action) for action in used)


def test_update_workflow_installs_exactly_the_pinned_bastion(
    update_workflow: dict[Any, Any],
) -> None:
    lines = commands(update_workflow)
    installs = [line for line in lines if "pip install" in line]
    pin = str(BASTION_PIN.relative_to(PROJECT_DIR))

    assert installs == [f"python -m pip install --requirement {pin}"]
    assert any(line.startswith("bastion update --json") for line in lines)
    assert not any("bastion==" in line for line in lines)


def test_tests_run_against_the_real_services_chosen(workflow: dict[Any, Any]) -> None:
    job = workflow["jobs"]["test"]
    services = job.get("services", {})
    answers = project_answers()

    assert ("postgres" in services) == (answers["database"] == "postgresql")
    assert ("redis" in services) == (answers["rate_limit_backend"] == "redis")
    if "postgres" in services:
        assert services["postgres"]["image"].startswith("postgres:")
        assert job["env"]["TEST_POSTGRES_URL"].startswith("postgresql://")
    if "redis" in services:
        assert services["redis"]["image"].startswith("valkey/valkey:")
        assert job["env"]["TEST_REDIS_URL"].startswith("redis://localhost:6379/")


def test_contract_job_runs_schemathesis_against_the_served_app(workflow: dict[Any, Any]) -> None:
    job = workflow["jobs"]["contract"]
    script = "\n".join(step.get("run", "") for step in job["steps"])

    assert_contract_script(script, job["env"].get("OIDC_ISSUER"))
