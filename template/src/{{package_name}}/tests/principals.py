"""Callers of every kind, for tests of authentication and authorization in any auth mode.

The fixtures of each auth mode (fixtures/auth_*.py) build a `Principal` with real
credentials through the service's own core; the tests then speak HTTP with its headers only.
"""

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from ..core.models import Role, User
from ..core.settings import Settings
from .adapter import App, build_app, client_for
from .helpers import GENEROUS_RATE_LIMITS


class Kind(StrEnum):
    """The kinds of caller the authorization matrix tries on every route."""

    ANONYMOUS = "anonymous"
    MEMBER = "member"
    ADMIN = "admin"
    SUPERUSER = "superuser"


# The tenant columns of a new user of a kind (see fixtures/tenancy_*.py).
Membership = Callable[[Kind], dict[str, uuid.UUID]]


@dataclass(frozen=True)
class Principal:
    id: uuid.UUID
    email: str
    headers: dict[str, str]
    # Credentials only some auth modes have (the refresh token of a jwt login).
    extras: dict[str, str] = field(default_factory=dict)


ANONYMOUS = Principal(id=uuid.UUID(int=0), email="", headers={})

PrincipalFactory = Callable[[Kind], Principal]
# A user of the role (in the tenant, if one is named) created over HTTP by the superuser,
# holding a working credential: `enroll(api, superuser, role, tenant_id)`.
Enroller = Callable[[httpx.Client, Principal, Role, uuid.UUID | None], Principal]


@dataclass(frozen=True)
class SessionLog:
    """What a session of the auth mode did: the credentials it used (which no log line may
    hold) and the security events it must have logged."""

    credentials: tuple[str, ...]
    events: tuple[str, ...]


SessionRunner = Callable[[httpx.Client], SessionLog]


def new_user(kind: Kind, membership: Membership) -> User:
    """A user of the kind, in the tenant its membership names, not yet in any session."""
    return User(
        email=unique_email(kind),
        role=Role.MEMBER if kind is Kind.MEMBER else Role.ADMIN,
        is_superuser=kind is Kind.SUPERUSER,
        **membership(kind),
    )


# How an auth mode gives a user created over HTTP its credential:
# `credential(api, superuser, user_id, email)`.
Credential = Callable[[httpx.Client, Principal, uuid.UUID, str], Principal]


def enroller(credential: Credential, **fields: str) -> Enroller:
    """Enrol users the superuser creates with `POST /api/v1/users` (with `fields`, such
    as a password), each then given its credential by `credential`."""

    def enroll(
        api: httpx.Client, superuser: Principal, role: Role, tenant_id: uuid.UUID | None
    ) -> Principal:
        email = unique_email(role)
        body: dict[str, str] = {"email": email, "role": role, **fields}
        if tenant_id is not None:
            body["tenant_id"] = str(tenant_id)
        created = api.post("/api/v1/users", json=body, headers=superuser.headers)
        assert created.status_code == 201, created.text
        return credential(api, superuser, uuid.UUID(created.json()["id"]), email)

    return enroll


def unique_email(kind: str) -> str:
    return f"{kind}-{uuid.uuid4().hex[:12]}@example.com"


@pytest.fixture(scope="session")
def db_sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    """Direct database access, for arranging what HTTP alone cannot (users, credentials)."""
    engine = create_engine(database_url)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture(scope="session")
def attachments_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the API tests' app stores uploaded files."""
    return tmp_path_factory.mktemp("attachments")


@pytest.fixture(scope="module")
def api_settings(
    database_url: str,
    auth_settings: dict[str, object],
    rate_limit_settings: dict[str, object],
    attachments_dir: Path,
) -> Settings:
    return Settings.model_validate(
        {
            "app_env": "test",
            "database_url": database_url,
            "attachments_dir": attachments_dir,
            **auth_settings,
            **rate_limit_settings,
            **GENEROUS_RATE_LIMITS,
        }
    )


@pytest.fixture(scope="module")
def api_app(api_settings: Settings) -> App:
    """One app per test module for the API tests, which all use the default test settings.

    Building the app is most of a small test's cost; tests that change settings use `app`.
    """
    return build_app(api_settings)


@pytest.fixture(scope="module")
def api(api_app: App) -> Iterator[httpx.Client]:
    """The HTTP client of `api_app`: what the API tests speak to."""
    with client_for(api_app) as client:
        yield client
