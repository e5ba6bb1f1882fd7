"""HEAD on every GET route, and the complete Allow list on OPTIONS and 405 answers, the
same on every framework (the route table of core/http/routes.py)."""

import re
import uuid
from collections import defaultdict

import httpx
import pytest

from ..adapter import App
from ..helpers import assert_problem
from ..principals import Kind, PrincipalFactory
from ..web_routes import declared_policies

# Headers that differ between any two answers.
PER_ANSWER_HEADERS = {"date", "x-request-id", "ratelimit-remaining", "ratelimit-reset"}
ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def url_of(path: str) -> str:
    return re.sub(r"\{\w+\}", str(uuid.uuid4()), path)


def declared_methods(app: App) -> dict[str, set[str]]:
    methods: dict[str, set[str]] = defaultdict(set)
    for method, path in declared_policies(app):
        methods[path].add(method)
    return methods


def expected_allow(methods: set[str]) -> str:
    allowed = methods | {"OPTIONS"} | ({"HEAD"} if "GET" in methods else set())
    return ", ".join(method for method in ORDER if method in allowed)


def comparable(response: httpx.Response) -> dict[str, str]:
    return {
        name: value for name, value in response.headers.items() if name not in PER_ANSWER_HEADERS
    }


def test_head_answers_every_get_route_as_get_does_without_a_body(
    api_app: App, api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    headers = make_principal(Kind.ADMIN).headers
    get_routes = [path for path, methods in declared_methods(api_app).items() if "GET" in methods]
    assert {"/health", "/api/v1/items"} <= set(get_routes)
    for path in get_routes:
        url = url_of(path)
        got = api.get(url, headers=headers)
        head = api.head(url, headers=headers)

        assert (head.status_code, comparable(head)) == (got.status_code, comparable(got)), path
        assert head.content == b"", path


def test_options_lists_every_method_of_every_route(api_app: App, api: httpx.Client) -> None:
    for path, methods in declared_methods(api_app).items():
        response = api.options(url_of(path))

        assert response.status_code == 204, path
        assert response.headers["allow"] == expected_allow(methods), path
        assert response.content == b""


def test_options_of_an_item_lists_its_methods(api: httpx.Client) -> None:
    response = api.options(f"/api/v1/items/{uuid.uuid4()}")

    assert response.headers["allow"] == "GET, HEAD, PATCH, DELETE, OPTIONS"


def test_method_not_allowed_carries_the_complete_allow_list(api: httpx.Client) -> None:
    response = api.put(f"/api/v1/items/{uuid.uuid4()}", json={})

    assert_problem(response, 405)
    assert response.headers["allow"] == "GET, HEAD, PATCH, DELETE, OPTIONS"


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_a_literal_segment_is_matched_before_a_parameter(api: httpx.Client, method: str) -> None:
    """/users/me is its own route: not /users/{user_id} with "me" as the id (422)."""
    response = api.request(method, "/api/v1/users/me", json={})

    assert_problem(response, 405)
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"


def test_unknown_path_is_404_for_every_method(api: httpx.Client) -> None:
    for method in ("GET", "HEAD", "POST", "OPTIONS"):
        response = api.request(method, "/api/v1/no-such-route")

        assert response.status_code == 404, method
        assert "allow" not in response.headers
