"""A service without tenants: no tenant endpoints, and no body may name a tenant."""

import uuid

import httpx

from ..helpers import assert_problem
from ..principals import Kind, PrincipalFactory


def test_tenant_endpoints_do_not_exist(api: httpx.Client, make_principal: PrincipalFactory) -> None:
    superuser = make_principal(Kind.SUPERUSER)

    created = api.post("/api/v1/tenants", json={"name": "acme"}, headers=superuser.headers)
    listed = api.get("/api/v1/tenants", headers=superuser.headers)

    assert_problem(created, 404)
    assert_problem(listed, 404)


def test_tenant_id_in_a_body_is_an_unknown_field(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    admin = make_principal(Kind.ADMIN)
    email = f"placed-{uuid.uuid4().hex[:12]}@example.com"
    body = {"email": email, "role": "member", "tenant_id": str(uuid.uuid4())}

    response = api.post("/api/v1/users", json=body, headers=admin.headers)

    problem = assert_problem(response, 422)
    assert [error["loc"] for error in problem["errors"]] == [["body", "tenant_id"]]
    users = api.get("/api/v1/users", params={"limit": 100}, headers=admin.headers).json()
    assert email not in {user["email"] for user in users["items"]}
