"""Interactive docs and the OpenAPI schema are off in production unless enabled."""

import base64
import hashlib
from html.parser import HTMLParser

import httpx
import pytest

from ..helpers import assert_problem

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


class PageResources(HTMLParser):
    """What a browser would load for a page: external files by kind, and inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[tuple[str, str]] = []
        self.inline_scripts: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.loads.append(("script-src", str(attributes["src"])))
        elif tag == "script":
            self._in_inline_script = True
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.loads.append(("style-src", str(attributes["href"])))
        elif tag == "link":
            self.loads.append(("img-src", str(attributes["href"])))

    def handle_endtag(self, tag: str) -> None:
        self._in_inline_script = False

    def handle_data(self, data: str) -> None:
        if self._in_inline_script:
            self.inline_scripts.append(data)


def parse_policy(header: str) -> dict[str, list[str]]:
    directives = (directive.split() for directive in header.split(";") if directive.strip())
    return {name: sources for name, *sources in directives}


def allows(sources: list[str], url: str) -> bool:
    return any(source.startswith("https://") and url.startswith(source) for source in sources)


@pytest.mark.parametrize(
    "settings", [{"app_env": "production", "docs_enabled": True}], indirect=True
)
def test_docs_page_gets_a_policy_that_lets_it_render(client: httpx.Client) -> None:
    response = client.get("/docs")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = parse_policy(response.headers["content-security-policy"])
    page = PageResources()
    page.feed(response.text)
    assert page.loads
    assert [url for kind, url in page.loads if not allows(policy[kind], url)] == []
    assert page.inline_scripts
    for script in page.inline_scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert not any("unsafe-eval" in source for sources in policy.values() for source in sources)
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "settings", [{"app_env": "production", "docs_enabled": True}], indirect=True
)
def test_docs_page_loads_the_schema_the_service_serves(client: httpx.Client) -> None:
    page = client.get("/docs").text
    schema = client.get("/openapi.json")

    assert "url: '/openapi.json'" in page
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert schema.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"


@pytest.mark.parametrize("settings", [{"app_env": "development"}], indirect=True)
@pytest.mark.parametrize(
    "path", ["/openapi.json/openapi.json", "/openapi.json/swagger", "/docs/oauth2-redirect"]
)
def test_only_the_docs_paths_exist(client: httpx.Client, path: str) -> None:
    assert_problem(client.get(path), 404)


@pytest.mark.parametrize("settings", [{"app_env": "development"}], indirect=True)
@pytest.mark.parametrize("path", DOCS_PATHS)
def test_docs_answer_head(client: httpx.Client, path: str) -> None:
    response = client.head(path)

    assert response.status_code == 200
    assert response.content == b""


PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


@pytest.mark.parametrize("settings", [{"app_env": "development"}], indirect=True)
def test_every_error_is_declared_as_a_problem(client: httpx.Client) -> None:
    document = client.get("/openapi.json").json()
    operations = [op for path in document["paths"].values() for op in path.values()]

    assert operations
    for operation in operations:
        answers = operation["responses"]
        errors = {status: answer for status, answer in answers.items() if int(status) >= 400}
        assert {"413", "422", "429", "500"} <= errors.keys(), operation["operationId"]
        if "security" in operation:
            assert {"401", "403"} <= errors.keys(), operation["operationId"]
        assert all(answer["content"] == PROBLEM for answer in errors.values())
    assert set(document["components"]["schemas"]["Problem"]["required"]) >= {
        "type",
        "title",
        "status",
        "detail",
        "request_id",
    }
