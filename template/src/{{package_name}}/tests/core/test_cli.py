"""The service's command line: check-config, migrate, serve.

`serve` and the first `migrate` run as real processes; the commands whose outcome a
subprocess would not change (settings checks) run through the CLI's own `main`, in process.
"""

import json
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, inspect

from ...cli import main
from ..options import TENANT_COLUMNS
from ..served import cli_environment, run_cli, serving, wait_until_serving

CANARY = "canary-S3cr3t-4f9a"


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str


InProcess = Callable[..., Outcome]


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> InProcess:
    """Run a command as `python -m <package>` would, with these settings in the environment."""

    def run(*args: str, **settings: str) -> Outcome:
        for name, value in settings.items():
            monkeypatch.setenv(name, value)
        returncode = main(list(args))
        captured = capsys.readouterr()
        return Outcome(returncode, captured.out, captured.err)

    return run


def test_check_config_accepts_valid_settings(database_url: str, in_process: InProcess) -> None:
    result = in_process("check-config", DATABASE_URL=database_url)

    assert result.returncode == 0, result.stderr
    assert "APP_ENV=production" in result.stdout


@pytest.mark.parametrize("database", ["unreachable", "refused"])
def test_check_config_names_a_database_it_cannot_use(
    request: pytest.FixtureRequest, database: str, in_process: InProcess
) -> None:
    url: str = request.getfixturevalue(f"{database}_database_url")

    result = in_process("check-config", DATABASE_URL=url)

    assert result.returncode == 1
    assert "DATABASE_URL: cannot be reached, or refuses the login" in result.stderr
    assert "Configuration is valid" not in result.stdout
    assert url not in result.stdout + result.stderr


@pytest.mark.parametrize("command", ["check-config", "serve"])
def test_missing_setting_is_named_and_stops_the_command(
    command: str, in_process: InProcess
) -> None:
    result = in_process(command)

    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_invalid_settings_are_named_without_their_values(in_process: InProcess) -> None:
    invalid = {
        "APP_ENV": CANARY,
        "DATABASE_URL": f"mysql://admin:{CANARY}@db.internal/app",
        "CORS_ORIGINS": CANARY,
        "TRUSTED_PROXIES": CANARY,
        "MAX_BODY_BYTES": CANARY,
        "DOCS_ENABLED": CANARY,
    }

    result = in_process("check-config", **invalid)

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
