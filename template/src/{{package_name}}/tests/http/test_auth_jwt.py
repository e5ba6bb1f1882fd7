"""Password login, access tokens and refresh-token families, attacked over HTTP."""

import base64
import json
import time
import uuid
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from structlog.testing import capture_logs

from ...cli import main
from ...core.choices import password_hasher
from ...core.security.jwt.models import PasswordCredential
from ...core.security.jwt.tokens import AccessTokens, InvalidAccessTokenError
from ..fixtures.auth_jwt import JWT_SECRET, PASSWORD, UserFactory
from ..helpers import (
    FORGED_CLAIMS,
    SettingsRefusal,
    assert_problem,
    changed_claims,
    secret_field_names,
)
from ..principals import Kind, Principal, PrincipalFactory, unique_email

ME = "/api/v1/users/me"
LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
PASSWORD_CHANGE = "/api/v1/auth/password"  # noqa: S105 (a path)
NEW_PASSWORD = "quiet-lantern-orchard-77"  # noqa: S105  # pragma: allowlist secret
WRONG_PASSWORD = "not-my-password"  # noqa: S105  # pragma: allowlist secret
GUESSABLE_PASSWORD = "1q2w3e4r5t6y"  # noqa: S105  # pragma: allowlist secret
HASH_PREFIXES = {"argon2id": "$argon2id$v=19$m=19456,t=2,p=1$", "bcrypt": "$2b$12$"}
INVALID_TOKEN = 'Bearer error="invalid_token"'  # noqa: S105 (a challenge)
# The example key of FastAPI's JWT tutorial: 32 bytes, published.
# pragma: allowlist nextline secret
FASTAPI_DOCS_KEY = "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login(api: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    return api.post(LOGIN, json={"email": email, "password": password})


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def valid_claims(principal: Principal) -> dict[str, Any]:
    """The claims of the principal's own access token, to forge variants of it."""
    token = principal.headers["Authorization"].removeprefix("Bearer ")
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def signed(claims: dict[str, Any], **headers: str) -> str:
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256", headers={"typ": "at+jwt", **headers})


