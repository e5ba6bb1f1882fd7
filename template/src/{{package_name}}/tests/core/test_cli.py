"""The service's command line, run as a real process: check-config, migrate, serve."""

import json
import subprocess
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import create_engine, inspect

from ...cli import main
from ..options import TENANT_COLUMNS
from ..served import cli_environment, run_cli, serving, wait_until_serving

CANARY = "canary-S3cr3t-4f9a"


def test_check_config_accepts_valid_settings(database_url: str) -> None:
    result = run_cli("check-config", env=cli_environment(DATABASE_URL=database_url))

    assert result.returncode == 0, result.stderr
    assert "APP_ENV=production" in result.stdout


@pytest.mark.parametrize("database", ["unreachable", "refused"])
def test_check_config_names_a_database_it_cannot_use(
    request: pytest.FixtureRequest, database: str
) -> None:
    url: str = request.getfixturevalue(f"{database}_database_url")

    result = run_cli("check-config", env=cli_environment(DATABASE_URL=url))

    assert result.returncode == 1
    assert "DATABASE_URL: cannot be reached, or refuses the login" in result.stderr
    assert "Configuration is valid" not in result.stdout
    assert url not in result.stdout + result.stderr


@pytest.mark.parametrize("command", ["check-config", "serve"])
def test_missing_setting_is_named_and_stops_the_command(command: str) -> None:
    result = run_cli(command, env=cli_environment())

    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_invalid_settings_are_named_without_their_values() -> None:
    invalid = {
        "APP_ENV": CANARY,
        "DATABASE_URL": f"mysql://admin:{CANARY}@db.internal/app",
        "CORS_ORIGINS": CANARY,
        "TRUSTED_PROXIES": CANARY,
        "MAX_BODY_BYTES": CANARY,
        "DOCS_ENABLED": CANARY,
    }

    result = run_cli("check-config", env=cli_environment(**invalid))

    assert result.returncode != 0
    for name in invalid:
        assert name in result.stderr
    assert CANARY not in result.stdout + result.stderr


def test_migrate_creates_the_users_table_and_is_idempotent(
    new_database_url: Callable[[], str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = new_database_url()

    result = run_cli("migrate", env=cli_environment(DATABASE_URL=url))
    assert result.returncode == 0, result.stderr
    # Quiet: one line of outcome, no step-by-step log of Alembic's.
    assert result.stdout.splitlines() == ["Migrated the database schema from nothing to 0009."]
    # The second run is in-process: same command, without paying for another interpreter.
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["migrate"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "The database schema is already current (revision 0009)."
    ]

    engine = create_engine(url)
    try:
        inspector = inspect(engine)
        tables = set(inspector.get_table_names())
        columns = {column["name"] for column in inspector.get_columns("users")}
    finally:
        engine.dispose()
    # The tables of the auth mode come too; test_migrations checks them against the models.
    assert {"alembic_version", "users", "items"} <= tables
    assert columns == {
        "id",
        "email",
        "role",
        "is_superuser",
        "is_active",
        "created_at",
        "updated_at",
        *TENANT_COLUMNS,
    }


def test_migrate_verbose_logs_each_step(new_database_url: Callable[[], str]) -> None:
    result = run_cli("migrate", "--verbose", env=cli_environment(DATABASE_URL=new_database_url()))

    assert result.returncode == 0, result.stderr
    assert sum("Running upgrade" in line for line in result.stdout.splitlines()) == 9


@pytest.fixture
def server(database_url: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`serve` running in its own process; yields its base URL and the process."""
    with serving(cli_environment(DATABASE_URL=database_url)) as running:
        yield running


def test_serve_answers_health_and_logs_json(server: tuple[str, subprocess.Popen[str]]) -> None:
    base_url, process = server

    response = wait_until_serving(base_url)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "server" not in response.headers
    process.terminate()
    output, _ = process.communicate(timeout=10)
    records = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert any(
        record.get("event") == "request"
        and record.get("path") == "/health"
        and record.get("request_id") == response.headers["x-request-id"]
        for record in records
    )
