"""Tenant isolation over HTTP: two tenants, each with an admin, two members, items and an
attachment, built through the API alone; then every read, list, update and delete of one
tenant is tried on the other's rows, by its members and by its admin.

Another tenant's row is missing: the same 404 as an id that does not exist, and nothing of
it changes. The tenant comes from the credential only: a tenant named in a header, query
or body is never honoured. Superusers are global, and act on a tenant only by naming it.
"""

import struct
import uuid
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from ...core.models import Item, Role
from ...core.repositories import (
    MissingTenantContextError,
    Repository,
    enter_tenant_context,
)
from ...core.tenancy import ALL_TENANTS
from ..adapter import App, client_for
from ..helpers import assert_problem
from ..principals import ANONYMOUS, Enroller, Kind, Principal, PrincipalFactory

ENVELOPE = {"items", "total", "limit", "offset"}
ITEMS_PER_MEMBER = 2
# All in flight at once: far more than the connection pool holds, so requests queue at the
# service's admission and reuse pooled connections across tenants.
CONCURRENT_REQUESTS = 200


def chunk(kind: bytes, data: bytes) -> bytes:
    checksum = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)


# A complete 1x1 greyscale PNG: signature, IHDR, one compressed scanline, IEND.
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    + chunk(b"IEND", b"")
)


@dataclass
class Tenant:
    """One tenant of the world, and what it holds, as its own callers last saw it."""

    id: uuid.UUID
    name: str
    canary: str
    """In the title and description of every item of the tenant, and of no other."""
    admin: Principal
    members: tuple[Principal, Principal]
    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    user_ids: set[str] = field(default_factory=set)
    attached_item: str = ""

    def owner_of(self, item_id: str) -> Principal:
        owner_id = uuid.UUID(self.items[item_id]["owner_id"])
        return next(user for user in (*self.members, self.admin) if user.id == owner_id)


@dataclass
class World:
    superuser: Principal
    a: Tenant
    b: Tenant

    def pairs(self) -> tuple[tuple[Tenant, Tenant], tuple[Tenant, Tenant]]:
        """(caller's tenant, other tenant), both ways round."""
        return (self.a, self.b), (self.b, self.a)


def create_tenant(api: httpx.Client, superuser: Principal, name: str) -> uuid.UUID:
    response = api.post("/api/v1/tenants", json={"name": name}, headers=superuser.headers)
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


def create_item(api: httpx.Client, tenant: Tenant, owner: Principal, title: str) -> str:
    body = {"title": f"{tenant.canary} {title}", "description": f"{tenant.canary} notes"}
    response = api.post("/api/v1/items", json=body, headers=owner.headers)
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    assert item["owner_id"] == str(owner.id)
    tenant.items[item["id"]] = item
    return str(item["id"])


def upload(api: httpx.Client, caller: Principal, item_id: str) -> httpx.Response:
    return api.post(
        f"/api/v1/items/{item_id}/attachments",
        files={"file": ("dot.png", PNG, "image/png")},
        headers=caller.headers,
    )


def build_tenant(api: httpx.Client, superuser: Principal, enroll: Enroller, label: str) -> Tenant:
    name = f"tenant-{label}-{uuid.uuid4().hex[:12]}"
    tenant_id = create_tenant(api, superuser, name)
    tenant = Tenant(
        id=tenant_id,
        name=name,
        canary=f"canary-{label}-{uuid.uuid4().hex}",
        admin=enroll(api, superuser, Role.ADMIN, tenant_id),
        members=(
            enroll(api, superuser, Role.MEMBER, tenant_id),
            enroll(api, superuser, Role.MEMBER, tenant_id),
        ),
    )
    tenant.user_ids = {str(user.id) for user in (tenant.admin, *tenant.members)}
    for number, member in enumerate(tenant.members):
        for index in range(ITEMS_PER_MEMBER):
            create_item(api, tenant, member, f"item {number}-{index}")
    tenant.attached_item = next(iter(tenant.items))
    attached = upload(api, tenant.owner_of(tenant.attached_item), tenant.attached_item)
    assert attached.status_code == 201, attached.text
    return tenant