class TestLogin:
    def test_login_returns_a_token_pair(self, api: httpx.Client, make_user: UserFactory) -> None:
        user = make_user()

        response = login(api, user.email.upper())

        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in"}
        assert body["token_type"] == "bearer"  # noqa: S105 (the OAuth token type)
        assert 0 < body["expires_in"] <= 900
        assert api.get(ME, headers=bearer(body["access_token"])).json()["id"] == str(user.id)

    def test_access_token_has_the_claims_of_the_profile(
        self, api: httpx.Client, make_user: UserFactory
    ) -> None:
        token = login(api, make_user().email).json()["access_token"]

        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})

        assert header["alg"] == "HS256"
        assert header["typ"] == "at+jwt"
        assert {"iss", "aud", "sub", "exp", "iat", "nbf", "jti", "sid", "type"} <= set(claims)
        assert claims["exp"] - claims["iat"] <= 900

    def test_unknown_user_and_wrong_password_get_the_same_answer(
        self, api: httpx.Client, make_user: UserFactory
    ) -> None:
        user = make_user()

        answers = [
            login(api, unique_email("nobody")),
            login(api, user.email, WRONG_PASSWORD),
            login(api, "not an email at all"),
        ]

        bodies = []
        for answer in answers:
            body = assert_problem(answer, 401)
            assert answer.headers["www-authenticate"] == "Bearer"
            body.pop("request_id")
            bodies.append(body)
        assert bodies[0] == bodies[1] == bodies[2]

    def test_inactive_user_cannot_log_in(
        self,
        api: httpx.Client,
        make_user: UserFactory,
        db_sessions: sessionmaker[Session],
    ) -> None:
        user = make_user()
        with db_sessions() as db:
            db.merge(user).is_active = False
            db.commit()

        assert_problem(login(api, user.email), 401)

    @pytest.mark.parametrize(
        ("email", "password"),
        [("x" * 321, PASSWORD), ("a@example.com", "é" * 513), ("a@example.com", None)],
        ids=["email-over-320", "password-over-1024-bytes", "password-missing"],
    )
    def test_oversized_or_missing_login_fields_are_422(
        self, api: httpx.Client, email: str, password: str | None
    ) -> None:
        body = {"email": email, "password": password} if password else {"email": email}

        assert_problem(api.post(LOGIN, json=body), 422)

    def test_outdated_hash_is_upgraded_at_login(
        self,
        api: httpx.Client,
        make_user: UserFactory,
        db_sessions: sessionmaker[Session],
    ) -> None:
        user = make_user()
        name, value = next(iter(password_hasher.PARAMETERS.items()))
        outdated = password_hasher.make_hasher(
            **{**password_hasher.PARAMETERS, name: value - 1}
        ).hash(PASSWORD)
        with db_sessions() as db:
            db.get_one(PasswordCredential, user.id).password_hash = outdated
            db.commit()

        assert login(api, user.email).status_code == 200

        with db_sessions() as db:
            upgraded = db.get_one(PasswordCredential, user.id).password_hash
        assert upgraded != outdated
        assert not password_hasher.HASHER.current_hasher.check_needs_rehash(upgraded)

    def test_hashes_meet_the_minimum_cost(
        self, api: httpx.Client, make_user: UserFactory, db_sessions: sessionmaker[Session]
    ) -> None:
        """argon2id: m >= 19 MiB, t >= 2, p >= 1 (OWASP); bcrypt: cost >= 12."""
        minimums = {"memory_cost": 19_456, "time_cost": 2, "parallelism": 1, "rounds": 12}
        with db_sessions() as db:
            stored = db.get_one(PasswordCredential, make_user().id).password_hash

        assert all(value >= minimums[name] for name, value in password_hasher.PARAMETERS.items())
        assert stored.startswith(HASH_PREFIXES[password_hasher.ALGORITHM])
        assert not password_hasher.HASHER.current_hasher.check_needs_rehash(stored)


