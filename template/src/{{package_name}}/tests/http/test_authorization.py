"""Every route declares a policy, and every route answers every kind of caller as declared.

The matrix is generated from the policies the routes declare and checked with real calls;
`EXPECTED_POLICIES` pins the declarations themselves to the contract.
"""

import uuid

import httpx
import pytest

from ..adapter import App
from ..helpers import assert_problem
from ..options import CREDENTIAL_ROUTES, TENANT_ROUTES
from ..principals import ANONYMOUS, Kind, PrincipalFactory
from ..web_routes import Policy, Route, declared_policies, synthetic_principal

EXPECTED_POLICIES: dict[Route, Policy] = {
    ("GET", "/health"): Policy.PUBLIC,
    ("GET", "/health/ready"): Policy.PUBLIC,
    ("GET", "/api/v1/users/me"): Policy.ACCOUNT,
    ("GET", "/api/v1/users"): Policy.ADMIN,
    ("POST", "/api/v1/users"): Policy.ADMIN,
    ("PATCH", "/api/v1/users/{user_id}"): Policy.ADMIN,
    ("DELETE", "/api/v1/users/{user_id}"): Policy.ADMIN,
    ("POST", "/api/v1/items"): Policy.MEMBER,
    ("GET", "/api/v1/items"): Policy.AUTHENTICATED,
    ("GET", "/api/v1/items/{item_id}"): Policy.AUTHENTICATED,
    ("PATCH", "/api/v1/items/{item_id}"): Policy.AUTHENTICATED,
    ("DELETE", "/api/v1/items/{item_id}"): Policy.AUTHENTICATED,
    ("POST", "/api/v1/items/{item_id}/attachments"): Policy.AUTHENTICATED,
    **CREDENTIAL_ROUTES,
    **TENANT_ROUTES,
}


def test_every_route_declares_exactly_one_policy(api_app: App) -> None:
    undeclared = [
        route for route, policies in declared_policies(api_app).items() if len(policies) != 1
    ]

    assert undeclared == []


def test_declared_policies_match_the_contract(api_app: App) -> None:
    declared = {route: policies[0] for route, policies in declared_policies(api_app).items()}

    assert declared == EXPECTED_POLICIES


def expected_status(policy: Policy, kind: Kind) -> str:
    if policy is Policy.PUBLIC:
        return "allowed"
    if kind is Kind.ANONYMOUS:
        return "401"
    return "allowed" if policy.allows(synthetic_principal(kind)) else "403"


def observed_status(response: httpx.Response) -> str:
    return str(response.status_code) if response.status_code in (401, 403) else "allowed"


@pytest.mark.parametrize("route", sorted(EXPECTED_POLICIES), ids=" ".join)
def test_route_answers_each_kind_of_caller_as_declared(
    route: Route, api_app: App, api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    method, path = route
    (policy,) = declared_policies(api_app)[route]
    url = path.replace("{user_id}", str(uuid.uuid4())).replace("{item_id}", str(uuid.uuid4()))
    url = url.replace("{key_id}", str(uuid.uuid4()))
    body: dict[str, str] | None = {} if method in ("POST", "PATCH") else None
    expected: dict[Kind, str] = {}
    observed: dict[Kind, str] = {}
    for kind in Kind:
        principal = ANONYMOUS if kind is Kind.ANONYMOUS else make_principal(kind)
        response = api.request(method, url, json=body, headers=principal.headers)
        expected[kind] = expected_status(policy, kind)
        observed[kind] = observed_status(response)
        if response.status_code == 401:
            assert "www-authenticate" in response.headers

    assert observed == expected


def test_a_refusal_names_the_rule(api: httpx.Client, make_principal: PrincipalFactory) -> None:
    superuser, member = make_principal(Kind.SUPERUSER), make_principal(Kind.MEMBER)

    item = api.post("/api/v1/items", json={"title": "x"}, headers=superuser.headers)
    users = api.get("/api/v1/users", headers=member.headers)

    assert assert_problem(item, 403)["detail"] == (
        "Superusers own no items: do this as an admin or a member."
    )
    assert assert_problem(users, 403)["detail"] == "This needs the admin role."