@pytest.fixture(scope="module")
def built() -> dict[str, World]:
    """Holds the module's world once built: it is made over HTTP by a superuser, whom the
    function-scoped `make_principal` makes, so `world` builds it on first use."""
    return {}


@pytest.fixture
def world(
    api: httpx.Client,
    make_principal: PrincipalFactory,
    enroll: Enroller,
    built: dict[str, World],
) -> World:
    if "world" not in built:
        superuser = make_principal(Kind.SUPERUSER)
        built["world"] = World(
            superuser=superuser,
            a=build_tenant(api, superuser, enroll, "a"),
            b=build_tenant(api, superuser, enroll, "b"),
        )
    return built["world"]


def sameness(response: httpx.Response) -> dict[str, Any]:
    """A 404 problem without what differs from one request to the next."""
    body = assert_problem(response, 404)
    return {name: value for name, value in body.items() if name not in ("request_id", "instance")}


def missing_id() -> str:
    return str(uuid.uuid4())


def every_row(api: httpx.Client, path: str, caller: Principal) -> tuple[list[dict[str, Any]], int]:
    """Every row of a list, page by page, and the total the envelope announced."""
    rows: list[dict[str, Any]] = []
    offset, total = 0, 0
    while offset == 0 or offset < total:
        response = api.get(path, params={"limit": 100, "offset": offset}, headers=caller.headers)
        assert response.status_code == 200, response.text
        page: dict[str, Any] = response.json()
        assert set(page) == ENVELOPE
        assert (page["limit"], page["offset"]) == (100, offset)
        rows += page["items"]
        total = page["total"]
        offset += 100
    return rows, total


def ids(rows: list[dict[str, Any]]) -> set[str]:
    return {str(row["id"]) for row in rows}


def mentions(rows: list[dict[str, Any]], canary: str) -> list[dict[str, Any]]:
    return [row for row in rows if canary in f"{row.get('title')} {row.get('description')}"]


def test_reads_across_tenants_are_404_like_a_missing_id(api: httpx.Client, world: World) -> None:
    for own, other in world.pairs():
        for caller in (own.members[0], own.admin):
            missing = f"/api/v1/items/{missing_id()}"
            missing_item = sameness(api.get(missing, headers=caller.headers))
            for item_id in other.items:
                response = api.get(f"/api/v1/items/{item_id}", headers=caller.headers)
                assert sameness(response) == missing_item
                assert item_id not in response.text
                assert other.canary not in response.text

            missing_upload = sameness(upload(api, caller, missing_id()))
            assert sameness(upload(api, caller, other.attached_item)) == missing_upload

        admin = own.admin.headers
        missing_patch = sameness(api.patch(f"/api/v1/users/{missing_id()}", json={}, headers=admin))
        missing_delete = sameness(api.delete(f"/api/v1/users/{missing_id()}", headers=admin))
        for user in (other.admin, *other.members):
            path = f"/api/v1/users/{user.id}"
            assert sameness(api.patch(path, json={}, headers=admin)) == missing_patch
            assert sameness(api.delete(path, headers=admin)) == missing_delete
            assert api.get("/api/v1/users/me", headers=user.headers).status_code == 200


