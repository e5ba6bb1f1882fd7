"""The OIDC resource server over HTTP, against a local issuer serving its JWKS on loopback."""

import base64
import hashlib
import hmac
import json
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization

from ...core.settings import Settings, SettingsError, load_settings
from ..adapter import build_app, client_for
from ..conftest import SettingsFactory
from ..helpers import FORGED_CLAIMS, SettingsRefusal, assert_problem, changed_claims, free_port
from ..oidc_issuer import AUDIENCE, Issuer, Key
from ..principals import unique_email
from ..served import PACKAGE, cli_environment

ME = "/api/v1/users/me"
INVALID_TOKEN = 'Bearer error="invalid_token"'  # noqa: S105 (a challenge)


pytestmark = pytest.mark.usefixtures("tokens_name_the_home_tenant")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def refused(response: httpx.Response) -> None:
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == INVALID_TOKEN


def test_token_from_the_issuer_provisions_the_user_on_first_sight(
    api: httpx.Client, issuer: Issuer
) -> None:
    subject, email = str(uuid.uuid4()), unique_email("oidc")
    token = issuer.token(subject, email=email, roles=["admin"])

    first = api.get(ME, headers=bearer(token))
    second = api.get(ME, headers=bearer(token))

    assert first.status_code == 200
    assert first.json()["email"] == email
    assert first.json()["role"] == "admin"
    assert second.json()["id"] == first.json()["id"]


def test_concurrent_first_requests_of_one_subject_are_all_admitted(
    api: httpx.Client, issuer: Issuer
) -> None:
    token = issuer.token(str(uuid.uuid4()), email=unique_email("oidc"))

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: api.get(ME, headers=bearer(token)), range(8)))

    assert [answer.status_code for answer in answers] == [200] * 8
    assert len({answer.json()["id"] for answer in answers}) == 1


def test_roles_follow_the_configured_claims(api: httpx.Client, issuer: Issuer) -> None:
    subject = str(uuid.uuid4())

    as_superuser = api.get(ME, headers=bearer(issuer.token(subject, roles="superuser admin")))
    as_member = api.get(ME, headers=bearer(issuer.token(subject, roles=[])))

    assert as_superuser.json()["is_superuser"] is True
    assert (as_member.json()["role"], as_member.json()["is_superuser"]) == ("member", False)


@pytest.mark.parametrize(
    "settings",
    [{"oidc_roles_claim": "groups", "oidc_superuser_role": "platform-ops"}],
    indirect=True,
)
def test_claim_names_come_from_settings(client: httpx.Client, issuer: Issuer) -> None:
    token = issuer.token(str(uuid.uuid4()), groups=["platform-ops"], roles=["member"])

    assert client.get(ME, headers=bearer(token)).json()["is_superuser"] is True


def test_explicit_jwks_url_is_used(make_settings: SettingsFactory, issuer: Issuer) -> None:
    settings = make_settings(oidc_jwks_url=issuer.jwks_url)
    with client_for(build_app(settings)) as client:
        assert client.get(ME, headers=bearer(issuer.token(str(uuid.uuid4())))).status_code == 200


def test_the_issuer_module_prints_a_superusers_token_the_service_trusts(
    make_settings: SettingsFactory,
) -> None:
    """The CI's contract job runs the issuer as a module and calls with the token it prints."""
    port = free_port()
    command = [sys.executable, "-m", f"{PACKAGE}.tests.oidc_issuer", "--port", str(port)]
    with subprocess.Popen(
        command, env=cli_environment(), stdout=subprocess.PIPE, text=True
    ) as running:
        try:
            assert running.stdout is not None
            token = running.stdout.readline().strip()
            settings = make_settings(oidc_issuer=f"http://127.0.0.1:{port}", oidc_audience=AUDIENCE)
            with client_for(build_app(settings)) as client:
                me = client.get(ME, headers=bearer(token))
        finally:
            running.terminate()

    assert me.status_code == 200, me.text
    assert me.json()["is_superuser"] is True


def test_no_credential_is_401_with_a_challenge(api: httpx.Client) -> None:
    response = api.get(ME)

    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("authorization", ["Bearer garbage", "Bearer a.b.c", "Basic eDp5"])
def test_garbage_is_refused(api: httpx.Client, authorization: str) -> None:
    assert_problem(api.get(ME, headers={"Authorization": authorization}), 401)


@pytest.mark.parametrize(
    "change",
    [
        *FORGED_CLAIMS,
        pytest.param({"exp": None}, id="no-exp"),
        pytest.param({"sub": None}, id="no-sub"),
    ],
)
def test_invalid_claims_are_refused(
    api: httpx.Client, issuer: Issuer, change: dict[str, Any]
) -> None:
    claims = changed_claims(issuer.claims(str(uuid.uuid4())), change)

    refused(api.get(ME, headers=bearer(issuer.sign(claims))))


def test_tampered_payload_and_signature_are_refused(api: httpx.Client, issuer: Issuer) -> None:
    header, payload, signature = issuer.token(str(uuid.uuid4()), roles=["member"]).split(".")
    escalated = b64(
        json.dumps(
            {**json.loads(base64.urlsafe_b64decode(payload + "==")), "roles": ["superuser"]}
        ).encode()
    )
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]

    refused(api.get(ME, headers=bearer(f"{header}.{escalated}.{signature}")))
    refused(api.get(ME, headers=bearer(f"{header}.{payload}.{flipped}")))


