"""A PostgreSQL outage, as callers and operators see it: 503 problems with Retry-After
while the server refuses connections, one log line when it goes and one when it is back,
and service again without restarting the app; under load too, losing nothing acknowledged."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from urllib.parse import urlsplit

import httpx
import psycopg
from psycopg import sql
from sqlalchemy.orm import Session, sessionmaker

from ..helpers import FirstMember, FirstTenant, assert_problem
from ..log_capture import LogCapture
from ..outage_load import (
    assert_kept_every_created_item,
    assert_rode_out,
    load_environment,
    serve_through,
)
from ..principals import Kind, PrincipalFactory

REQUESTS_DURING_THE_OUTAGE = 20


def allow_connections(admin: psycopg.Connection[object], database: str, allowed: bool) -> None:
    admin.execute(
        sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS {}").format(
            sql.Identifier(database), sql.SQL("true" if allowed else "false")
        )
    )


@contextmanager
def outage(admin_uri: str, database_url: str) -> Iterator[None]:
    """The server refuses the test database's connections and drops those it had, until
    the block ends."""
    database = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(admin_uri, autocommit=True) as admin:
        allow_connections(admin, database, allowed=False)
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (database,),
        )
        try:
            yield
        finally:
            allow_connections(admin, database, allowed=True)


def test_an_outage_answers_503_and_the_service_recovers(
    api: httpx.Client,
    make_principal: PrincipalFactory,
    postgres_admin_uri: str,
    database_url: str,
    db_sessions: sessionmaker[Session],
) -> None:
    member = make_principal(Kind.MEMBER)
    assert api.get("/api/v1/items", headers=member.headers).status_code == 200

    with LogCapture() as logs:
        with outage(postgres_admin_uri, database_url):
            answers = [
                api.get("/api/v1/items", headers=member.headers)
                for _ in range(REQUESTS_DURING_THE_OUTAGE)
            ]
        started = time.monotonic()
        recovered = api.get("/api/v1/items", headers=member.headers)
        recovery_seconds = time.monotonic() - started
    # The arranging engine's connections were dropped too; it reconnects on next use.
    db_sessions.kw["bind"].dispose()

    for answer in answers:
        body = assert_problem(answer, 503)
        assert body["detail"] == "The database is not reachable."
        assert answer.headers["Retry-After"].isdigit()
    assert recovered.status_code == 200
    assert recovery_seconds < 2
    assert len(logs.events("database_unreachable")) == 1
    assert len(logs.events("database_reachable")) == 1
    assert "Traceback" not in logs.text


def test_an_outage_under_load_is_ridden_out(
    new_database_url: Callable[[], str],
    postgres_admin_uri: str,
    auth_process_environment: dict[str, str],
    first_tenant: FirstTenant,
    first_member: FirstMember,
) -> None:
    database_url = new_database_url()
    env = load_environment(database_url, auth_process_environment)

    outage_of_the_database = partial(outage, postgres_admin_uri, database_url)
    outcome = serve_through(env, first_tenant, first_member, outage_of_the_database)

    assert_rode_out(outcome, "database_unreachable", "database_reachable")
    assert_kept_every_created_item(outcome)
