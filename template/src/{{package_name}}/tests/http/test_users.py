"""Users over HTTP: the caller's profile, management by admins, refused mass assignment."""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from ...cli import main
from ...core.models import User
from ..helpers import assert_problem, secret_field_names
from ..options import (
    ADMIN_REACHING_A_SUPERUSER,
    PROFILE_FIELDS,
    USERS_MANAGED_BY_THE_IDENTITY_PROVIDER,
)
from ..principals import Kind, PrincipalFactory, unique_email

USER_FIELDS = {"id", "email", "role", "is_superuser", "is_active", "created_at"}


def test_me_is_the_caller_without_any_credential(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    member = make_principal(Kind.MEMBER)

    response = api.get("/api/v1/users/me", headers=member.headers)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == USER_FIELDS | PROFILE_FIELDS
    assert body["id"] == str(member.id)
    assert body["role"] == "member"
    assert not body["is_superuser"]


def test_admin_lists_users_in_an_envelope(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    admin = make_principal(Kind.ADMIN)

    response = api.get("/api/v1/users", params={"limit": 100}, headers=admin.headers)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "total", "limit", "offset"}
    assert (body["limit"], body["offset"]) == (100, 0)
    assert body["total"] >= len(body["items"]) >= 1
    assert secret_field_names(body) == []


@pytest.mark.parametrize("limit", [0, 101, -1])
def test_list_limit_is_bounded(
    api: httpx.Client, make_principal: PrincipalFactory, limit: int
) -> None:
    admin = make_principal(Kind.ADMIN)

    assert_problem(api.get("/api/v1/users", params={"limit": limit}, headers=admin.headers), 422)


def test_admin_creates_a_user_once(api: httpx.Client, make_principal: PrincipalFactory) -> None:
    admin = make_principal(Kind.ADMIN)
    email = unique_email("new")

    created = api.post(
        "/api/v1/users", json={"email": email.upper(), "role": "admin"}, headers=admin.headers
    )
    again = api.post("/api/v1/users", json={"email": email}, headers=admin.headers)

    assert created.status_code == 201
    assert set(created.json()) == USER_FIELDS
    assert created.json()["email"] == email
    assert created.json()["role"] == "admin"
    assert_problem(again, 409)


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "x" * 310 + "@example.com"])
def test_invalid_email_is_refused(
    api: httpx.Client, make_principal: PrincipalFactory, email: str
) -> None:
    admin = make_principal(Kind.ADMIN)

    assert_problem(api.post("/api/v1/users", json={"email": email}, headers=admin.headers), 422)


@pytest.mark.parametrize(
    "field",
    ["is_superuser", "tenant_id", "id", "owner_id", "password_hash", "hashed_password"],
)
def test_user_creation_refuses_unknown_fields(
    api: httpx.Client, make_principal: PrincipalFactory, field: str
) -> None:
    admin = make_principal(Kind.ADMIN)
    body = {"email": unique_email("mass"), field: True if field == "is_superuser" else "x"}

    problem = assert_problem(api.post("/api/v1/users", json=body, headers=admin.headers), 422)

    assert [error["loc"] for error in problem["errors"]] == [["body", field]]


@pytest.mark.parametrize("field", ["is_superuser", "email", "id", "tenant_id"])
def test_user_update_refuses_unknown_fields(
    api: httpx.Client, make_principal: PrincipalFactory, field: str
) -> None:
    admin, member = make_principal(Kind.ADMIN), make_principal(Kind.MEMBER)

    response = api.patch(f"/api/v1/users/{member.id}", json={field: "x"}, headers=admin.headers)

    assert_problem(response, 422)


def test_role_cannot_be_made_up(api: httpx.Client, make_principal: PrincipalFactory) -> None:
    admin, member = make_principal(Kind.ADMIN), make_principal(Kind.MEMBER)

    response = api.patch(
        f"/api/v1/users/{member.id}", json={"role": "superuser"}, headers=admin.headers
    )

    assert_problem(response, 422)


