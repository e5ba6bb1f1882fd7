"""Cross-origin requests are allowed only from the configured origins, never with credentials."""

import httpx
import pytest
from pydantic import ValidationError

from ...core.settings import Settings
from ..conftest import SettingsFactory
from ..helpers import assert_problem

ALLOWED = "https://app.example.com"
LOOK_ALIKES = [
    "null",
    "https://app.example.com.evil.example",
    "https://evilapp.example.com",
    "https://app.example.co",
    "http://app.example.com",
    "https://app.example.com:8443",
    "https://evil.example",
]


@pytest.fixture
def settings(request: pytest.FixtureRequest, make_settings: SettingsFactory) -> Settings:
    """Settings allowing ALLOWED, unless a test parametrizes its own."""
    overrides: dict[str, object] = getattr(request, "param", {"cors_origins": [ALLOWED]})
    return make_settings(**overrides)


def preflight(client: httpx.Client, origin: str, method: str = "POST") -> httpx.Response:
    return client.options(
        "/_probe/echo",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "content-type, authorization",
        },
    )


def test_allowed_origin_is_echoed_and_varies(client: httpx.Client) -> None:
    response = client.get("/health", headers={"Origin": ALLOWED})

    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert "Origin" in response.headers["vary"]
    assert "access-control-allow-credentials" not in response.headers


def test_other_origins_are_not_echoed(client: httpx.Client) -> None:
    for origin in LOOK_ALIKES:
        response = client.get("/health", headers={"Origin": origin})
        assert response.status_code == 200
        assert "access-control-allow-origin" not in response.headers, origin
        assert "Origin" in response.headers["vary"]


def test_preflight_from_allowed_origin_is_answered(client: httpx.Client) -> None:
    response = preflight(client, ALLOWED)

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed_headers
    assert "content-type" in allowed_headers
    assert "access-control-allow-credentials" not in response.headers


def test_preflight_from_other_origins_is_a_problem(client: httpx.Client) -> None:
    for origin in LOOK_ALIKES:
        response = preflight(client, origin)
        assert_problem(response, 400)
        assert "access-control-allow-origin" not in response.headers, origin


def test_preflight_for_a_method_not_allowed_is_refused(client: httpx.Client) -> None:
    assert_problem(preflight(client, ALLOWED, method="TRACE"), 400)


@pytest.mark.parametrize(
    "settings", [{"app_env": "development", "cors_origins": "*"}], indirect=True
)
def test_wildcard_in_development_never_comes_with_credentials(client: httpx.Client) -> None:
    response = client.get("/health", headers={"Origin": "https://anywhere.example"})

    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers


@pytest.mark.parametrize("app_env", ["production", "test"])
@pytest.mark.parametrize("origins", ["*", f"{ALLOWED},*", "null", f"{ALLOWED}/"])
def test_wildcard_and_non_origins_are_refused_at_start(
    make_settings: SettingsFactory, app_env: str, origins: str
) -> None:
    with pytest.raises(ValidationError, match="cors_origins"):
        make_settings(app_env=app_env, cors_origins=origins)
