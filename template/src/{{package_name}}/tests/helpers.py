"""Assertions and helpers shared by the tests."""

import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
import pytest
import yaml

if TYPE_CHECKING:
    from ..core.settings import SettingsError

PROBLEM_FIELDS = {"type", "title", "status", "detail", "request_id"}


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """Check the response is an RFC 9457 problem with the request's id; return its body."""
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body.keys() >= PROBLEM_FIELDS
    assert body["status"] == status
    assert body["request_id"] == response.headers["x-request-id"]
    return body


def free_port() -> int:
    """A loopback port nothing listens on (until someone binds it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


SECRET_WORDS = ("password", "hash", "secret")


def secret_field_names(document: object) -> list[str]:
    """Field names anywhere in a JSON document that suggest a credential was returned."""
    if isinstance(document, dict):
        found = [name for name in document if any(word in name.lower() for word in SECRET_WORDS)]
        return found + [name for value in document.values() for name in secret_field_names(value)]
    if isinstance(document, list):
        return [name for value in document for name in secret_field_names(value)]
    return []


# Limits high enough for any test's traffic; the rate-limit tests set their own.
GENEROUS_RATE_LIMITS = {"rate_limit_default": "10000/minute", "rate_limit_login": "10000/minute"}

# Why the service refuses its settings, given some on top of a working DATABASE_URL:
# `settings_refusal(NAME=value, ...)` (see conftest.py).
SettingsRefusal = Callable[..., "SettingsError"]

# Puts settings where the chosen secrets source reads them (see fixtures/secrets_*.py).
PublishSettings = Callable[[Mapping[str, str]], None]

# Part of a refused credential of a remote secrets source: it must appear in no output.
REFUSED_CANARY = "canary-S3cr3t-7b41"

# The host the in-process clients call (a dotted name: Litestar's client warns otherwise).
TEST_HOST = "testserver.local"

# Claims that make any bearer token invalid (auth=jwt and auth=oidc alike); an integer
# is seconds from now (see `changed_claims`).
FORGED_CLAIMS = [
    pytest.param({"exp": -120, "iat": -960, "nbf": -960}, id="expired"),
    pytest.param({"nbf": 600, "iat": 600}, id="not-yet-valid"),
    pytest.param({"aud": "another-service"}, id="wrong-aud"),
    pytest.param({"iss": "https://evil.example"}, id="wrong-iss"),
]

# The generated project's root: the tests live in src/<package>/tests/.
PROJECT_DIR = Path(__file__).resolve().parents[3]


@cache
def project_answers() -> dict[str, Any]:
    """The answers this project was generated with, as Copier recorded them."""
    answers: dict[str, Any] = yaml.safe_load(
        (PROJECT_DIR / ".copier-answers.yml").read_text(encoding="utf-8")
    )
    return answers


def service_sources() -> list[Path]:
    """The service's own modules: the package without its tests and benchmarks."""
    package = PROJECT_DIR / "src" / __name__.partition(".")[0]
    return sorted(
        path
        for path in package.rglob("*.py")
        if path.relative_to(package).parts[0] not in ("tests", "benchmarks")
    )


@dataclass(frozen=True)
class RemoteSource:
    """How a remote secrets source (doppler, vault, aws) is reached, keeps settings and
    refuses. fixtures/secrets_<source>.py says it for its own; fixtures/secrets_remote.py
    points every test at it, and tests/core/test_remote_secrets.py checks what they share."""

    # Reaches the server (the first variable is its address), whose settings are empty.
    environment: Mapping[str, str]
    cleared: tuple[str, ...]  # The caller's variables that would change how it is reached.
    # Publishing stores settings and points this variable (a token, a path, a secret's
    # id) at what the store answers.
    settings_variable: str
    store: Callable[[Mapping[str, str]], str]
    unreachable_problem: str  # Said when the address in `environment` does not answer.
    refused_credentials: Mapping[str, str]
    refused_problem: str

    @property
    def address_variable(self) -> str:
        return next(iter(self.environment))


def changed_claims(claims: Mapping[str, Any], change: Mapping[str, Any]) -> dict[str, Any]:
    """`claims` changed by `change`, whose integers are seconds from now."""
    now = int(time.time())
    changed = {
        name: now + value if isinstance(value, int) else value for name, value in change.items()
    }
    return {**claims, **changed}


def load_problems() -> list[str]:
    """The problems that stop the service from loading its settings."""
    from ..core.settings import SettingsError, load_settings

    with pytest.raises(SettingsError) as raised:
        load_settings()
    return [str(problem) for problem in raised.value.problems]


# What the generated CI runs, whichever CI system it is written for.
CI_CHECKS = (
    "ruff check",
    "ruff format --check",
    "mypy",
    "python -m pytest",
    "bandit",
    "detect-secrets-hook",
    "pip-audit",
    "docker build",
)


def assert_contract_script(script: str, oidc_issuer: str | None) -> None:
    """The CI's contract job serves the app and runs schemathesis against it; with oidc, a
    caller's token comes from the local issuer it starts where OIDC_ISSUER says."""
    assert "serve --host 127.0.0.1 --port 8000 &" in script
    assert "schemathesis run --checks all " in script
    assert " http://127.0.0.1:8000/openapi.json" in script
    if project_answers()["auth"] == "oidc":
        assert oidc_issuer is not None
        assert f"tests.oidc_issuer --port {urlsplit(oidc_issuer).port}" in script
        assert "CONTRACT_ACCESS_TOKEN=" in script


# The first steps of a new service, as its README gives them (see core/test_first_request.py):
# `create-tenant` where there are tenants, then a member's credential from the auth mode.
FirstTenant = Callable[[dict[str, str]], str | None]
FirstMember = Callable[[dict[str, str], str | None, str], dict[str, str]]


def tenant_arguments(tenant: str | None) -> list[str]:
    return [] if tenant is None else ["--tenant", tenant]


BASTION_PIN = PROJECT_DIR / ".bastion" / "requirements.txt"


def pinned_bastion() -> str:
    """The one requirement of the bastion pin, e.g. `bastion==1.4.0`."""
    lines = BASTION_PIN.read_text(encoding="utf-8").splitlines()
    (requirement,) = [line for line in lines if line.strip() and not line.startswith("#")]
    return requirement
