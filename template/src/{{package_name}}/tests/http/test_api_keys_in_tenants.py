"""API keys in a service with tenants: keys stay within their tenant, and the command line
names the tenant of a key it creates."""

import uuid

import httpx
import pytest

from ...cli import main
from ..helpers import assert_problem
from ..principals import Kind, Principal, PrincipalFactory
from .test_auth_api_key import create_key

ME = "/api/v1/users/me"
KEYS = "/api/v1/api-keys"
CHALLENGE = 'ApiKey header="X-API-Key"'


def test_admins_manage_the_keys_of_their_tenant_only(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    admin, superuser = make_principal(Kind.ADMIN), make_principal(Kind.SUPERUSER)
    tenant = api.post(
        "/api/v1/tenants", json={"name": f"keys-{uuid.uuid4()}"}, headers=superuser.headers
    )
    stranger = api.post(
        "/api/v1/users",
        json={"email": f"{uuid.uuid4().hex}@example.com", "tenant_id": tenant.json()["id"]},
        headers=superuser.headers,
    ).json()
    strangers_key = create_key(api, superuser, user_id=stranger["id"]).json()

    def listed_by(principal: Principal) -> set[str]:
        found: set[str] = set()
        while True:
            params = {"limit": 100, "offset": len(found)}
            page = api.get(KEYS, params=params, headers=principal.headers).json()
            found |= {key["id"] for key in page["items"]}
            if len(found) >= page["total"]:
                return found

    assert strangers_key["id"] in listed_by(superuser)
    assert strangers_key["id"] not in listed_by(admin)
    assert_problem(create_key(api, admin, user_id=stranger["id"]), 404)
    assert_problem(api.delete(f"{KEYS}/{strangers_key['id']}", headers=admin.headers), 404)
    assert api.get(ME, headers={"X-API-Key": strangers_key["key"]}).status_code == 200


@pytest.mark.usefixtures("database_in_env")
@pytest.mark.parametrize(
    "arguments",
    [
        ["--role", "member"],
        ["--role", "member", f"--tenant={uuid.uuid4()}"],
        ["--superuser", f"--tenant={uuid.uuid4()}"],
    ],
    ids=["no tenant", "unknown tenant", "superuser with a tenant"],
)
def test_create_api_key_needs_an_existing_tenant_for_a_role(
    arguments: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:

    assert main(["create-api-key", "--name", "ci", *arguments]) == 2
    output = capsys.readouterr()
    assert output.out == ""
    assert "--tenant" in output.err