def test_admin_promotes_and_deactivates_a_user(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    admin, member = make_principal(Kind.ADMIN), make_principal(Kind.MEMBER)

    promoted = api.patch(
        f"/api/v1/users/{member.id}", json={"role": "admin"}, headers=admin.headers
    )
    assert promoted.status_code == 200
    assert promoted.json()["role"] == "admin"
    if not USERS_MANAGED_BY_THE_IDENTITY_PROVIDER:
        assert api.get("/api/v1/users", headers=member.headers).status_code == 200

    deactivated = api.patch(
        f"/api/v1/users/{member.id}", json={"is_active": False}, headers=admin.headers
    )
    assert deactivated.json()["is_active"] is False
    assert_problem(api.get("/api/v1/users/me", headers=member.headers), 401)


def test_only_a_superuser_manages_a_superuser(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    admin = make_principal(Kind.ADMIN)
    superuser, other = make_principal(Kind.SUPERUSER), make_principal(Kind.SUPERUSER)
    path = f"/api/v1/users/{other.id}"

    changed = api.patch(path, json={"is_active": False}, headers=admin.headers)
    assert_problem(changed, ADMIN_REACHING_A_SUPERUSER)
    assert_problem(api.delete(path, headers=admin.headers), ADMIN_REACHING_A_SUPERUSER)
    assert api.patch(path, json={"role": "member"}, headers=superuser.headers).status_code == 200


@contextmanager
def only_active_superusers(db_sessions: sessionmaker[Session], *kept: uuid.UUID) -> Iterator[None]:
    """Disable every other active superuser of the shared database for the block."""
    with db_sessions() as db:
        others = db.scalars(
            select(User).where(User.is_superuser, User.is_active, User.id.not_in(kept))
        ).all()
        for user in others:
            user.is_active = False
        db.commit()
        try:
            yield
        finally:
            for user in others:
                user.is_active = True
            db.commit()


def test_the_last_active_superuser_cannot_be_deleted_or_disabled(
    api: httpx.Client, make_principal: PrincipalFactory, db_sessions: sessionmaker[Session]
) -> None:
    superuser, other = make_principal(Kind.SUPERUSER), make_principal(Kind.SUPERUSER)

    with only_active_superusers(db_sessions, superuser.id, other.id):
        other_deleted = api.delete(f"/api/v1/users/{other.id}", headers=superuser.headers)
        path = f"/api/v1/users/{superuser.id}"
        disabled = api.patch(path, json={"is_active": False}, headers=superuser.headers)
        deleted = api.delete(path, headers=superuser.headers)
        still_in = api.get("/api/v1/users/me", headers=superuser.headers)

    assert other_deleted.status_code == 204
    for refused in (disabled, deleted):
        assert "last active superuser" in assert_problem(refused, 409)["detail"]
    assert still_in.status_code == 200
    assert still_in.json()["is_active"] is True


def test_deleted_user_loses_access_at_once(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    admin, member = make_principal(Kind.ADMIN), make_principal(Kind.MEMBER)
    item = api.post("/api/v1/items", json={"title": "left behind"}, headers=member.headers).json()

    response = api.delete(f"/api/v1/users/{member.id}", headers=admin.headers)

    assert response.status_code == 204
    assert_problem(api.delete(f"/api/v1/users/{member.id}", headers=admin.headers), 404)
    assert_problem(api.get(f"/api/v1/items/{item['id']}", headers=admin.headers), 404)
    again = api.get("/api/v1/users/me", headers=member.headers)
    if USERS_MANAGED_BY_THE_IDENTITY_PROVIDER:
        assert again.json()["id"] != str(member.id)
    else:
        assert_problem(again, 401)


def test_missing_user_is_404_without_its_id(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    admin = make_principal(Kind.ADMIN)
    missing = uuid.uuid4()

    problem = assert_problem(
        api.patch(f"/api/v1/users/{missing}", json={}, headers=admin.headers), 404
    )

    assert str(missing) not in problem["detail"]


def test_migrate_creates_no_account_unless_configured(
    new_database_url: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No default accounts: the first superuser comes from configured secrets only."""
    url = new_database_url()
    monkeypatch.setenv("DATABASE_URL", url)

    assert main(["migrate"]) == 0

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(User)) == 0
    finally:
        engine.dispose()
