"""Every response carries the security headers, whatever its status, and leaks no versions.

To cover another status, add an entry to RESPONSES: a name and a function that makes the
app answer with that status (for instance a request without a credential for 401).
"""

from collections.abc import Callable

import httpx
import pytest

from ..adapter import App, client_for
from ..helpers import TEST_HOST
from ..probes import ProbeInput

API_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}
TOO_LARGE = b"x" * (1_048_576 + 1)
VALID = ProbeInput(name="valid", count=1).model_dump(mode="json")

Answer = Callable[[httpx.Client], httpx.Response]
RESPONSES: dict[str, tuple[int, Answer]] = {
    "ok": (200, lambda client: client.get("/health")),
    "ok-with-body": (200, lambda client: client.post("/_probe/echo", json=VALID)),
    "cors-preflight-refused": (
        400,
        lambda client: client.options(
            "/health",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
        ),
    ),
    "unauthenticated": (401, lambda client: client.get("/api/v1/users/me")),
    "not-found": (404, lambda client: client.get("/no-such-path")),
    "method-not-allowed": (405, lambda client: client.delete("/health")),
    "too-large": (413, lambda client: client.post("/_probe/echo", content=TOO_LARGE)),
    "wrong-content-type": (
        415,
        lambda client: client.post(
            "/_probe/echo", content=b"name=x", headers={"content-type": "text/plain"}
        ),
    ),
    "invalid": (422, lambda client: client.post("/_probe/echo", json={"name": ""})),
    "repeated-query": (422, lambda client: client.get("/_probe/page?limit=1&limit=2")),
    "rate-limited": (429, lambda client: client.get("/_probe/rate-limited")),
    "crash": (500, lambda client: client.get("/_probe/crash")),
}


def answers(client: httpx.Client) -> dict[str, httpx.Response]:
    """One response per entry of RESPONSES, checked to have the status it is there for."""
    responses = {name: make(client) for name, (_, make) in RESPONSES.items()}
    statuses = {name: response.status_code for name, response in responses.items()}
    assert statuses == {name: status for name, (status, _) in RESPONSES.items()}
    return responses


def test_every_response_carries_the_security_headers(client: httpx.Client) -> None:
    missing = {
        name: {header: response.headers.get(header) for header in API_HEADERS}
        for name, response in answers(client).items()
        if {header: response.headers.get(header) for header in API_HEADERS} != API_HEADERS
        or "camera=()" not in response.headers.get("permissions-policy", "")
    }
    assert missing == {}


def test_no_response_names_its_software(client: httpx.Client) -> None:
    revealing = {
        name: header
        for name, response in answers(client).items()
        for header in ("server", "x-powered-by")
        if header in response.headers
    }
    assert revealing == {}


def test_no_hsts_over_plain_http(client: httpx.Client) -> None:
    assert "strict-transport-security" not in client.get("/health").headers


def test_hsts_over_https_for_at_least_a_year(client: httpx.Client) -> None:
    for path in ("/health", "/no-such-path", "/_probe/crash"):
        hsts = client.get(f"https://{TEST_HOST}{path}").headers["strict-transport-security"]
        max_age = int(hsts.split(";")[0].removeprefix("max-age="))
        assert max_age >= 31_536_000, path


PROXY = "10.0.0.5"


@pytest.mark.parametrize("settings", [{"trusted_proxies": "10.0.0.0/24"}], indirect=True)
def test_hsts_when_a_trusted_proxy_received_https(app: App) -> None:
    with client_for(app, peer=(PROXY, 40000), raise_server_exceptions=True) as behind_proxy:
        response = behind_proxy.get("/health", headers={"X-Forwarded-Proto": "https"})

    assert "strict-transport-security" in response.headers


@pytest.mark.parametrize("settings", [{"trusted_proxies": "10.0.0.0/24"}], indirect=True)
def test_forwarded_proto_from_an_untrusted_peer_is_ignored(app: App) -> None:
    with client_for(app, peer=("203.0.113.9", 40000), raise_server_exceptions=True) as direct:
        response = direct.get("/health", headers={"X-Forwarded-Proto": "https"})

    assert "strict-transport-security" not in response.headers


def test_forwarded_proto_is_ignored_without_trusted_proxies(app: App) -> None:
    with client_for(app, peer=(PROXY, 40000), raise_server_exceptions=True) as direct:
        response = direct.get("/health", headers={"X-Forwarded-Proto": "https"})

    assert "strict-transport-security" not in response.headers
