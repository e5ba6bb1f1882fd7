"""No instance keeps a principal: a change made through one instance holds on every other at
once, because each request checks its credential's user (and login session) in the database."""

import httpx

from ...core.settings import Settings
from ..adapter import build_app, client_for
from ..helpers import assert_problem
from ..principals import Kind, PrincipalFactory


def test_a_disabled_user_is_refused_at_once_by_every_instance(
    api: httpx.Client, api_settings: Settings, make_principal: PrincipalFactory
) -> None:
    admin, member = make_principal(Kind.ADMIN), make_principal(Kind.MEMBER)
    with client_for(build_app(api_settings)) as other_instance:
        assert other_instance.get("/api/v1/users/me", headers=member.headers).status_code == 200

        disabled = api.patch(
            f"/api/v1/users/{member.id}", json={"is_active": False}, headers=admin.headers
        )
        assert disabled.status_code == 200

        assert_problem(other_instance.get("/api/v1/users/me", headers=member.headers), 401)
        assert_problem(other_instance.get("/api/v1/items", headers=member.headers), 401)
