"""The GitLab pipeline runs every check on the locked dependencies, with pinned images."""

import re
from typing import Any

from ..fixtures.ci_gitlab import jobs
from ..helpers import PROJECT_DIR, assert_contract_script, project_answers

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
