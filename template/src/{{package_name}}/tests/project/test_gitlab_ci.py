"""The GitLab pipeline runs every check on the locked dependencies, with pinned images."""

import json
import re
from typing import Any

from ..fixtures.ci_gitlab import jobs
from ..helpers import BASTION_PIN, PROJECT_DIR, assert_contract_script, project_answers

UPDATE_JOB = "bastion-update"

EXACT_IMAGE = re.compile(r"^\S+(:v?\d+\.\d+[\w.-]*|@sha256:[0-9a-f]{64})$")


def images(pipeline: dict[str, Any]) -> list[str]:
    found = [pipeline["default"]["image"]]
    for job in jobs(pipeline).values():
        found += [job["image"]] if "image" in job else []
        found += [
            service if isinstance(service, str) else service["name"]
            for service in job.get("services", [])
        ]
    return found


def test_images_are_pinned_to_exact_versions(pipeline: dict[str, Any]) -> None:
    assert [image for image in images(pipeline) if not EXACT_IMAGE.match(image)] == []


def test_renovate_updates_the_pinned_dependencies() -> None:
    assert (PROJECT_DIR / "renovate.json").is_file()


def test_renovate_proposes_the_next_bastion_release() -> None:
    config = json.loads((PROJECT_DIR / "renovate.json").read_text(encoding="utf-8"))
    patterns = config["pip_requirements"]["managerFilePatterns"]

    assert any(
        re.search(pattern.strip("/"), str(BASTION_PIN.relative_to(PROJECT_DIR)))
        for pattern in patterns
    )


def _extended(pipeline: dict[str, Any], name: str) -> list[str]:
    """The job's name and every template it extends, nearest first."""
    chain = [name]
    while isinstance(parent := pipeline[chain[-1]].get("extends"), str):
        chain.append(parent)
    return chain


def test_update_job_runs_only_in_update_pipelines(pipeline: dict[str, Any]) -> None:
    rules = [rule["if"] for rule in pipeline[UPDATE_JOB]["rules"]]
    others = [name for name in jobs(pipeline) if name != UPDATE_JOB]

    assert rules == [
        '$BASTION_UPDATE == "1" && ($CI_PIPELINE_SOURCE == "schedule" || '
        '$CI_PIPELINE_SOURCE == "web")'
    ]
    assert others
    assert [name for name in others if ".checks" not in _extended(pipeline, name)] == []
    assert pipeline[".checks"]["rules"][0] == {"if": '$BASTION_UPDATE == "1"', "when": "never"}


def test_update_job_installs_exactly_the_pinned_bastion(pipeline: dict[str, Any]) -> None:
    job = pipeline[UPDATE_JOB]
    commands = [*job["before_script"], *job["script"]]
    pin = str(BASTION_PIN.relative_to(PROJECT_DIR))
    installs = [command for command in commands if "pip install" in command]

    assert installs == [
        f'uv pip install --python "$CI_BUILDS_DIR/bastion-venv" --requirement {pin}'
    ]
    assert any('bin/bastion" update --json' in command for command in commands)
    assert not any("bastion==" in command for command in commands)


def test_update_job_pushes_with_its_own_token_and_opens_a_merge_request(
    pipeline: dict[str, Any],
) -> None:
    script = "\n".join(pipeline[UPDATE_JOB]["script"])

    assert "${BASTION_UPDATE_TOKEN}@" in script
    assert "CI_JOB_TOKEN" not in script
    assert "-o merge_request.create" in script
    assert '-o merge_request.description="$description"' in script
    # Git refuses a push option with a line break in it.
    assert "\\n" not in pipeline[UPDATE_JOB]["variables"]["REQUEST_DESCRIPTION"]


def test_tests_run_against_the_real_services_chosen(pipeline: dict[str, Any]) -> None:
    job = pipeline["test"]
    services = {
        service.get("alias", service["name"].split(":")[0]): service["name"]
        for service in job.get("services", [])
    }
    answers = project_answers()

    assert ("postgres" in services) == (answers["database"] == "postgresql")
    assert ("redis" in services) == (answers["rate_limit_backend"] == "redis")
    if "postgres" in services:
        assert job["variables"]["TEST_POSTGRES_URL"].startswith("postgresql://")
    if "redis" in services:
        assert services["redis"].startswith("valkey/valkey:")
        assert job["variables"]["TEST_REDIS_URL"].startswith("redis://redis:6379/")


def test_contract_job_runs_schemathesis_against_the_served_app(pipeline: dict[str, Any]) -> None:
    job = pipeline["contract"]
    script = "\n".join(job["script"])

    assert_contract_script(script, job["variables"].get("OIDC_ISSUER"))
