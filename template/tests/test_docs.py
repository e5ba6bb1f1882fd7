"""Interactive docs and the OpenAPI schema are off in production unless enabled."""

import httpx
import pytest

from tests.helpers import assert_problem

DOCS_PATHS = ["/docs", "/openapi.json"]


@pytest.mark.parametrize("settings", [{"app_env": "production"}], indirect=True)
@pytest.mark.parametrize("path", DOCS_PATHS)
def test_docs_are_disabled_in_production(client: httpx.Client, path: str) -> None:
    assert_problem(client.get(path), 404)


@pytest.mark.parametrize("settings", [{"app_env": "development"}], indirect=True)
@pytest.mark.parametrize("path", DOCS_PATHS)
def test_docs_are_served_in_development(client: httpx.Client, path: str) -> None:
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "settings", [{"app_env": "production", "docs_enabled": True}], indirect=True
)
def test_docs_can_be_enabled_in_production(client: httpx.Client) -> None:
    assert client.get("/openapi.json").status_code == 200


@pytest.mark.parametrize(
    "settings", [{"app_env": "development", "docs_enabled": False}], indirect=True
)
def test_docs_can_be_disabled_in_development(client: httpx.Client) -> None:
    assert_problem(client.get("/docs"), 404)
