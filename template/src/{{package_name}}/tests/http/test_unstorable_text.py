"""Text a database cannot store (NUL characters, unpaired surrogates) is invalid input:
422, never a 500, in bodies and query strings, on every database."""

import json

import httpx
import pytest

from ..helpers import assert_problem
from ..principals import Kind, PrincipalFactory, unique_email

NUL = "\x00"
SURROGATE = "\ud800"
UNSTORABLE = pytest.mark.parametrize("text", [NUL, SURROGATE], ids=["nul", "surrogate"])


def post_raw(api: httpx.Client, path: str, body: object, headers: dict[str, str]) -> httpx.Response:
    """JSON as a client may send it: `\\u0000` and `\\ud800` escapes are valid JSON."""
    content = json.dumps(body)
    return api.post(path, content=content, headers={**headers, "content-type": "application/json"})


@UNSTORABLE
def test_unstorable_text_in_any_body_field_is_422(
    api: httpx.Client, make_principal: PrincipalFactory, text: str
) -> None:
    member, admin = make_principal(Kind.MEMBER), make_principal(Kind.ADMIN)
    item = post_raw(api, "/api/v1/items", {"title": "an item"}, member.headers).json()

    answers = [
        post_raw(api, "/api/v1/items", {"title": f"a{text}b"}, member.headers),
        post_raw(api, "/api/v1/items", {"title": "t", "description": text}, member.headers),
        post_raw(
            api, "/api/v1/items", {"title": "t", "link": f"https://e.com/{text}"}, member.headers
        ),
        post_raw(api, "/api/v1/users", {"email": f"a{text}b@example.com"}, admin.headers),
        post_raw(api, "/api/v1/users", {"email": unique_email("u"), "role": text}, admin.headers),
        api.patch(
            f"/api/v1/items/{item['id']}",
            content=json.dumps({"title": f"x{text}"}),
            headers={**member.headers, "content-type": "application/json"},
        ),
    ]

    for answer in answers:
        body = assert_problem(answer, 422)
        assert text not in answer.text
        assert body["errors"]


@pytest.mark.parametrize("value", ["1%00", "%00", "%ED%A0%80", "1%ED%A0%80"])
def test_unstorable_text_in_a_query_is_422(
    api: httpx.Client, make_principal: PrincipalFactory, value: str
) -> None:
    member = make_principal(Kind.MEMBER)

    for name in ("limit", "offset"):
        answer = api.get(f"/api/v1/items?{name}={value}", headers=member.headers)

        assert_problem(answer, 422)