class TestAccessTokens:
    def test_no_credential_is_401_with_a_challenge(self, api: httpx.Client) -> None:
        response = api.get(ME)

        assert_problem(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"

    @pytest.mark.parametrize(
        "authorization",
        ["Bearer garbage", "Bearer ", "Basic dXNlcjpwYXNz", "bearer a.b.c", "Token x"],
    )
    def test_garbage_credential_is_401(self, api: httpx.Client, authorization: str) -> None:
        response = api.get(ME, headers={"Authorization": authorization})

        assert_problem(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")

    def test_token_in_the_query_string_is_refused(
        self, api: httpx.Client, make_principal: PrincipalFactory
    ) -> None:
        token = make_principal(Kind.MEMBER).headers["Authorization"].removeprefix("Bearer ")

        response = api.get(ME, params={"access_token": token})

        assert_problem(response, 401)

    @pytest.mark.parametrize(
        "change",
        [
            *FORGED_CLAIMS,
            pytest.param({"type": "refresh"}, id="wrong-type"),
            pytest.param({"sub": str(uuid.uuid4())}, id="sub"),
            pytest.param({"sid": str(uuid.uuid4())}, id="sid"),
        ],
    )
    def test_forged_claims_are_refused(
        self, api: httpx.Client, make_principal: PrincipalFactory, change: dict[str, Any]
    ) -> None:
        claims = changed_claims(valid_claims(make_principal(Kind.MEMBER)), change)

        response = api.get(ME, headers=bearer(signed(claims)))

        assert_problem(response, 401)
        assert response.headers["www-authenticate"] == INVALID_TOKEN

    @pytest.mark.parametrize("claim", ["exp", "iat", "jti", "sid", "aud", "iss", "type"])
    def test_token_missing_a_claim_is_refused(
        self, api: httpx.Client, make_principal: PrincipalFactory, claim: str
    ) -> None:
        claims = valid_claims(make_principal(Kind.MEMBER))
        del claims[claim]

        assert_problem(api.get(ME, headers=bearer(signed(claims))), 401)

    def test_wrong_header_type_is_refused(
        self, api: httpx.Client, make_principal: PrincipalFactory
    ) -> None:
        claims = valid_claims(make_principal(Kind.MEMBER))

        assert_problem(api.get(ME, headers=bearer(signed(claims, typ="JWT"))), 401)

    def test_tampered_signature_or_payload_is_refused(
        self, api: httpx.Client, make_principal: PrincipalFactory
    ) -> None:
        member = make_principal(Kind.MEMBER)
        token = member.headers["Authorization"].removeprefix("Bearer ")
        header, payload, signature = token.split(".")
        escalated = b64({**valid_claims(member), "sub": str(uuid.uuid4())})
        flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]

        for forged in (f"{header}.{escalated}.{signature}", f"{header}.{payload}.{flipped}"):
            assert_problem(api.get(ME, headers=bearer(forged)), 401)

    def test_alg_none_and_stripped_signature_are_refused(
        self, api: httpx.Client, make_principal: PrincipalFactory
    ) -> None:
        member = make_principal(Kind.MEMBER)
        token = member.headers["Authorization"].removeprefix("Bearer ")
        header, payload, _ = token.split(".")
        none_header = b64({"alg": "none", "typ": "at+jwt"})

        for forged in (f"{none_header}.{payload}.", f"{header}.{payload}.", f"{header}.{payload}"):
            assert_problem(api.get(ME, headers=bearer(forged)), 401)

    def test_forged_key_headers_are_ignored(
        self, api: httpx.Client, make_principal: PrincipalFactory
    ) -> None:
        """jwk, jku and kid cannot bring their own key: only JWT_SECRET with HS256 verifies."""
        claims = valid_claims(make_principal(Kind.MEMBER))
        attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = RSAAlgorithm.to_jwk(attacker.public_key(), as_dict=True)
        forged = [
            jwt.encode(claims, attacker, algorithm="RS256", headers={"typ": "at+jwt", "jwk": jwk}),
            jwt.encode(
                claims,
                attacker,
                algorithm="RS256",
                headers={"typ": "at+jwt", "jku": "https://evil.example/jwks"},
            ),
            jwt.encode(
                claims,
                "known-contents-of-a-file-the-kid-names",
                algorithm="HS256",
                headers={"typ": "at+jwt", "kid": "../../../../etc/hostname"},
            ),
        ]

        for token in forged:
            assert_problem(api.get(ME, headers=bearer(token)), 401)

    def test_refresh_token_is_not_an_access_token(
        self, api: httpx.Client, make_principal: PrincipalFactory
    ) -> None:
        member = make_principal(Kind.MEMBER)

        response = api.get(ME, headers=bearer(member.extras["refresh_token"]))

        assert_problem(response, 401)
        assert response.headers["www-authenticate"] == INVALID_TOKEN

    def test_token_signed_with_another_secret_is_refused(
        self, api: httpx.Client, make_principal: PrincipalFactory
    ) -> None:
        member = make_principal(Kind.MEMBER)
        other = AccessTokens(SecretStr("another-secret-" + "k" * 40 + "Xy9"), timedelta(minutes=5))
        claims = valid_claims(member)

        token = other.issue(member.id, uuid.UUID(claims["sid"]))

        assert_problem(api.get(ME, headers=bearer(token)), 401)

    def test_a_verified_token_is_refused_once_it_expires(self) -> None:
        """Verified tokens are kept to skip checking their signature again, never past
        their expiry."""
        tokens = AccessTokens(SecretStr(JWT_SECRET), timedelta(seconds=1))
        token = tokens.issue(uuid.uuid4(), uuid.uuid4())
        expires_at = tokens.verify(token).expires_at

        time.sleep(max(0.0, expires_at - time.time()) + 0.01)

        with pytest.raises(InvalidAccessTokenError):
            tokens.verify(token)


class TestRefresh:
    def test_refresh_rotates_the_pair(
        self, api: httpx.Client, make_principal: PrincipalFactory
    ) -> None:
        member = make_principal(Kind.MEMBER)

        response = api.post(REFRESH, json={"refresh_token": member.extras["refresh_token"]})

        assert response.status_code == 200
        pair = response.json()
        assert pair["refresh_token"] != member.extras["refresh_token"]
        assert api.get(ME, headers=bearer(pair["access_token"])).status_code == 200
        again = api.post(REFRESH, json={"refresh_token": pair["refresh_token"]})
        assert again.status_code == 200

    def test_reuse_revokes_the_family_and_is_logged(
        self, api: httpx.Client, make_principal: PrincipalFactory
    ) -> None:
        member = make_principal(Kind.MEMBER)
        stolen = member.extras["refresh_token"]
        rotated = api.post(REFRESH, json={"refresh_token": stolen}).json()

        with capture_logs() as logs:
            reuse = api.post(REFRESH, json={"refresh_token": stolen})

        assert_problem(reuse, 401)
        assert reuse.headers["www-authenticate"] == INVALID_TOKEN
        assert any(entry["event"] == "refresh_token_reuse" for entry in logs)
        after = api.post(REFRESH, json={"refresh_token": rotated["refresh_token"]})
        assert_problem(after, 401)
        assert_problem(api.get(ME, headers=bearer(rotated["access_token"])), 401)
        assert_problem(api.get(ME, headers=member.headers), 401)

    def test_refresh_tokens_are_stored_as_digests(
        self, make_principal: PrincipalFactory, db_sessions: sessionmaker[Session]
    ) -> None:
        from ...core.security.jwt.models import RefreshToken

        token = make_principal(Kind.MEMBER).extras["refresh_token"]

        assert len(base64.urlsafe_b64decode(token + "=")) >= 32
        with db_sessions() as db:
            stored = db.scalars(select(RefreshToken.token_hash)).all()
        assert stored
        assert all(token not in value for value in stored)

    @pytest.mark.parametrize("token", ["unknown", "", "x" * 5000])
    def test_unknown_refresh_token_is_401(self, api: httpx.Client, token: str) -> None:
        assert_problem(api.post(REFRESH, json={"refresh_token": token}), 401)

    def test_missing_refresh_token_is_422(self, api: httpx.Client) -> None:
        assert_problem(api.post(REFRESH, json={}), 422)

    def test_access_token_is_not_a_refresh_token(
        self, api: httpx.Client, make_principal: PrincipalFactory
    ) -> None:
        token = make_principal(Kind.MEMBER).headers["Authorization"].removeprefix("Bearer ")

        assert_problem(api.post(REFRESH, json={"refresh_token": token}), 401)

    def test_family_ends_at_its_absolute_lifetime(
        self,
        api: httpx.Client,
        make_principal: PrincipalFactory,
        db_sessions: sessionmaker[Session],
    ) -> None:
        from ...core.clock import utcnow
        from ...core.security.jwt.models import RefreshSession

        member = make_principal(Kind.MEMBER)
        with db_sessions() as db:
            for session in db.scalars(
                select(RefreshSession).where(RefreshSession.user_id == member.id)
            ):
                session.expires_at = utcnow() - timedelta(seconds=1)
            db.commit()

        response = api.post(REFRESH, json={"refresh_token": member.extras["refresh_token"]})

        assert_problem(response, 401)
        assert_problem(api.get(ME, headers=member.headers), 401)


class TestLogout:
    @pytest.mark.parametrize("send_refresh_token", [True, False])
    def test_logout_ends_the_family_and_denies_the_access_token(
        self, api: httpx.Client, make_principal: PrincipalFactory, send_refresh_token: bool
    ) -> None:
        member = make_principal(Kind.MEMBER)
        refresh_token = member.extras["refresh_token"]
        body = {"refresh_token": refresh_token} if send_refresh_token else None

        response = api.post(LOGOUT, json=body, headers=member.headers)

        assert response.status_code == 204
        assert_problem(api.get(ME, headers=member.headers), 401)
        assert_problem(api.post(REFRESH, json={"refresh_token": refresh_token}), 401)

    @pytest.mark.parametrize("body", [b"null", b"[]"])
    def test_logout_refuses_a_body_that_is_not_an_object(
        self, api: httpx.Client, make_principal: PrincipalFactory, body: bytes
    ) -> None:
        """The body is optional, but one that is sent is an object (JSON null is no absence)."""
        member = make_principal(Kind.MEMBER)
        headers = {**member.headers, "Content-Type": "application/json"}

        response = api.post(LOGOUT, content=body, headers=headers)

        assert_problem(response, 422)
        assert api.get(ME, headers=member.headers).status_code == 200

    def test_logout_keeps_other_sessions(self, api: httpx.Client, make_user: UserFactory) -> None:
        email = make_user().email
        first, second = login(api, email).json(), login(api, email).json()

        api.post(LOGOUT, headers=bearer(first["access_token"]))

        assert api.get(ME, headers=bearer(second["access_token"])).status_code == 200


class TestPasswords:
    def test_password_change_revokes_every_token(
        self, api: httpx.Client, make_user: UserFactory
    ) -> None:
        email = make_user().email
        first, second = login(api, email).json(), login(api, email).json()

        response = api.post(
            PASSWORD_CHANGE,
            json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
            headers=bearer(first["access_token"]),
        )

        assert response.status_code == 204
        for pair in (first, second):
            assert_problem(api.get(ME, headers=bearer(pair["access_token"])), 401)
            assert_problem(api.post(REFRESH, json={"refresh_token": pair["refresh_token"]}), 401)
        assert_problem(login(api, email), 401)
        assert login(api, email, NEW_PASSWORD).status_code == 200

    def test_wrong_current_password_is_refused(
        self, api: httpx.Client, make_principal: PrincipalFactory
    ) -> None:
        member = make_principal(Kind.MEMBER)

        response = api.post(
            PASSWORD_CHANGE,
            json={"current_password": WRONG_PASSWORD, "new_password": NEW_PASSWORD},
            headers=member.headers,
        )

        assert_problem(response, 401)
        assert api.get(ME, headers=member.headers).status_code == 200

    @pytest.mark.parametrize(
        "new_password",
        ["short-pass1", "x" * 129, "qwerty123456", "QwertyQwerty"],
        ids=["11-chars", "129-chars", "common", "common-mixed-case"],
    )
    def test_policy_refuses_weak_passwords(
        self, api: httpx.Client, make_principal: PrincipalFactory, new_password: str
    ) -> None:
        member = make_principal(Kind.MEMBER)

        response = api.post(
            PASSWORD_CHANGE,
            json={"current_password": PASSWORD, "new_password": new_password},
            headers=member.headers,
        )

        problem = assert_problem(response, 422)
        assert new_password not in response.text
        assert [error["loc"] for error in problem["errors"]] == [["body", "new_password"]]

    def test_long_unicode_passwords_follow_the_byte_limit_of_the_hash(
        self, api: httpx.Client, make_principal: PrincipalFactory
    ) -> None:
        """bcrypt reads 72 bytes: longer passwords are refused, never truncated."""
        member = make_principal(Kind.MEMBER)
        new_password = "é" * 40  # 40 characters, 80 bytes
        limit = password_hasher.MAX_PASSWORD_BYTES

        response = api.post(
            PASSWORD_CHANGE,
            json={"current_password": PASSWORD, "new_password": new_password},
            headers=member.headers,
        )

        assert response.status_code == (422 if limit is not None and limit < 80 else 204)

    def test_admin_sets_a_first_password(
        self, api: httpx.Client, make_principal: PrincipalFactory
    ) -> None:
        admin = make_principal(Kind.ADMIN)
        email = unique_email("invited")

        created = api.post(
            "/api/v1/users", json={"email": email, "password": NEW_PASSWORD}, headers=admin.headers
        )
        weak = api.post(
            "/api/v1/users",
            json={"email": unique_email("weak"), "password": "qwertyqwerty"},
            headers=admin.headers,
        )

        assert created.status_code == 201
        assert secret_field_names(created.json()) == []
        assert_problem(weak, 422)
        assert login(api, email, NEW_PASSWORD).status_code == 200


class TestSettings:
    @pytest.mark.parametrize(
        "secret",
        ["s" * 40, "too-short-for-hs256", "change-me-" * 5, FASTAPI_DOCS_KEY, "mysecretkey" * 4],
        ids=["repetitive", "short", "placeholder", "published", "word-repeated"],
    )
    def test_weak_jwt_secret_stops_the_service(
        self, settings_refusal: SettingsRefusal, secret: str
    ) -> None:
        refusal = settings_refusal(JWT_SECRET=secret)

        assert {problem.name for problem in refusal.problems} == {"JWT_SECRET"}
        assert secret not in str(refusal)

    @pytest.mark.usefixtures("database_in_env")
    @pytest.mark.parametrize("command", ["check-config", "serve"])
    def test_published_jwt_secret_stops_the_commands(
        self,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        command: str,
    ) -> None:
        monkeypatch.setenv("JWT_SECRET", FASTAPI_DOCS_KEY)

        assert main([command]) == 1

        output = capsys.readouterr()
        assert "JWT_SECRET: is published" in output.err
        assert FASTAPI_DOCS_KEY not in output.out + output.err

    @pytest.mark.parametrize("ttl", ["901", "0"])
    def test_access_token_lifetime_is_at_most_15_minutes(
        self, settings_refusal: SettingsRefusal, ttl: str
    ) -> None:
        refusal = settings_refusal(ACCESS_TOKEN_TTL_SECONDS=ttl)

        assert {problem.name for problem in refusal.problems} == {"ACCESS_TOKEN_TTL_SECONDS"}


class TestFirstSuperuser:
    @pytest.mark.usefixtures("database_in_env")
    def test_migrate_creates_the_configured_superuser_once(
        self, api: httpx.Client, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        email = unique_email("root")
        monkeypatch.setenv("FIRST_SUPERUSER_EMAIL", email)
        monkeypatch.setenv("FIRST_SUPERUSER_PASSWORD", NEW_PASSWORD)

        assert main(["migrate"]) == 0
        assert main(["migrate"]) == 0

        pair = login(api, email, NEW_PASSWORD).json()
        me = api.get(ME, headers=bearer(pair["access_token"])).json()
        assert me["is_superuser"] is True

    def test_weak_first_superuser_password_stops_the_service(
        self, settings_refusal: SettingsRefusal
    ) -> None:
        refusal = settings_refusal(
            FIRST_SUPERUSER_EMAIL=unique_email("root"), FIRST_SUPERUSER_PASSWORD=GUESSABLE_PASSWORD
        )

        assert {problem.name for problem in refusal.problems} == {"FIRST_SUPERUSER_PASSWORD"}


class TestUnstorableCredentials:
    """Text the database cannot store is a bad credential (401), never a 500."""

    @pytest.mark.parametrize("text", ["\x00", "\ud800"], ids=["nul", "surrogate"])
    def test_unstorable_login_email_or_password_is_401(
        self, api: httpx.Client, make_user: UserFactory, text: str
    ) -> None:
        user = make_user()
        local, _, domain = user.email.partition("@")

        for body in (
            {"email": f"{local}{text}@{domain}", "password": PASSWORD},
            {"email": user.email, "password": f"{PASSWORD}{text}"},
        ):
            answer = api.post(
                LOGIN, content=json.dumps(body), headers={"content-type": "application/json"}
            )

            assert_problem(answer, 401)
            assert answer.headers["www-authenticate"] == "Bearer"

    @pytest.mark.parametrize("text", ["\x00", "\ud800"], ids=["nul", "surrogate"])
    def test_unstorable_refresh_token_is_401(self, api: httpx.Client, text: str) -> None:
        answer = api.post(
            REFRESH,
            content=json.dumps({"refresh_token": f"token{text}"}),
            headers={"content-type": "application/json"},
        )

        assert_problem(answer, 401)
