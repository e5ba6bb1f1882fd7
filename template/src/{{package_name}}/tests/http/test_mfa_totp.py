"""The TOTP second factor over HTTP (CONTRACT.md, [jwt, mfa=totp]): enrolment confirmed by
a code, logins finished by a code or a recovery code, each accepted once, the mfa_token
single-use and no bearer token, disabling with password and code, roles that must enrol.
"""

import json
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from ...core.clock import utcnow
from ...core.models import User
from ...core.security.jwt.totp.models import MfaChallenge, RecoveryCode, TotpCredential
from ..adapter import build_app, client_for
from ..conftest import SettingsFactory
from ..fixtures.auth_jwt import PASSWORD, UserFactory
from ..fixtures.mfa_totp import code_at, enrol, wrong_code
from ..helpers import assert_problem
from ..log_capture import LogCapture
from ..principals import Kind

LOGIN = "/api/v1/auth/login"
VERIFY = "/api/v1/auth/mfa/verify"
TOTP = "/api/v1/auth/mfa/totp"
CONFIRM = "/api/v1/auth/mfa/totp/confirm"
ME = "/api/v1/users/me"
NEW_PASSWORD = "amber-lantern-orchard-73"  # noqa: S105  # pragma: allowlist secret


def log_in(api: httpx.Client, email: str, password: str = PASSWORD) -> dict[str, Any]:
    response = api.post(LOGIN, json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def bearer(pair: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}


def enrolled_user(api: httpx.Client, make_user: UserFactory) -> tuple[User, str, list[str]]:
    """A member with TOTP active: the user, the secret and the recovery codes."""
    user = make_user(Kind.MEMBER)
    secret, recovery_codes = enrol(api, bearer(log_in(api, user.email)), PASSWORD)
    return user, secret, recovery_codes


def spend_current_step(db_sessions: sessionmaker[Session], user: User) -> None:
    """Forget the step the enrolment spent, so the next code of this step is fresh."""
    with db_sessions() as db:
        db.execute(
            update(TotpCredential)
            .where(TotpCredential.user_id == user.id)
            .values(last_used_step=TotpCredential.last_used_step - 1)
        )
        db.commit()


def test_enrolment_counts_only_once_confirmed(api: httpx.Client, make_user: UserFactory) -> None:
    user = make_user(Kind.MEMBER)
    headers = bearer(log_in(api, user.email))

    started = api.post(TOTP, json={"current_password": PASSWORD}, headers=headers)

    assert started.status_code == 201
    assert set(started.json()) == {"secret", "otpauth_uri"}
    assert api.get(ME, headers=headers).json()["mfa_enabled"] is False
    assert "access_token" in log_in(api, user.email), "not active before its confirmation"
    wrong = api.post(CONFIRM, json={"code": wrong_code(started.json()["secret"])}, headers=headers)
    assert_problem(wrong, 401)
    confirmed = api.post(CONFIRM, json={"code": code_at(started.json()["secret"])}, headers=headers)
    assert confirmed.status_code == 200
    recovery_codes = confirmed.json()["recovery_codes"]
    assert len(recovery_codes) == len(set(recovery_codes)) == 10
    assert api.get(ME, headers=headers).json()["mfa_enabled"] is True


def test_enrolment_needs_the_current_password(api: httpx.Client, make_user: UserFactory) -> None:
    headers = bearer(log_in(api, make_user(Kind.MEMBER).email))

    response = api.post(TOTP, json={"current_password": NEW_PASSWORD}, headers=headers)

    assert_problem(response, 401)


def test_the_otpauth_uri_describes_the_rfc_6238_defaults(
    api: httpx.Client, make_user: UserFactory
) -> None:
    user = make_user(Kind.MEMBER)
    started = api.post(
        TOTP, json={"current_password": PASSWORD}, headers=bearer(log_in(api, user.email))
    ).json()

    uri = urlsplit(started["otpauth_uri"])
    query = parse_qs(uri.query)
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert query["secret"] == [started["secret"]]
    assert user.email in uri.path.replace("%40", "@")
    assert query.get("digits", ["6"]) == ["6"]
    assert query.get("period", ["30"]) == ["30"]
    assert query.get("algorithm", ["SHA1"]) == ["SHA1"]


def test_login_with_mfa_answers_an_mfa_token_only(
    api: httpx.Client, make_user: UserFactory
) -> None:
    user, _, _ = enrolled_user(api, make_user)

    body = log_in(api, user.email)

    assert body.keys() == {"mfa_required", "mfa_token", "expires_in"}
    assert body["mfa_required"] is True
    assert 0 < body["expires_in"] <= 300


def test_the_mfa_token_is_never_a_bearer_token(api: httpx.Client, make_user: UserFactory) -> None:
    user, _, _ = enrolled_user(api, make_user)
    mfa_token = log_in(api, user.email)["mfa_token"]

    response = api.get(ME, headers={"Authorization": f"Bearer {mfa_token}"})

    assert_problem(response, 401)
    assert "www-authenticate" in response.headers


def test_a_code_turns_the_mfa_token_into_a_token_pair_once(
    api: httpx.Client, make_user: UserFactory, db_sessions: sessionmaker[Session]
) -> None:
    user, secret, _ = enrolled_user(api, make_user)
    spend_current_step(db_sessions, user)
    mfa_token = log_in(api, user.email)["mfa_token"]

    verified = api.post(VERIFY, json={"mfa_token": mfa_token, "code": code_at(secret)})
    again = api.post(VERIFY, json={"mfa_token": mfa_token, "code": code_at(secret)})

    assert verified.status_code == 200
    assert api.get(ME, headers=bearer(verified.json())).status_code == 200
    assert_problem(again, 401)


def test_the_code_that_confirmed_enrolment_is_refused_at_login(
    api: httpx.Client, make_user: UserFactory
) -> None:
    user = make_user(Kind.MEMBER)
    headers = bearer(log_in(api, user.email))
    secret = api.post(TOTP, json={"current_password": PASSWORD}, headers=headers).json()["secret"]
    code = code_at(secret)
    assert api.post(CONFIRM, json={"code": code}, headers=headers).status_code == 200
    mfa_token = log_in(api, user.email)["mfa_token"]

    replayed = api.post(VERIFY, json={"mfa_token": mfa_token, "code": code})

    assert_problem(replayed, 401)


def test_a_spent_code_is_refused_by_another_instance(
    make_settings: SettingsFactory, make_user: UserFactory, db_sessions: sessionmaker[Session]
) -> None:
    """The last used step lives in the database: a second instance refuses the replay."""
    first, second = (client_for(build_app(make_settings())) for _ in range(2))
    user, secret, _ = enrolled_user(first, make_user)
    spend_current_step(db_sessions, user)
    code = code_at(secret)

    accepted = first.post(
        VERIFY, json={"mfa_token": log_in(first, user.email)["mfa_token"], "code": code}
    )
    replayed = second.post(
        VERIFY, json={"mfa_token": log_in(second, user.email)["mfa_token"], "code": code}
    )

    assert accepted.status_code == 200
    assert_problem(replayed, 401)


def test_a_wrong_code_leaves_the_mfa_token_usable(
    api: httpx.Client, make_user: UserFactory, db_sessions: sessionmaker[Session]
) -> None:
    user, secret, _ = enrolled_user(api, make_user)
    spend_current_step(db_sessions, user)
    mfa_token = log_in(api, user.email)["mfa_token"]

    wrong = api.post(VERIFY, json={"mfa_token": mfa_token, "code": wrong_code(secret)})
    right = api.post(VERIFY, json={"mfa_token": mfa_token, "code": code_at(secret)})

    assert_problem(wrong, 401)
    assert right.status_code == 200


def test_an_expired_mfa_token_is_refused(
    api: httpx.Client, make_user: UserFactory, db_sessions: sessionmaker[Session]
) -> None:
    user, secret, _ = enrolled_user(api, make_user)
    spend_current_step(db_sessions, user)
    mfa_token = log_in(api, user.email)["mfa_token"]
    with db_sessions() as db:
        db.execute(
            update(MfaChallenge)
            .where(MfaChallenge.user_id == user.id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        db.commit()

    response = api.post(VERIFY, json={"mfa_token": mfa_token, "code": code_at(secret)})

    assert_problem(response, 401)


def test_a_recovery_code_works_once(api: httpx.Client, make_user: UserFactory) -> None:
    user, _, recovery_codes = enrolled_user(api, make_user)

    first = api.post(
        VERIFY,
        json={
            "mfa_token": log_in(api, user.email)["mfa_token"],
            "recovery_code": recovery_codes[0],
        },
    )
    second = api.post(
        VERIFY,
        json={
            "mfa_token": log_in(api, user.email)["mfa_token"],
            "recovery_code": recovery_codes[0],
        },
    )

    assert first.status_code == 200
    assert_problem(second, 401)


@pytest.mark.parametrize(
    "factors", [{}, {"code": "000000", "recovery_code": "AAAA-AAAA"}], ids=["none", "both"]
)
def test_verification_takes_exactly_one_factor(
    api: httpx.Client, make_user: UserFactory, factors: dict[str, str]
) -> None:
    user, _, _ = enrolled_user(api, make_user)
    mfa_token = log_in(api, user.email)["mfa_token"]

    assert_problem(api.post(VERIFY, json={"mfa_token": mfa_token, **factors}), 422)


def test_wrong_codes_count_in_the_login_buckets(
    make_settings: SettingsFactory, make_user: UserFactory
) -> None:
    """Guessing codes is limited like guessing passwords: the account's bucket fills, and a
    new mfa_token, or a login of that account, is refused with 429."""
    client = client_for(build_app(make_settings(rate_limit_login="3/15minutes")))
    user, secret, _ = enrolled_user(client, make_user)
    mfa_token = log_in(client, user.email)["mfa_token"]

    failures = [
        client.post(VERIFY, json={"mfa_token": mfa_token, "code": wrong_code(secret)}).status_code
        for _ in range(3)
    ]
    refused = client.post(VERIFY, json={"mfa_token": mfa_token, "code": code_at(secret)})
    login = client.post(LOGIN, json={"email": user.email, "password": PASSWORD})

    assert failures == [401, 401, 401]
    assert_problem(refused, 429)
    assert_problem(login, 429)


def test_enrolment_ends_the_other_sessions_and_keeps_this_one(
    api: httpx.Client, make_user: UserFactory
) -> None:
    user = make_user(Kind.MEMBER)
    other, this = log_in(api, user.email), log_in(api, user.email)

    enrol(api, bearer(this), PASSWORD)

    assert_problem(api.get(ME, headers=bearer(other)), 401)
    refreshed = api.post("/api/v1/auth/refresh", json={"refresh_token": other["refresh_token"]})
    assert_problem(refreshed, 401)
    assert api.get(ME, headers=bearer(this)).status_code == 200
    kept = api.post("/api/v1/auth/refresh", json={"refresh_token": this["refresh_token"]})
    assert kept.status_code == 200


def test_disabling_needs_the_password_and_a_current_code(
    api: httpx.Client, make_user: UserFactory, db_sessions: sessionmaker[Session]
) -> None:
    user = make_user(Kind.MEMBER)
    headers = bearer(log_in(api, user.email))
    secret, _ = enrol(api, headers, PASSWORD)
    spend_current_step(db_sessions, user)

    wrong_password = api.request(
        "DELETE",
        TOTP,
        json={"current_password": NEW_PASSWORD, "code": code_at(secret)},
        headers=headers,
    )
    wrong = api.request(
        "DELETE",
        TOTP,
        json={"current_password": PASSWORD, "code": wrong_code(secret)},
        headers=headers,
    )
    with LogCapture() as logs:
        disabled = api.request(
            "DELETE",
            TOTP,
            json={"current_password": PASSWORD, "code": code_at(secret)},
            headers=headers,
        )

    assert_problem(wrong_password, 401)
    assert_problem(wrong, 401)
    assert disabled.status_code == 204
    assert logs.events("mfa_disabled")
    assert api.get(ME, headers=headers).json()["mfa_enabled"] is False
    assert "access_token" in log_in(api, user.email)


def test_a_password_change_keeps_mfa(api: httpx.Client, make_user: UserFactory) -> None:
    user = make_user(Kind.MEMBER)
    pair = log_in(api, user.email)
    enrol(api, bearer(pair), PASSWORD)

    changed = api.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=bearer(pair),
    )

    assert changed.status_code == 204
    assert log_in(api, user.email, NEW_PASSWORD).keys() >= {"mfa_required", "mfa_token"}


def test_a_role_that_must_enrol_reaches_its_account_only(
    make_settings: SettingsFactory, make_user: UserFactory
) -> None:
    client = client_for(build_app(make_settings(mfa_required_roles="member")))
    user = make_user(Kind.MEMBER)
    headers = bearer(log_in(client, user.email))

    items = client.get("/api/v1/items", headers=headers)
    password = client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=headers,
    )

    for refused in (items, password):
        assert assert_problem(refused, 403)["type"].endswith("mfa-enrollment-required")
    assert client.get(ME, headers=headers).status_code == 200
    enrol(client, headers, PASSWORD)
    assert client.get("/api/v1/items", headers=headers).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204


def test_a_role_not_listed_need_not_enrol(
    make_settings: SettingsFactory, make_user: UserFactory
) -> None:
    client = client_for(build_app(make_settings(mfa_required_roles="superuser,admin")))
    headers = bearer(log_in(client, make_user(Kind.MEMBER).email))

    assert client.get("/api/v1/items", headers=headers).status_code == 200


def test_the_database_holds_no_plaintext_secret_or_recovery_code(
    api: httpx.Client, make_user: UserFactory, db_sessions: sessionmaker[Session]
) -> None:
    user, secret, recovery_codes = enrolled_user(api, make_user)

    with db_sessions() as db:
        stored = db.scalars(
            select(TotpCredential.secret_ciphertext).where(TotpCredential.user_id == user.id)
        ).one()
        digests = db.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id))
        rows = [
            json.dumps(list(row), default=str)
            for model in (TotpCredential, RecoveryCode, MfaChallenge)
            for row in db.execute(select(model.__table__))
        ]
        stored_digests = list(digests)

    assert secret not in stored
    assert len(stored_digests) == 10
    dump = "\n".join(rows)
    assert secret not in dump
    normalized = [code.replace("-", "") for code in recovery_codes]
    assert [code for code in recovery_codes + normalized if code in dump] == []


def test_mfa_events_are_logged_without_codes_or_secrets(
    api: httpx.Client, make_user: UserFactory, db_sessions: sessionmaker[Session]
) -> None:
    with LogCapture() as logs:
        user, secret, recovery_codes = enrolled_user(api, make_user)
        spend_current_step(db_sessions, user)
        mfa_token = log_in(api, user.email)["mfa_token"]
        wrong = wrong_code(secret)
        api.post(VERIFY, json={"mfa_token": mfa_token, "code": wrong})
        api.post(VERIFY, json={"mfa_token": mfa_token, "recovery_code": recovery_codes[0]})
        pair = log_in(api, user.email)
        code = code_at(secret)

    lines = [line for line in logs.lines() if line.get("logger") != "httpx"]
    dump = "\n".join(json.dumps(line) for line in lines)
    events = {line["event"] for line in lines}
    assert {"mfa_enrolled", "mfa_verification_failed", "recovery_code_used"} <= events
    # Codes are six digits, which timestamps hold too: looked for as whole JSON strings.
    codes = [json.dumps(value) for value in (wrong, code)]
    leaked = [value for value in (secret, mfa_token, *recovery_codes, *codes) if value in dump]
    assert leaked == []
    assert pair["mfa_required"] is True
