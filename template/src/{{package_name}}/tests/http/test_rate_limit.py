"""Every endpoint is rate limited per principal, or per client address when anonymous.

Each test builds an app with a small limit of its own; the other tests run with limits
too high to reach (see GENEROUS_RATE_LIMITS).
"""

import uuid

import httpx
import pytest
from pydantic import ValidationError
from structlog.testing import capture_logs

from ...core.authorization import Principal
from ...core.models import Role
from ...core.rate_limit import principal_key
from ...core.settings import Settings
from ..adapter import build_app, client_for
from ..conftest import SettingsFactory
from ..helpers import assert_problem
from ..principals import Kind, PrincipalFactory

LIMIT = 3
PROXY = "10.0.0.5"
ME = "/api/v1/users/me"


def limited_client(
    make_settings: SettingsFactory, peer: str = "203.0.113.7", **overrides: object
) -> httpx.Client:
    settings = make_settings(rate_limit_default=f"{LIMIT}/minute", **overrides)
    return client_for(build_app(settings), peer=(peer, 40000))


def statuses(responses: list[httpx.Response]) -> list[int]:
    return [response.status_code for response in responses]


def test_defaults_are_the_documented_limits() -> None:
    fields = Settings.model_fields
    assert fields["rate_limit_default"].default == "100/minute"
    assert fields["rate_limit_login"].default == "5/15minutes"


@pytest.mark.parametrize("rate", ["lots", "0/minute", "5/fortnight"])
def test_unparseable_limits_are_refused(make_settings: SettingsFactory, rate: str) -> None:
    with pytest.raises(ValidationError, match="must be a rate"):
        make_settings(rate_limit_default=rate)


def test_responses_carry_the_limit_headers(make_settings: SettingsFactory) -> None:
    client = limited_client(make_settings)

    responses = [client.get("/health") for _ in range(LIMIT)]

    assert statuses(responses) == [200] * LIMIT
    assert [r.headers["ratelimit-limit"] for r in responses] == [str(LIMIT)] * LIMIT
    assert [r.headers["ratelimit-remaining"] for r in responses] == ["2", "1", "0"]
    assert all(0 < int(r.headers["ratelimit-reset"]) <= 60 for r in responses)


def test_over_the_limit_is_429_problem_with_retry_after_and_logged(
    make_settings: SettingsFactory,
) -> None:
    client = limited_client(make_settings)
    for _ in range(LIMIT):
        client.get("/health/ready")

    with capture_logs() as logs:
        refused = client.get("/health/ready")

    assert_problem(refused, 429)
    assert 0 < int(refused.headers["retry-after"]) <= 60
    assert refused.headers["ratelimit-limit"] == str(LIMIT)
    assert refused.headers["ratelimit-remaining"] == "0"
    assert [log["bucket"] for log in logs if log["event"] == "rate_limited"] == ["requests"]


def test_each_principal_has_its_own_limit(
    make_settings: SettingsFactory, make_principal: PrincipalFactory
) -> None:
    client = limited_client(make_settings)
    first, second = make_principal(Kind.MEMBER), make_principal(Kind.MEMBER)

    for _ in range(LIMIT):
        assert client.get(ME, headers=first.headers).status_code == 200
    assert client.get(ME, headers=first.headers).status_code == 429
    # Same address, another principal: its own budget, and the anonymous one is untouched.
    assert client.get(ME, headers=second.headers).status_code == 200
    assert client.get("/health").status_code == 200


def test_keys_include_the_tenant() -> None:
    user, tenant, other_tenant = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    def key(tenant_id: uuid.UUID | None) -> str:
        return principal_key(Principal(user, Role.MEMBER, is_superuser=False, tenant_id=tenant_id))

    assert str(tenant) in key(tenant)
    assert len({key(tenant), key(other_tenant), key(None)}) == 3


def test_bad_credentials_are_limited_per_address(make_settings: SettingsFactory) -> None:
    client = limited_client(make_settings)
    bad = {"Authorization": "Bearer not-a-token", "X-API-Key": "not-a-key"}

    answers = statuses([client.get(ME, headers=bad) for _ in range(LIMIT + 1)])

    assert answers == [401] * LIMIT + [429]


def test_forwarded_for_from_an_untrusted_peer_is_ignored(make_settings: SettingsFactory) -> None:
    client = limited_client(make_settings, trusted_proxies=PROXY)

    answers = statuses(
        [
            client.get("/health", headers={"X-Forwarded-For": f"198.51.100.{n}"})
            for n in range(LIMIT + 1)
        ]
    )

    assert answers == [200] * LIMIT + [429]


def test_without_trusted_proxies_forwarding_headers_are_ignored(
    make_settings: SettingsFactory,
) -> None:
    client = limited_client(make_settings, peer=PROXY)

    answers = statuses(
        [
            client.get("/health", headers={"Forwarded": f"for=198.51.100.{n}"})
            for n in range(LIMIT + 1)
        ]
    )

    assert answers == [200] * LIMIT + [429]


def test_a_trusted_proxy_forwards_the_rightmost_untrusted_address(
    make_settings: SettingsFactory,
) -> None:
    client = limited_client(make_settings, peer=PROXY, trusted_proxies="10.0.0.0/24")

    def via_proxy(forwarded_for: str) -> int:
        return client.get("/health", headers={"X-Forwarded-For": forwarded_for}).status_code

    # The client may prepend anything; the address the proxies appended is the one counted.
    spoofed = [via_proxy(f"192.0.2.{n}, 198.51.100.1, 10.0.0.9") for n in range(LIMIT + 1)]
    assert spoofed == [200] * LIMIT + [429]
    assert via_proxy("198.51.100.2") == 200
    assert client.get("/health", headers={"Forwarded": "for=198.51.100.3"}).status_code == 200


def test_source_ports_do_not_make_new_clients(make_settings: SettingsFactory) -> None:
    client = limited_client(make_settings, peer=PROXY, trusted_proxies="10.0.0.0/24")

    answers = statuses(
        [
            client.get("/health", headers={"X-Forwarded-For": f"198.51.100.1:{4000 + n}"})
            for n in range(LIMIT)
        ]
        + [client.get("/health", headers={"Forwarded": 'for="[2001:db8::1]:4711"'})]
        + [client.get("/health", headers={"Forwarded": "for=198.51.100.1:4711"})]
    )

    assert answers == [200] * LIMIT + [200, 429]
