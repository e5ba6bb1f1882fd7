"""API keys over HTTP: the header only, shown once, hashed, revocable, expiring."""

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ...cli import main
from ...core.security.api_key.api_keys import generate_key, key_prefix
from ...core.security.api_key.models import ApiKey
from ..helpers import SettingsRefusal, assert_problem, secret_field_names
from ..options import ADMIN_REACHING_A_SUPERUSER
from ..principals import Kind, Membership, Principal, PrincipalFactory

ME = "/api/v1/users/me"
KEYS = "/api/v1/api-keys"
CHALLENGE = 'ApiKey header="X-API-Key"'


def key_of(principal: Principal) -> str:
    return principal.headers["X-API-Key"]


def create_key(api: httpx.Client, admin: Principal, **fields: object) -> httpx.Response:
    return api.post(KEYS, json={"name": "deploy bot", **fields}, headers=admin.headers)


def test_no_key_is_401_with_the_api_key_challenge(api: httpx.Client) -> None:
    response = api.get(ME)

    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == CHALLENGE


@pytest.mark.parametrize(
    "key",
    [
        "garbage",
        "",
        "ak_0123456789abcdef_" + "x" * 43,
        # A fixed id: parallel workers must collect the same tests.
        pytest.param(generate_key(), id="well-formed-unknown"),
    ],
)
def test_unknown_or_malformed_key_is_401(api: httpx.Client, key: str) -> None:
    response = api.get(ME, headers={"X-API-Key": key})

    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == CHALLENGE


def test_tampered_key_is_401(api: httpx.Client, make_principal: PrincipalFactory) -> None:
    key = key_of(make_principal(Kind.MEMBER))
    tampered = key[:-1] + ("A" if key[-1] != "A" else "B")

    assert_problem(api.get(ME, headers={"X-API-Key": tampered}), 401)


@pytest.mark.parametrize("parameter", ["api_key", "key", "apikey"])
def test_key_in_the_query_string_is_refused(
    api: httpx.Client, make_principal: PrincipalFactory, parameter: str
) -> None:
    member = make_principal(Kind.MEMBER)

    in_query = api.get(ME, params={parameter: key_of(member)})
    in_both = api.get(ME, params={parameter: key_of(member)}, headers=member.headers)

    assert_problem(in_query, 401)
    assert_problem(in_both, 401)