def test_writes_across_tenants_are_404_and_change_nothing(api: httpx.Client, world: World) -> None:
    hijack = {"title": "hijacked", "description": "hijacked"}
    for own, other in world.pairs():
        for caller in (own.members[0], own.admin):
            headers = caller.headers
            missing = f"/api/v1/items/{missing_id()}"
            missing_patch = sameness(api.patch(missing, json=hijack, headers=headers))
            missing_delete = sameness(api.delete(missing, headers=headers))
            missing_upload = sameness(upload(api, caller, missing_id()))
            for item_id in other.items:
                path = f"/api/v1/items/{item_id}"
                assert sameness(api.patch(path, json=hijack, headers=headers)) == missing_patch
                assert sameness(api.delete(path, headers=headers)) == missing_delete
                assert sameness(upload(api, caller, item_id)) == missing_upload

        admin = own.admin.headers
        demote = {"role": "admin", "is_active": False}
        missing_user = f"/api/v1/users/{missing_id()}"
        missing_patch = sameness(api.patch(missing_user, json=demote, headers=admin))
        missing_delete = sameness(api.delete(missing_user, headers=admin))
        for victim in other.members:
            path = f"/api/v1/users/{victim.id}"
            assert sameness(api.patch(path, json=demote, headers=admin)) == missing_patch
            assert sameness(api.delete(path, headers=admin)) == missing_delete

    for tenant in (world.a, world.b):
        for item_id, created in tenant.items.items():
            owner = tenant.owner_of(item_id)
            response = api.get(f"/api/v1/items/{item_id}", headers=owner.headers)
            assert response.status_code == 200, response.text
            read = response.json()
            for name in ("title", "description", "updated_at"):
                assert read[name] == created[name]
        users, _ = every_row(api, "/api/v1/users", tenant.admin)
        by_id = {row["id"]: row for row in users}
        for member in tenant.members:
            row = by_id[str(member.id)]
            assert (row["role"], row["is_active"]) == ("member", True)
            assert api.get("/api/v1/users/me", headers=member.headers).status_code == 200


def test_lists_and_counts_hold_only_the_callers_tenant(api: httpx.Client, world: World) -> None:
    for own, other in world.pairs():
        for caller in (*own.members, own.admin):
            items, total = every_row(api, "/api/v1/items", caller)
            assert ids(items) == set(own.items)
            assert total == len(items) == len(own.items)
            assert mentions(items, other.canary) == []
            assert len(mentions(items, own.canary)) == len(own.items)

        users, total = every_row(api, "/api/v1/users", own.admin)
        assert ids(users) == own.user_ids
        assert total == len(users) == len(own.user_ids)
        assert str(world.superuser.id) not in ids(users)

    everything, total = every_row(api, "/api/v1/items", world.superuser)
    assert total == len(everything)
    assert ids(everything) >= set(world.a.items) | set(world.b.items)
    assert len(mentions(everything, world.a.canary)) == len(world.a.items)
    assert len(mentions(everything, world.b.canary)) == len(world.b.items)


