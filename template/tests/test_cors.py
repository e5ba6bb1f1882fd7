"""Cross-origin requests are allowed only from the configured origins."""

import httpx
import pytest

ALLOWED = "https://app.example.com"

pytestmark = pytest.mark.parametrize("settings", [{"cors_origins": [ALLOWED]}], indirect=True)


def preflight(client: httpx.Client, origin: str) -> httpx.Response:
    return client.options(
        "/health",
        headers={"Origin": origin, "Access-Control-Request-Method": "GET"},
    )


def test_preflight_from_allowed_origin_is_answered(client: httpx.Client) -> None:
    response = preflight(client, ALLOWED)

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED


def test_disallowed_origin_is_not_echoed(client: httpx.Client) -> None:
    response = client.get("/health", headers={"Origin": "https://evil.example"})

    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_preflight_from_disallowed_origin_is_refused(client: httpx.Client) -> None:
    response = preflight(client, "https://evil.example")

    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
