"""The GitLab pipeline runs every check on the locked dependencies, with pinned images."""

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from ..helpers import CI_CHECKS, assert_contract_script, project_answers

PROJECT_DIR = Path(__file__).resolve().parents[4]
PIPELINE = PROJECT_DIR / ".gitlab-ci.yml"
EXACT_IMAGE = re.compile(r"^\S+(:v?\d+\.\d+[\w.-]*|@sha256:[0-9a-f]{64})$")


@pytest.fixture(scope="module")
def pipeline() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(PIPELINE.read_text(encoding="utf-8"))
    return loaded


def jobs(pipeline: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: job for name, job in pipeline.items() if isinstance(job, dict) and "script" in job
    }


def commands(pipeline: dict[str, Any]) -> list[str]:
    return [
        command
        for job in pipeline.values()
        if isinstance(job, dict)
        for key in ("before_script", "script")
        for command in job.get(key, [])
    ]


def images(pipeline: dict[str, Any]) -> list[str]:
    found = [pipeline["default"]["image"]]
    for job in jobs(pipeline).values():
        found += [job["image"]] if "image" in job else []
        found += [
            service if isinstance(service, str) else service["name"]
            for service in job.get("services", [])
        ]
    return found


@pytest.mark.parametrize("check", CI_CHECKS)
def test_ci_runs_the_check(pipeline: dict[str, Any], check: str) -> None:
    assert any(check in command for command in commands(pipeline))


def test_ci_installs_the_locked_dependencies(pipeline: dict[str, Any]) -> None:
    installs = [command for command in commands(pipeline) if "uv sync" in command]

    assert installs
    assert all("--locked" in install for install in installs)


def test_images_are_pinned_to_exact_versions(pipeline: dict[str, Any]) -> None:
    assert [image for image in images(pipeline) if not EXACT_IMAGE.match(image)] == []


def test_renovate_updates_the_pinned_dependencies() -> None:
    assert (PROJECT_DIR / "renovate.json").is_file()


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
