"""OIDC tokens in a service with tenants: the tenant comes from the configured claim and
stays the user's."""

import uuid

import httpx
import pytest

from ..adapter import build_app, client_for
from ..conftest import SettingsFactory
from ..oidc_issuer import Issuer
from ..principals import Kind, PrincipalFactory, unique_email
from .test_auth_oidc import bearer, refused

ME = "/api/v1/users/me"
INVALID_TOKEN = 'Bearer error="invalid_token"'  # noqa: S105 (a challenge)

pytestmark = pytest.mark.usefixtures("tokens_name_the_home_tenant")


def test_tenant_comes_from_the_configured_claim(
    make_settings: SettingsFactory, issuer: Issuer, home_tenant: uuid.UUID
) -> None:
    settings = make_settings(oidc_tenant_claim="org")
    token = issuer.token(str(uuid.uuid4()), org=str(home_tenant), tenant_id=str(uuid.uuid4()))
    with client_for(build_app(settings)) as client:
        assert client.get(ME, headers=bearer(token)).status_code == 200


@pytest.mark.parametrize(
    # A fixed id for the random tenant: parallel workers must collect the same tests.
    "tenant",
    [None, "not-a-uuid", pytest.param(str(uuid.uuid4()), id="unknown-tenant")],
)
def test_token_without_a_known_tenant_is_refused(
    api: httpx.Client, issuer: Issuer, tenant: str | None
) -> None:
    issuer.default_claims = {} if tenant is None else {"tenant_id": tenant}

    refused(api.get(ME, headers=bearer(issuer.token(str(uuid.uuid4())))))


def test_a_user_cannot_move_to_another_tenant(
    api: httpx.Client, issuer: Issuer, make_principal: PrincipalFactory
) -> None:
    superuser = make_principal(Kind.SUPERUSER)
    other = api.post(
        "/api/v1/tenants", json={"name": unique_email("tenant")}, headers=superuser.headers
    )
    subject = str(uuid.uuid4())
    assert api.get(ME, headers=bearer(issuer.token(subject))).status_code == 200

    refused(api.get(ME, headers=bearer(issuer.token(subject, tenant_id=other.json()["id"]))))
