"""Hostile or malformed input is refused with a 4xx problem, never a 500 and never stored.

The probe models are built from the same validation primitives as the service's own.
"""

import json

import httpx
import pytest

from ..helpers import assert_problem

ECHO = "/_probe/echo"
VALID: dict[str, object] = {"name": "valid", "count": 1}
LONG = "x" * 10_000


def post_json_text(client: httpx.Client, text: str | bytes) -> httpx.Response:
    return client.post(ECHO, content=text, headers={"content-type": "application/json"})


def with_fields(**fields: object) -> dict[str, object]:
    return {**VALID, **fields}


INVALID_BODIES: list[object] = [
    with_fields(title="before\x00after"),
    with_fields(description="before\x00after"),
    with_fields(title="line\r\nforged"),
    with_fields(title="\x1b[31mred"),
    with_fields(title=LONG),
    with_fields(description=LONG),
    with_fields(title="   "),
    with_fields(count=10**30),
    with_fields(count=-(10**30)),
    with_fields(count="5"),
    with_fields(count=1.0),
    with_fields(count=True),
    with_fields(name=5),
    with_fields(role="owner"),
    with_fields(role="ADMIN"),
    with_fields(owner_id=123),
    with_fields(owner_id="not-a-uuid"),
    with_fields(email="not-an-email"),
    with_fields(email=f"{LONG}@example.com"),
    with_fields(is_superuser=True),
    with_fields(tenant_id="00000000-0000-0000-0000-000000000000"),
    [VALID],
    "just a string",
]


def test_invalid_json_values_are_422(client: httpx.Client) -> None:
    for body in INVALID_BODIES:
        assert_problem(client.post(ECHO, json=body), 422)


MALFORMED_JSON = [
    '{"name": "n", "count": NaN}',
    '{"name": "n", "count": Infinity}',
    '{"name": "n", "count": -Infinity}',
    '{"name": "n", "count": 1e400}',
    '{"name": "n", "count": 1, "title": "\\ud800"}',
    '{"name": "n", "count": ' + "9" * 5000 + "}",
    "[" * 100_000 + "]" * 100_000,
    '{"name": "n", "count": 1',
    "",
]


def test_malformed_json_is_4xx(client: httpx.Client) -> None:
    for text in MALFORMED_JSON:
        response = post_json_text(client, text)
        assert response.status_code in (400, 422), text[:40]
        assert_problem(response, response.status_code)


def test_invalid_utf8_is_4xx(client: httpx.Client) -> None:
    response = post_json_text(client, b'{"name": "\xff\xfe", "count": 1}')

    assert response.status_code in (400, 422)
    assert_problem(response, response.status_code)


def test_json_endpoint_refuses_other_content_types_with_415(client: httpx.Client) -> None:
    for content_type in (
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "application/jsonx",
        "text/json",
    ):
        response = client.post(
            ECHO, content=json.dumps(VALID), headers={"content-type": content_type}
        )
        body = assert_problem(response, 415)
        assert "application/json" in body["detail"]


def test_json_without_content_type_is_415(client: httpx.Client) -> None:
    assert_problem(client.post(ECHO, content=json.dumps(VALID)), 415)


def test_json_content_types_are_accepted(client: httpx.Client) -> None:
    for content_type in (
        "application/json",
        "application/json; charset=utf-8",
        "application/x+json",
    ):
        response = client.post(
            ECHO, content=json.dumps(VALID), headers={"content-type": content_type}
        )
        assert response.status_code == 200, content_type


def test_missing_body_is_422(client: httpx.Client) -> None:
    assert_problem(client.post(ECHO), 422)


def test_strings_that_json_carries_as_text_are_accepted(client: httpx.Client) -> None:
    owner_id = "9a1f7a52-2b4e-4d3c-9f0e-1c2d3e4f5a6b"

    response = client.post(ECHO, json=with_fields(role="admin", owner_id=owner_id))

    assert response.status_code == 200
    assert response.json()["role"] == "admin"
    assert response.json()["owner_id"] == owner_id


def test_repeated_query_parameters_are_422(client: httpx.Client) -> None:
    for query, name in [
        ("limit=5&limit=500", "limit"),
        ("limit=500&limit=5", "limit"),
        ("offset=1&limit=2&offset=3", "offset"),
        ("limit=5&%6cimit=6", "limit"),
        ("limit=1&limit", "limit"),
    ]:
        body = assert_problem(client.get(f"/_probe/page?{query}"), 422)
        assert body["errors"] == [{"loc": ["query", name], "msg": "must not be repeated"}]


def test_pagination_out_of_bounds_is_422(client: httpx.Client) -> None:
    for query in ("limit=0", "limit=101", "limit=-1", "limit=abc", "limit=%00", "offset=-1"):
        assert_problem(client.get(f"/_probe/page?{query}"), 422)
    assert_problem(client.get("/_probe/page?offset=99999999"), 422)


@pytest.mark.parametrize(
    "value", ["1.0", "%2B5", "%205", "5%20", "0x5", "1e1", "5_0", "%D9%A5", "-0", ""]
)
def test_query_integers_are_decimal_digits_only(client: httpx.Client, value: str) -> None:
    """Every framework refuses loose spellings with the same body."""
    for name in ("limit", "offset"):
        body = assert_problem(client.get(f"/_probe/page?{name}={value}"), 422)

        assert body["errors"] == [
            {"loc": ["query", name], "msg": "Value error, must be a whole number written in digits"}
        ]


def test_pagination_is_bounded_with_a_default(client: httpx.Client) -> None:
    assert client.get("/_probe/page").json() == {"limit": 20, "offset": 0}
    assert client.get("/_probe/page?limit=100&offset=40").json() == {"limit": 100, "offset": 40}
