"""Steady load on a served process while a server it depends on goes away and comes back:
what each request was answered, when it was sent, and what the process logged meanwhile."""

import json
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

import httpx
from sqlalchemy import select

from ..core.database import session_across_tenants
from ..core.models import Item
from ..migrations import upgrade_to_head
from .helpers import FirstMember, FirstTenant, assert_problem
from .served import cli_environment, serving, wait_until_serving

CLIENTS = 6
# Answers a caller may see during an outage: service, or a 503 problem to retry.
ALLOWED_STATUSES = {200, 201, 503}
STEADY_SECONDS = 1.0
OUTAGE_SECONDS = 1.5
RECOVERY_SECONDS = 2.0
# Lines beyond the per-request log: the outage's start and end, with room for a second
# pair as the server returns; one line per refused request would be hundreds.
FEW_LINES = 6


@dataclass(frozen=True)
class Answer:
    sent: float
    response: httpx.Response | None  # None: the connection was dropped unanswered.


class ServedLog:
    """Every line a served process prints, read as it comes so that its pipe never fills."""

    def __init__(self, process: "subprocess.Popen[str]") -> None:
        assert process.stdout is not None
        self._stdout = process.stdout
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self._stdout:
            self.lines.append(line)


def _event(line: str) -> object:
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    return entry.get("event") if isinstance(entry, dict) else None


@contextmanager
def mixed_load(base_url: str, headers: dict[str, str]) -> Iterator[list[Answer]]:
    """CLIENTS threads that create an item and list the items, again and again, until the
    block ends; yields their answers as they come."""
    answers: list[Answer] = []
    stop = threading.Event()

    def client() -> None:
        with httpx.Client(base_url=base_url, headers=headers, timeout=10) as http:
            while not stop.is_set():
                for method, path in (("POST", "/api/v1/items"), ("GET", "/api/v1/items")):
                    body = {"title": "under load"} if method == "POST" else None
                    sent = time.monotonic()
                    try:
                        response = http.request(method, path, json=body)
                    except httpx.TransportError:
                        response = None
                    answers.append(Answer(sent, response))

    clients = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in clients:
        thread.start()
    try:
        yield answers
    finally:
        stop.set()
        for thread in clients:
            thread.join()


def load_environment(
    database_url: str, auth_environment: dict[str, str], **settings: str
) -> dict[str, str]:
    """The environment of a process serving `database_url`, migrated here, with a rate
    limit no load reaches."""
    upgrade_to_head(database_url)
    return cli_environment(
        DATABASE_URL=database_url,
        RATE_LIMIT_DEFAULT="1000000/minute",
        **auth_environment,
        **settings,
    )


@dataclass(frozen=True)
class Outcome:
    answers: list[Answer]
    database_url: str
    returned: float  # When the server came back (time.monotonic()).
    logged: list[str]  # What the process logged while under load, beyond its request lines.


Outage = Callable[[], AbstractContextManager[None]]


def serve_through(
    env: dict[str, str], first_tenant: FirstTenant, first_member: FirstMember, outage: Outage
) -> Outcome:
    """Serve, put the process under a member's load, hold the outage for OUTAGE_SECONDS,
    then keep the load on past the recovery time."""
    tenant = first_tenant(env)
    with serving(env) as (base_url, process):
        log = ServedLog(process)
        wait_until_serving(base_url)
        headers = first_member(env, tenant, base_url)
        first = len(log.lines)
        with mixed_load(base_url, headers) as answers:
            time.sleep(STEADY_SECONDS)
            with outage():
                time.sleep(OUTAGE_SECONDS)
            returned = time.monotonic()
            time.sleep(RECOVERY_SECONDS + STEADY_SECONDS)
        logged = [line for line in log.lines[first:] if _event(line) != "request"]
    return Outcome(answers, env["DATABASE_URL"], returned, logged)


def assert_rode_out(outcome: Outcome, lost_event: str, regained_event: str) -> None:
    """Every request was answered, with service or a 503 problem; the outage was met; every
    request sent RECOVERY_SECONDS after the server's return was served; the outage was
    logged in a few lines, its start and its end among them, without a traceback."""
    answers = outcome.answers
    assert all(answer.response is not None for answer in answers), "a dropped connection"
    responses = [answer.response for answer in answers if answer.response is not None]
    assert {response.status_code for response in responses} <= ALLOWED_STATUSES
    refused = [response for response in responses if response.status_code == 503]
    assert refused, "the load never met the outage"
    for response in refused:
        assert_problem(response, 503)
        assert response.headers["Retry-After"].isdigit()
    late = {
        answer.response.status_code
        for answer in answers
        if answer.response is not None and answer.sent >= outcome.returned + RECOVERY_SECONDS
    }
    assert late, "no request was sent after the recovery time"
    assert late <= {200, 201}, f"not recovered {RECOVERY_SECONDS} s after the return"
    assert len(outcome.logged) <= FEW_LINES, outcome.logged
    # Connection attempts in flight as the server returns can add a pair; the last word is
    # that it is back.
    events = [
        event for line in outcome.logged if (event := _event(line)) in (lost_event, regained_event)
    ]
    assert events[:1] == [lost_event], outcome.logged
    assert events[-1:] == [regained_event], outcome.logged
    assert "Traceback" not in "".join(outcome.logged), outcome.logged


def assert_kept_every_created_item(outcome: Outcome) -> None:
    created = {
        uuid.UUID(answer.response.json()["id"])
        for answer in outcome.answers
        if answer.response is not None and answer.response.status_code == 201
    }
    with session_across_tenants(outcome.database_url) as db:
        stored = set(db.scalars(select(Item.id)))
    assert created <= stored
