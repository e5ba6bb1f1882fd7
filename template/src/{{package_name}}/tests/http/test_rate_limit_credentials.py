"""Credential endpoints count failed attempts per submitted account and per client address.

Either bucket full means 429, so neither rotating addresses (through a trusted proxy here)
nor rotating accounts gets more guesses; a success neither counts nor resets.
"""

import httpx
import pytest

from ..adapter import build_app, client_for
from ..conftest import SettingsFactory
from ..fixtures.auth_jwt import PASSWORD, UserFactory
from ..helpers import assert_problem
from ..principals import Kind, PrincipalFactory, unique_email

LIMIT = 3
LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
PASSWORD_CHANGE = "/api/v1/auth/password"  # noqa: S105 (a path)
WRONG_PASSWORD = "not-my-password"  # noqa: S105  # pragma: allowlist secret
NEW_PASSWORD = "amber-lantern-orchard-73"  # noqa: S105  # pragma: allowlist secret


@pytest.fixture
def client(make_settings: SettingsFactory) -> httpx.Client:
    """Behind a trusted proxy, so each request can come from the address it forwards."""
    settings = make_settings(rate_limit_login=f"{LIMIT}/15minutes", trusted_proxies="10.0.0.0/24")
    return client_for(build_app(settings), peer=("10.0.0.5", 40000))


def login(client: httpx.Client, email: str, password: str, address: str) -> httpx.Response:
    return client.post(
        LOGIN,
        json={"email": email, "password": password},
        headers={"X-Forwarded-For": address},
    )


def test_failed_logins_are_limited_per_account_across_addresses(
    client: httpx.Client, make_user: UserFactory
) -> None:
    email = make_user().email
    for n in range(LIMIT):
        assert login(client, email, WRONG_PASSWORD, f"198.51.100.{n}").status_code == 401

    # The right password from a fresh address: the account's bucket is full.
    refused = login(client, email.upper(), PASSWORD, "198.51.100.200")

    assert_problem(refused, 429)
    assert 0 < int(refused.headers["retry-after"]) <= 15 * 60
    assert refused.headers["ratelimit-limit"] == str(LIMIT)
    assert refused.headers["ratelimit-remaining"] == "0"


def test_unknown_accounts_are_counted_too(client: httpx.Client) -> None:
    email = unique_email("nobody")
    answers = [
        login(client, email, WRONG_PASSWORD, f"198.51.100.{n}").status_code
        for n in range(LIMIT + 1)
    ]

    assert answers == [401] * LIMIT + [429]


def test_failed_logins_are_limited_per_address_across_accounts(
    client: httpx.Client, make_user: UserFactory
) -> None:
    for _ in range(LIMIT):
        assert login(client, unique_email("guess"), WRONG_PASSWORD, "192.0.2.1").status_code == 401

    assert login(client, make_user().email, PASSWORD, "192.0.2.1").status_code == 429
    assert login(client, make_user().email, PASSWORD, "192.0.2.2").status_code == 200


def test_a_success_neither_counts_nor_resets(client: httpx.Client, make_user: UserFactory) -> None:
    email = make_user().email
    address = "203.0.113.50"

    answers = [
        login(client, email, password, address).status_code
        for password in (WRONG_PASSWORD, WRONG_PASSWORD, PASSWORD, WRONG_PASSWORD, PASSWORD)
    ]

    assert answers == [401, 401, 200, 401, 429]


def test_failed_refreshes_are_limited_per_address(client: httpx.Client) -> None:
    def refresh() -> int:
        body = {"refresh_token": "not-a-refresh-token"}
        return client.post(REFRESH, json=body, headers={"X-Forwarded-For": "192.0.2.9"}).status_code

    assert [refresh() for _ in range(LIMIT + 1)] == [401] * LIMIT + [429]


def test_wrong_current_passwords_are_limited(
    client: httpx.Client, make_principal: PrincipalFactory
) -> None:
    member = make_principal(Kind.MEMBER)

    def change(address: str) -> int:
        body = {"current_password": WRONG_PASSWORD, "new_password": NEW_PASSWORD}
        headers = {**member.headers, "X-Forwarded-For": address}
        return client.post(PASSWORD_CHANGE, json=body, headers=headers).status_code

    answers = [change(f"198.51.100.{n}") for n in range(LIMIT + 1)]

    assert answers == [401] * LIMIT + [429]