def test_tenant_id_in_header_query_or_body_is_never_honoured(
    api: httpx.Client, world: World
) -> None:
    a, b = world.a, world.b
    member, admin = a.members[0], a.admin
    naming_b = {**member.headers, "X-Tenant-ID": str(b.id)}
    admin_naming_b = {**admin.headers, "X-Tenant-ID": str(b.id)}

    # A header naming B changes nothing: A's rows, and B's rows stay missing.
    listed = api.get("/api/v1/items", params={"limit": 100}, headers=naming_b)
    assert listed.status_code == 200
    assert ids(listed.json()["items"]) == set(a.items)
    users = api.get("/api/v1/users", params={"limit": 100}, headers=admin_naming_b)
    assert users.status_code == 200
    assert ids(users.json()["items"]) == a.user_ids
    for item_id in b.items:
        assert_problem(api.get(f"/api/v1/items/{item_id}", headers=naming_b), 404)
        path = f"/api/v1/items/{item_id}"
        assert_problem(api.get(path, params={"tenant_id": str(b.id)}, headers=naming_b), 404)

    # A query naming a tenant is an unknown parameter of a list; elsewhere it is ignored.
    for path, caller in (("/api/v1/items", member), ("/api/v1/users", admin)):
        refused = api.get(path, params={"tenant_id": str(b.id)}, headers=caller.headers)
        body = assert_problem(refused, 422)
        assert [error["loc"][-1] for error in body["errors"]] == ["tenant_id"]
    own_item = next(iter(a.items))
    path = f"/api/v1/items/{own_item}"
    assert api.get(path, params={"tenant_id": str(b.id)}, headers=member.headers).status_code == 200

    # In a body: no item names a tenant (422); only superusers place users (403 for admins).
    title = f"{a.canary} tenant in body"
    body_b = {"title": title, "tenant_id": str(b.id)}
    body = assert_problem(api.post("/api/v1/items", json=body_b, headers=member.headers), 422)
    assert [error["loc"] for error in body["errors"]] == [["body", "tenant_id"]]
    for tenant in (b, a):
        email = f"placed-{uuid.uuid4().hex[:12]}@example.com"
        new_user = {"email": email, "role": "member", "tenant_id": str(tenant.id)}
        assert_problem(api.post("/api/v1/users", json=new_user, headers=admin.headers), 403)
    for tenant in (a, b):
        assert ids(every_row(api, "/api/v1/users", tenant.admin)[0]) == tenant.user_ids

    # An item created while naming B in the header and the query lands in A.
    created = api.post(
        "/api/v1/items",
        params={"tenant_id": str(b.id)},
        json={"title": f"{a.canary} header", "description": f"{a.canary} notes"},
        headers=naming_b,
    )
    assert created.status_code == 201, created.text
    item = created.json()
    a.items[item["id"]] = item
    assert api.get(f"/api/v1/items/{item['id']}", headers=a.members[1].headers).status_code == 200
    for caller in (*b.members, b.admin):
        assert_problem(api.get(f"/api/v1/items/{item['id']}", headers=caller.headers), 404)


def test_superuser_acts_across_tenants_explicitly(api: httpx.Client, world: World) -> None:
    superuser, a, b = world.superuser, world.a, world.b

    def new_user(**fields: str) -> httpx.Response:
        email = f"placed-{uuid.uuid4().hex[:12]}@example.com"
        body = {"email": email, "role": "member", **fields}
        return api.post("/api/v1/users", json=body, headers=superuser.headers)

    unplaced = assert_problem(new_user(), 422)
    assert [error["loc"] for error in unplaced["errors"]] == [["body", "tenant_id"]]
    nowhere = assert_problem(new_user(tenant_id=str(uuid.uuid4())), 422)
    assert [error["loc"] for error in nowhere["errors"]] == [["body", "tenant_id"]]

    placed = new_user(tenant_id=str(b.id))
    assert placed.status_code == 201, placed.text
    user_id = placed.json()["id"]
    b.user_ids.add(user_id)
    assert user_id in ids(every_row(api, "/api/v1/users", b.admin)[0])
    assert user_id not in ids(every_row(api, "/api/v1/users", a.admin)[0])
    assert user_id in ids(every_row(api, "/api/v1/users", superuser)[0])

    owned = api.post("/api/v1/items", json={"title": "global"}, headers=superuser.headers)
    assert_problem(owned, 403)

    for tenant in (a, b):
        for item_id, created in tenant.items.items():
            read = api.get(f"/api/v1/items/{item_id}", headers=superuser.headers)
            assert read.status_code == 200, read.text
            assert read.json()["title"] == created["title"]


def test_tenants_endpoints(api: httpx.Client, world: World) -> None:
    superuser = world.superuser
    name = f"tenant-new-{uuid.uuid4().hex[:12]}"

    created = api.post("/api/v1/tenants", json={"name": name}, headers=superuser.headers)
    assert created.status_code == 201, created.text
    tenant = created.json()
    assert set(tenant) >= {"id", "name"}
    assert tenant["name"] == name
    uuid.UUID(tenant["id"])
    again = api.post("/api/v1/tenants", json={"name": name}, headers=superuser.headers)
    assert_problem(again, 409)

    tenants, total = every_row(api, "/api/v1/tenants", superuser)
    assert total == len(tenants)
    listed = {row["id"]: row["name"] for row in tenants}
    assert listed[tenant["id"]] == name
    assert listed[str(world.a.id)] == world.a.name
    assert listed[str(world.b.id)] == world.b.name

    for caller, status in ((world.a.members[0], 403), (world.a.admin, 403), (ANONYMOUS, 401)):
        other_name = {"name": f"tenant-refused-{uuid.uuid4().hex[:12]}"}
        assert_problem(api.get("/api/v1/tenants", headers=caller.headers), status)
        assert_problem(api.post("/api/v1/tenants", json=other_name, headers=caller.headers), status)
    names = {row["name"] for row in every_row(api, "/api/v1/tenants", superuser)[0]}
    assert not any(name.startswith("tenant-refused-") for name in names)