def test_key_as_a_bearer_token_is_refused(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    key = key_of(make_principal(Kind.MEMBER))

    assert_problem(api.get(ME, headers={"Authorization": f"Bearer {key}"}), 401)


def test_key_is_shown_once_and_acts_as_its_user(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    admin, member = make_principal(Kind.ADMIN), make_principal(Kind.MEMBER)

    created = create_key(api, admin, user_id=str(member.id))

    assert created.status_code == 201
    body = created.json()
    assert key_prefix(body["key"]) == body["prefix"]
    assert secret_field_names(body) == []
    me = api.get(ME, headers={"X-API-Key": body["key"]}).json()
    assert me["id"] == str(member.id)
    listed = api.get(KEYS, params={"limit": 100}, headers=admin.headers).json()
    assert set(listed) == {"items", "total", "limit", "offset"}
    assert all("key" not in item and secret_field_names(item) == [] for item in listed["items"])
    assert body["key"] not in str(listed)


def test_key_is_stored_as_a_digest(
    api: httpx.Client, make_principal: PrincipalFactory, db_sessions: sessionmaker[Session]
) -> None:
    key = create_key(api, make_principal(Kind.ADMIN)).json()["key"]

    with db_sessions() as db:
        record = db.scalars(select(ApiKey).where(ApiKey.prefix == key_prefix(key))).one()
    assert key not in record.key_hash
    assert key.split("_", 2)[2] not in record.key_hash


def test_revoked_key_stops_working_at_once(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    admin = make_principal(Kind.ADMIN)
    created = create_key(api, admin).json()
    headers = {"X-API-Key": created["key"]}
    assert api.get(ME, headers=headers).status_code == 200

    revoked = api.delete(f"{KEYS}/{created['id']}", headers=admin.headers)

    assert revoked.status_code == 204
    assert_problem(api.get(ME, headers=headers), 401)
    assert_problem(api.delete(f"{KEYS}/{created['id']}", headers=admin.headers), 404)


def test_expired_key_is_refused(
    api: httpx.Client, make_principal: PrincipalFactory, db_sessions: sessionmaker[Session]
) -> None:
    expires_at = datetime.now(UTC) + timedelta(hours=1)
    created = create_key(api, make_principal(Kind.ADMIN), expires_at=expires_at.isoformat())
    assert created.status_code == 201
    with db_sessions() as db:
        record = db.get_one(ApiKey, uuid.UUID(created.json()["id"]))
        record.expires_at = datetime.now(UTC) - timedelta(days=1)
        db.commit()

    assert_problem(api.get(ME, headers={"X-API-Key": created.json()["key"]}), 401)


@pytest.mark.parametrize(
    "expires_at", ["2000-01-01T00:00:00+00:00", "2999-01-01T00:00:00", "tomorrow"]
)
def test_expiry_must_be_a_future_aware_time(
    api: httpx.Client, make_principal: PrincipalFactory, expires_at: str
) -> None:
    assert_problem(create_key(api, make_principal(Kind.ADMIN), expires_at=expires_at), 422)


@pytest.mark.parametrize("field", ["key", "prefix", "key_hash", "id", "last_used_at"])
def test_key_creation_refuses_unknown_fields(
    api: httpx.Client, make_principal: PrincipalFactory, field: str
) -> None:
    assert_problem(create_key(api, make_principal(Kind.ADMIN), **{field: "x"}), 422)


def test_last_use_is_recorded(api: httpx.Client, make_principal: PrincipalFactory) -> None:
    admin = make_principal(Kind.ADMIN)
    created = create_key(api, admin).json()
    assert created["last_used_at"] is None

    api.get(ME, headers={"X-API-Key": created["key"]})

    total = api.get(KEYS, params={"limit": 1}, headers=admin.headers).json()["total"]
    last_page = {"limit": 100, "offset": max(total - 100, 0)}
    listed = api.get(KEYS, params=last_page, headers=admin.headers).json()["items"]
    (record,) = [item for item in listed if item["id"] == created["id"]]
    assert record["last_used_at"] is not None


def test_only_a_superuser_manages_a_superusers_keys(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    admin, superuser = make_principal(Kind.ADMIN), make_principal(Kind.SUPERUSER)
    superusers_key = create_key(api, superuser).json()

    refused = ADMIN_REACHING_A_SUPERUSER
    assert_problem(create_key(api, admin, user_id=str(superuser.id)), refused)
    assert_problem(api.delete(f"{KEYS}/{superusers_key['id']}", headers=admin.headers), refused)
    assert create_key(api, superuser, user_id=str(superuser.id)).status_code == 201


@pytest.mark.usefixtures("database_in_env")
def test_create_api_key_prints_a_working_key_and_nothing_else(
    api: httpx.Client,
    capsys: pytest.CaptureFixture[str],
    membership: Membership,
) -> None:
    tenant = [f"--tenant={tenant_id}" for tenant_id in membership(Kind.MEMBER).values()]

    assert main(["create-api-key", "--name", "ops", "--superuser"]) == 0
    superuser_key = capsys.readouterr().out.strip()
    assert main(["create-api-key", "--name", "ci", "--role", "member", *tenant]) == 0
    member_key = capsys.readouterr().out.strip()

    assert key_prefix(superuser_key) is not None
    assert api.get(ME, headers={"X-API-Key": superuser_key}).json()["is_superuser"] is True
    member = api.get(ME, headers={"X-API-Key": member_key}).json()
    assert (member["role"], member["is_superuser"]) == ("member", False)


@pytest.mark.usefixtures("database_in_env")
def test_migrate_stores_the_first_superusers_key_once(
    api: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = generate_key()
    monkeypatch.setenv("FIRST_SUPERUSER_API_KEY", key)

    assert main(["migrate"]) == 0
    assert main(["migrate"]) == 0

    assert api.get(ME, headers={"X-API-Key": key}).json()["is_superuser"] is True


@pytest.mark.parametrize("key", ["short", "change-me", "ak_xyz_" + "a" * 43])
def test_malformed_first_superuser_key_stops_the_service(
    settings_refusal: SettingsRefusal, key: str
) -> None:
    refusal = settings_refusal(FIRST_SUPERUSER_API_KEY=key)

    assert {problem.name for problem in refusal.problems} == {"FIRST_SUPERUSER_API_KEY"}
    assert key not in str(refusal)