def test_alg_none_and_stripped_signatures_are_refused(api: httpx.Client, issuer: Issuer) -> None:
    header, payload, _ = issuer.token(str(uuid.uuid4())).split(".")
    none_header = b64(json.dumps({"alg": "none", "kid": issuer.keys[0].kid}).encode())

    for forged in (f"{none_header}.{payload}.", f"{header}.{payload}.", f"{header}.{payload}"):
        refused(api.get(ME, headers=bearer(forged)))


def test_hs256_signed_with_the_public_key_is_refused(api: httpx.Client, issuer: Issuer) -> None:
    """The classic HS/RS confusion: the public key used as an HMAC secret."""
    public_pem = (
        issuer.keys[0]
        .private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    _, payload, _ = issuer.token(str(uuid.uuid4())).split(".")
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": issuer.keys[0].kid}).encode())
    signature = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()

    refused(api.get(ME, headers=bearer(f"{header}.{payload}.{b64(signature)}")))


def test_token_of_another_key_under_a_known_kid_is_refused(
    api: httpx.Client, issuer: Issuer
) -> None:
    impostor = Key.rsa()
    impostor.kid = issuer.keys[0].kid

    refused(api.get(ME, headers=bearer(issuer.token(str(uuid.uuid4()), key=impostor))))


def test_embedded_jwk_and_jku_headers_are_ignored(api: httpx.Client, issuer: Issuer) -> None:
    attacker = Key.rsa()
    headers = {"jwk": attacker.public_jwk(), "jku": "https://evil.example/jwks"}

    token = issuer.token(str(uuid.uuid4()), key=attacker, headers=headers)

    refused(api.get(ME, headers=bearer(token)))


def test_unknown_kid_refreshes_the_jwks_at_most_once(api: httpx.Client, issuer: Issuer) -> None:
    api.get(ME, headers=bearer(issuer.token(str(uuid.uuid4()))))
    stranger = Key.ec()
    token = issuer.token(str(uuid.uuid4()), key=stranger)
    before = issuer.jwks_requests

    for _ in range(5):
        refused(api.get(ME, headers=bearer(token)))

    assert issuer.jwks_requests - before == 1


def test_rotated_key_is_picked_up(make_settings: SettingsFactory, issuer: Issuer) -> None:
    with client_for(build_app(make_settings())) as client:
        assert client.get(ME, headers=bearer(issuer.token(str(uuid.uuid4())))).status_code == 200
        rotated = Key.rsa()
        issuer.keys.append(rotated)
        try:
            token = issuer.token(str(uuid.uuid4()), key=rotated)
            assert client.get(ME, headers=bearer(token)).status_code == 200
        finally:
            issuer.keys.remove(rotated)


def test_deactivated_user_is_refused(api: httpx.Client, issuer: Issuer) -> None:
    admin = bearer(issuer.token(str(uuid.uuid4()), roles=["admin"]))
    member = bearer(issuer.token(str(uuid.uuid4())))
    member_id = api.get(ME, headers=member).json()["id"]

    api.patch(f"/api/v1/users/{member_id}", json={"is_active": False}, headers=admin)

    refused(api.get(ME, headers=member))


def test_email_of_another_account_is_not_taken_over(api: httpx.Client, issuer: Issuer) -> None:
    email = unique_email("taken")
    api.get(ME, headers=bearer(issuer.token(str(uuid.uuid4()), email=email)))

    refused(api.get(ME, headers=bearer(issuer.token(str(uuid.uuid4()), email=email))))


@pytest.mark.parametrize(
    ("name", "value"),
    [("OIDC_ISSUER", "http://issuer.example.com"), ("OIDC_JWKS_URL", "ftp://example.com/jwks")],
)
def test_provider_urls_must_be_https(
    settings_refusal: SettingsRefusal, name: str, value: str
) -> None:
    refusal = settings_refusal(**{name: value})

    assert {problem.name for problem in refusal.problems} == {name}


@pytest.mark.usefixtures("database_in_env")
def test_issuer_and_audience_are_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OIDC_ISSUER")
    monkeypatch.delenv("OIDC_AUDIENCE")

    with pytest.raises(SettingsError) as raised:
        load_settings()

    assert {problem.name for problem in raised.value.problems} == {"OIDC_ISSUER", "OIDC_AUDIENCE"}


def test_settings_use_the_test_audience(api_settings: Settings) -> None:
    assert api_settings.oidc_audience == AUDIENCE


@pytest.mark.parametrize("text", ["\x00", "\ud800"], ids=["nul", "surrogate"])
@pytest.mark.parametrize("claim", ["sub", "email"])
def test_unstorable_claims_are_refused(
    api: httpx.Client, issuer: Issuer, claim: str, text: str
) -> None:
    """Users are provisioned from sub and email: text the database cannot store is 401."""
    claims = issuer.claims(str(uuid.uuid4()))
    claims["email"] = unique_email("oidc")
    claims[claim] = f"{claims[claim]}{text}"

    refused(api.get(ME, headers=bearer(issuer.sign(claims))))