def test_repository_refuses_a_session_without_tenant_context(
    db_sessions: sessionmaker[Session],
) -> None:
    with db_sessions() as db:
        with pytest.raises(MissingTenantContextError):
            Repository(db, Item)
        enter_tenant_context(db, ALL_TENANTS)
        assert Repository(db, Item).context is ALL_TENANTS


def interleaved(app: App, world: World) -> list[tuple[Tenant, Principal, str, httpx.Response]]:
    """CONCURRENT_REQUESTS requests at once, alternating between the tenants: lists, reads
    of the caller's own items, and creations, by the tenant's members and admin."""
    own_items = {tenant.id: list(tenant.items) for tenant in (world.a, world.b)}

    def one(client: httpx.Client, number: int) -> tuple[Tenant, Principal, str, httpx.Response]:
        tenant = world.a if number % 2 == 0 else world.b
        turn = number // 2
        callers = (*tenant.members, tenant.admin)
        caller = callers[turn % len(callers)]
        kind = ("list", "read", "create")[turn % 3]
        if kind == "list":
            params = {"limit": 100}
            response = client.get("/api/v1/items", params=params, headers=caller.headers)
        elif kind == "read":
            item_id = own_items[tenant.id][turn % len(own_items[tenant.id])]
            response = client.get(f"/api/v1/items/{item_id}", headers=caller.headers)
        else:
            body = {"title": f"{tenant.canary} concurrent {turn}"}
            response = client.post("/api/v1/items", json=body, headers=caller.headers)
        return tenant, caller, kind, response

    # Threads, so that the requests overlap in every framework (ASGI or WSGI).
    with client_for(app) as client, ThreadPoolExecutor(max_workers=50) as pool:
        return list(pool.map(lambda number: one(client, number), range(CONCURRENT_REQUESTS)))


def test_concurrent_requests_of_two_tenants_never_cross(
    api: httpx.Client, api_app: App, world: World
) -> None:
    before = {tenant.id: set(tenant.items) for tenant in (world.a, world.b)}
    others = {world.a.id: world.b, world.b.id: world.a}

    results = interleaved(api_app, world)

    assert len(results) == CONCURRENT_REQUESTS
    for tenant, caller, kind, response in results:
        other = others[tenant.id]
        if kind == "create":
            assert response.status_code == 201, response.text
            item: dict[str, Any] = response.json()
            assert item["owner_id"] == str(caller.id)
            assert item["title"].startswith(tenant.canary)
            tenant.items[item["id"]] = item
            continue
        assert response.status_code == 200, response.text
        rows = response.json()["items"] if kind == "list" else [response.json()]
        assert ids(rows) & set(other.items) == set()
        assert mentions(rows, other.canary) == []
        assert len(mentions(rows, tenant.canary)) == len(rows)
        if kind == "list":
            assert before[tenant.id] <= ids(rows)

    # What was created concurrently landed in its creator's tenant, and only there.
    for tenant, other in world.pairs():
        listed, total = every_row(api, "/api/v1/items", tenant.admin)
        assert ids(listed) == set(tenant.items)
        assert total == len(tenant.items)
        for item_id in set(tenant.items) - before[tenant.id]:
            assert_problem(api.get(f"/api/v1/items/{item_id}", headers=other.admin.headers), 404)
