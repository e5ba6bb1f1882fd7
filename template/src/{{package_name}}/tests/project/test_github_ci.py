"""The GitHub workflow runs every check on the locked dependencies, with least privilege."""

import re
from typing import Any

import yaml

from ..fixtures.ci_github import steps
from ..helpers import PROJECT_DIR, assert_contract_script, project_answers

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
