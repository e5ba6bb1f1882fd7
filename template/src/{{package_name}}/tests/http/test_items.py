"""Items over HTTP: validation, object-level checks, identical 404s, no mass assignment."""

import uuid
from typing import Any

import httpx
import pytest

from ..helpers import assert_problem, secret_field_names
from ..options import SECRETS_SHOWN_ONCE
from ..principals import Kind, Principal, PrincipalFactory

ITEM_FIELDS = {"id", "owner_id", "title", "description", "link", "created_at", "updated_at"}


def create_item(api: httpx.Client, owner: Principal, **fields: str) -> dict[str, Any]:
    response = api.post("/api/v1/items", json={"title": "an item", **fields}, headers=owner.headers)
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    return item


def test_member_creates_an_item_they_own(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    member = make_principal(Kind.MEMBER)

    item = create_item(
        api, member, description="plain <b>text</b>", link="https://example.com/docs?page=2"
    )

    assert set(item) == ITEM_FIELDS
    assert item["owner_id"] == str(member.id)
    assert item["description"] == "plain <b>text</b>"
    assert item["link"] == "https://example.com/docs?page=2"


ACTIVE_MARKUP = (
    '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">'
)


def test_markup_in_a_description_comes_back_cleaned(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    """Descriptions may carry formatting; nh3 drops scripts, handlers and unsafe links."""
    member = make_principal(Kind.MEMBER)

    created = create_item(api, member, description=f"<p><b>kept</b></p>{ACTIVE_MARKUP}")
    path = f"/api/v1/items/{created['id']}"
    updated = api.patch(path, json={"description": ACTIVE_MARKUP}, headers=member.headers).json()
    listed = api.get(path, headers=member.headers)

    assert created["description"].startswith("<p><b>kept</b></p>")
    for text in (created["description"], updated["description"], listed.text):
        assert "<script" not in text
        assert "onerror" not in text
        assert "javascript:" not in text
        assert "alert(" not in text


def test_markup_in_a_title_is_kept_as_plain_text(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    """Titles are text, never markup: stored as sent and returned as a JSON string, which
    clients encode when they display it; nothing is served as HTML."""
    member = make_principal(Kind.MEMBER)

    response = api.post("/api/v1/items", json={"title": ACTIVE_MARKUP}, headers=member.headers)

    assert response.status_code == 201
    assert response.json()["title"] == ACTIVE_MARKUP
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_superuser_owns_no_items(api: httpx.Client, make_principal: PrincipalFactory) -> None:
    superuser = make_principal(Kind.SUPERUSER)

    response = api.post("/api/v1/items", json={"title": "x"}, headers=superuser.headers)

    assert_problem(response, 403)


@pytest.mark.parametrize(
    "fields",
    [
        {"title": ""},
        {"title": "x" * 201},
        {"title": 42},
        {"title": "x", "description": "x" * 2001},
        {"title": "x", "link": "http://example.com/"},
        {"title": "x", "link": "https://user:pass@example.com/"},  # pragma: allowlist secret
        {"title": "x", "link": "https://127.0.0.1/"},
        {"title": "x", "link": "https://10.0.0.8/"},
        {"title": "x", "link": "https://169.254.169.254/latest/meta-data"},
        {"title": "x", "link": "https://[::1]/"},
        {"title": "x", "link": "https://localhost/"},
        {"title": "x", "link": "https://db.internal/"},
        {"title": "x", "link": "javascript:alert(1)"},
    ],
    ids=lambda fields: str(fields)[:60],
)
def test_invalid_item_is_refused(
    api: httpx.Client, make_principal: PrincipalFactory, fields: dict[str, Any]
) -> None:
    member = make_principal(Kind.MEMBER)

    assert_problem(api.post("/api/v1/items", json=fields, headers=member.headers), 422)


@pytest.mark.parametrize("field", ["id", "owner_id", "tenant_id", "created_at"])
def test_item_bodies_refuse_unknown_fields(
    api: httpx.Client, make_principal: PrincipalFactory, field: str
) -> None:
    member = make_principal(Kind.MEMBER)
    item = create_item(api, member)
    value = str(uuid.uuid4())

    created = api.post("/api/v1/items", json={"title": "x", field: value}, headers=member.headers)
    updated = api.patch(f"/api/v1/items/{item['id']}", json={field: value}, headers=member.headers)

    assert_problem(created, 422)
    assert_problem(updated, 422)


def test_items_are_listed_in_an_envelope(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    member = make_principal(Kind.MEMBER)
    item = create_item(api, member)

    first = api.get("/api/v1/items", headers=member.headers).json()
    page = api.get(
        "/api/v1/items", params={"limit": 100, "offset": 0}, headers=member.headers
    ).json()

    assert set(first) == {"items", "total", "limit", "offset"}
    assert (first["limit"], first["offset"]) == (20, 0)
    assert item["id"] in {listed["id"] for listed in page["items"]} or page["total"] > 100
    assert_problem(api.get("/api/v1/items?limit=101", headers=member.headers), 422)


def test_another_member_reads_but_cannot_write(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    owner, other = make_principal(Kind.MEMBER), make_principal(Kind.MEMBER)
    item = create_item(api, owner)
    path = f"/api/v1/items/{item['id']}"

    assert api.get(path, headers=other.headers).json() == item
    assert_problem(api.patch(path, json={"title": "mine now"}, headers=other.headers), 403)
    assert_problem(api.delete(path, headers=other.headers), 403)
    assert api.get(path, headers=owner.headers).json()["title"] == "an item"


@pytest.mark.parametrize("kind", [Kind.ADMIN, Kind.SUPERUSER])
def test_admins_write_any_item(
    api: httpx.Client, make_principal: PrincipalFactory, kind: Kind
) -> None:
    owner, admin = make_principal(Kind.MEMBER), make_principal(kind)
    item = create_item(api, owner)
    path = f"/api/v1/items/{item['id']}"

    updated = api.patch(path, json={"title": "moderated", "link": None}, headers=admin.headers)

    assert updated.status_code == 200
    assert updated.json()["title"] == "moderated"
    assert updated.json()["owner_id"] == str(owner.id)
    assert api.delete(path, headers=admin.headers).status_code == 204


def test_owner_updates_and_deletes(api: httpx.Client, make_principal: PrincipalFactory) -> None:
    owner = make_principal(Kind.MEMBER)
    item = create_item(api, owner, description="old")
    path = f"/api/v1/items/{item['id']}"

    updated = api.patch(path, json={"description": "new"}, headers=owner.headers)
    assert updated.status_code == 200
    assert (updated.json()["title"], updated.json()["description"]) == ("an item", "new")
    assert_problem(api.patch(path, json={"title": None}, headers=owner.headers), 422)

    assert api.delete(path, headers=owner.headers).status_code == 204
    assert_problem(api.get(path, headers=owner.headers), 404)


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_missing_item_is_404_with_the_same_body_and_no_id(
    api: httpx.Client, make_principal: PrincipalFactory, method: str
) -> None:
    member = make_principal(Kind.MEMBER)
    first, second = uuid.uuid4(), uuid.uuid4()
    body: dict[str, str] | None = {} if method == "PATCH" else None

    answers = [
        assert_problem(
            api.request(method, f"/api/v1/items/{missing}", json=body, headers=member.headers),
            404,
        )
        for missing in (first, second)
    ]

    for answer in answers:
        answer.pop("request_id")
        answer.pop("instance", None)
    assert answers[0] == answers[1]
    assert str(first) not in str(answers[0])


def referenced_schemas(node: object) -> set[str]:
    """Names of the components a piece of an OpenAPI document refers to."""
    if isinstance(node, dict):
        own = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
        return own.union(*(referenced_schemas(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(referenced_schemas(value) for value in node))
    return set()


def test_no_response_schema_names_a_credential(api: httpx.Client) -> None:
    """Every successful response of the API, described by its schema: no password, hash or
    secret field anywhere in it (API-key creation returns its key under `key`), but for a
    secret a route shows once by design (SECRETS_SHOWN_ONCE)."""
    document = api.get("/openapi.json").json()
    components = document["components"]["schemas"]
    pending = {
        name
        for path, operations in document["paths"].items()
        if not path.startswith("/_probe")
        for operation in operations.values()
        for status, response in operation["responses"].items()
        if status.startswith("2")
        for name in referenced_schemas(response)
    }
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        seen.add(name)
        pending |= referenced_schemas(components[name]) - seen

    assert seen
    named = [
        (name, field)
        for name in seen
        for field in secret_field_names(components[name].get("properties"))
    ]
    assert [pair for pair in named if pair not in SECRETS_SHOWN_ONCE] == []
