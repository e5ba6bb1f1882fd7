"""Redis backend: instances share one limit, and an unreachable Redis fails closed, except
for the liveness probe.

The tests use real servers: two `serve` processes on two ports sharing the session's
Valkey, and a Valkey of their own that is stopped mid-test (and, under load, started again
on its port).
"""

import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest
from structlog.testing import capture_logs

from ..adapter import build_app, client_for
from ..conftest import SettingsFactory
from ..fixtures.rate_limit_redis import start_valkey, url_of
from ..helpers import FirstMember, FirstTenant, assert_problem, free_port
from ..outage_load import (
    Outage,
    assert_kept_every_created_item,
    assert_rode_out,
    load_environment,
    serve_through,
)
from ..served import PACKAGE, cli_environment, run_cli, wait_until_serving

LIMIT = 4


@pytest.fixture
def two_instances(database_url: str) -> Iterator[list[str]]:
    """Two `serve` processes on two ports, one database, one Valkey (REDIS_URL is set)."""
    env = cli_environment(DATABASE_URL=database_url, RATE_LIMIT_DEFAULT=f"{LIMIT}/minute")
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", PACKAGE, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def test_two_instances_enforce_one_limit(two_instances: list[str]) -> None:
    for base_url in two_instances:
        assert wait_until_serving(base_url).status_code == 200  # One request each.

    answers = [
        httpx.get(f"{base_url}/health", timeout=5.0).status_code
        for _ in range(LIMIT)
        for base_url in two_instances
    ]

    # LIMIT allowed in all (the two readiness checks included), not LIMIT per instance.
    assert answers.count(200) == LIMIT - len(two_instances)
    assert answers.count(429) == len(answers) - answers.count(200)


@pytest.fixture
def redis_gone(make_settings: SettingsFactory) -> Iterator[httpx.Client]:
    """A client of an app whose own Valkey answered once and then stopped."""
    server = start_valkey()
    with client_for(build_app(make_settings(redis_url=url_of(server)))) as client:
        try:
            assert client.get("/health").status_code == 200
        finally:
            server.stop()
        yield client


def test_unreachable_redis_fails_closed_with_503(redis_gone: httpx.Client) -> None:
    with capture_logs() as logs:
        response = redis_gone.get("/api/v1/users/me")

    body = assert_problem(response, 503)
    assert "Traceback" not in response.text
    assert "redis" not in str(body["detail"]).lower()
    assert any(log["event"] == "rate_limit_storage_unavailable" for log in logs)


def test_liveness_stays_ok_while_redis_is_down(redis_gone: httpx.Client) -> None:
    response = redis_gone.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "ratelimit-limit" not in response.headers


def test_readiness_is_503_while_redis_is_down(redis_gone: httpx.Client) -> None:
    assert_problem(redis_gone.get("/health/ready"), 503)


@contextmanager
def restartable_valkey() -> Iterator[tuple[str, Outage]]:
    """A Valkey of the test's own, and an outage of it: stopped, then started again on the
    same port, as a restarted server comes back."""
    servers = [start_valkey()]
    port = servers[0].port

    @contextmanager
    def outage() -> Iterator[None]:
        servers[-1].stop()
        try:
            yield
        finally:
            servers.append(start_valkey(port))

    try:
        yield url_of(servers[0]), outage
    finally:
        servers[-1].stop()


def test_a_redis_outage_under_load_is_ridden_out(
    new_database_url: Callable[[], str],
    auth_process_environment: dict[str, str],
    first_tenant: FirstTenant,
    first_member: FirstMember,
) -> None:
    with restartable_valkey() as (redis_url, outage):
        env = load_environment(new_database_url(), auth_process_environment, REDIS_URL=redis_url)
        outcome = serve_through(env, first_tenant, first_member, outage)

    assert_rode_out(outcome, "rate_limit_storage_unavailable", "rate_limit_storage_available")
    assert_kept_every_created_item(outcome)


@pytest.mark.parametrize("redis", ["unreachable", "refused"])
def test_check_config_names_a_redis_it_cannot_use(
    database_url: str, redis_url: str, redis: str
) -> None:
    if redis == "unreachable":
        url = f"redis://127.0.0.1:{free_port()}/0"
    else:
        # The test server has no password: AUTH with one is refused, as a wrong one would be.
        url = redis_url.replace("redis://", "redis://:wrong-password@", 1)

    result = run_cli("check-config", env=cli_environment(DATABASE_URL=database_url, REDIS_URL=url))

    assert result.returncode == 1
    assert "REDIS_URL: cannot be reached, or refuses the login" in result.stderr
    assert "DATABASE_URL" not in result.stderr
    assert "wrong-password" not in result.stdout + result.stderr
    assert url not in result.stdout + result.stderr
