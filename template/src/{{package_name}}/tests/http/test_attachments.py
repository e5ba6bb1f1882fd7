"""Attachments over HTTP: the type comes from the content, the size is capped, the file is
stored under a generated name outside any served path, and only who may change the item
may attach to it."""

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ..helpers import assert_problem
from ..principals import Kind, Principal, PrincipalFactory

MIB = 1024 * 1024
LIMIT = 5 * MIB
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 20
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 57
PE = b"MZ\x90\x00\x03" + b"\x00" * 59
BOUNDARY = "attachment-test-boundary"


def item_of(api: httpx.Client, owner: Principal) -> str:
    response = api.post("/api/v1/items", json={"title": "with files"}, headers=owner.headers)
    assert response.status_code == 201, response.text
    item_id: str = response.json()["id"]
    return item_id


def upload(
    api: httpx.Client,
    caller: Principal,
    item_id: str,
    content: bytes,
    *,
    name: str = "picture.png",
    content_type: str = "image/png",
) -> httpx.Response:
    return api.post(
        f"/api/v1/items/{item_id}/attachments",
        files={"file": (name, content, content_type)},
        headers=caller.headers,
    )


def multipart(content: bytes) -> bytes:
    """A multipart body with one file field, built by hand to be sent in chunks."""
    head = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="big.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()
    return head + content + f"\r\n--{BOUNDARY}--\r\n".encode()


def chunks(body: bytes, size: int = 256 * 1024) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(PNG, "image/png"), (JPEG, "image/jpeg"), (PDF, "application/pdf")],
    ids=["png", "jpeg", "pdf"],
)
def test_owner_attaches_an_allowed_file(
    api: httpx.Client,
    make_principal: PrincipalFactory,
    attachments_dir: Path,
    content: bytes,
    content_type: str,
) -> None:
    owner = make_principal(Kind.MEMBER)

    # The declared name and type are ignored: the content decides.
    response = upload(
        api, owner, item_of(api, owner), content, name="../../x.exe", content_type="text/plain"
    )

    assert response.status_code == 201, response.text
    attachment: dict[str, Any] = response.json()
    assert set(attachment) == {"id", "content_type", "size"}
    assert (attachment["content_type"], attachment["size"]) == (content_type, len(content))
    stored = [path for path in attachments_dir.iterdir() if path.read_bytes() == content]
    assert stored
    for path in stored:
        assert uuid.UUID(hex=path.name)  # A generated name: nothing of the client's.
        assert path.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    "content",
    [ELF, PE, b"#!/bin/sh\nrm -rf /\n", b"<svg onload=alert(1)>", b"GIF89a" + b"\x00" * 20, b""],
    ids=["elf", "pe", "script", "svg", "gif", "empty"],
)
def test_content_outside_the_allowlist_is_415_whatever_its_name(
    api: httpx.Client, make_principal: PrincipalFactory, content: bytes
) -> None:
    owner = make_principal(Kind.MEMBER)

    response = upload(api, owner, item_of(api, owner), content)

    assert_problem(response, 415)


@pytest.mark.parametrize("streamed", [False, True], ids=["declared", "streamed"])
def test_file_over_5_mib_is_413(
    api: httpx.Client, make_principal: PrincipalFactory, streamed: bool
) -> None:
    owner = make_principal(Kind.MEMBER)
    path = f"/api/v1/items/{item_of(api, owner)}/attachments"
    body = multipart(PNG + b"\x00" * (LIMIT + 1 - len(PNG)))
    headers = {**owner.headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}

    response = api.post(path, content=chunks(body) if streamed else body, headers=headers)

    assert_problem(response, 413)


def test_file_of_exactly_5_mib_is_accepted(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    owner = make_principal(Kind.MEMBER)

    response = upload(api, owner, item_of(api, owner), PNG + b"\x00" * (LIMIT - len(PNG)))

    assert response.status_code == 201
    assert response.json()["size"] == LIMIT


def test_streamed_body_far_over_the_limit_is_413_before_the_route(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    owner = make_principal(Kind.MEMBER)
    path = f"/api/v1/items/{item_of(api, owner)}/attachments"
    headers = {**owner.headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}

    response = api.post(path, content=chunks(multipart(b"\x00" * 6 * MIB)), headers=headers)

    assert_problem(response, 413)


def test_only_the_owner_or_an_admin_attaches(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    owner, other, admin = (make_principal(kind) for kind in (Kind.MEMBER, Kind.MEMBER, Kind.ADMIN))
    item_id = item_of(api, owner)

    assert_problem(upload(api, other, item_id, PNG), 403)
    assert upload(api, admin, item_id, PNG).status_code == 201
    assert_problem(upload(api, owner, str(uuid.uuid4()), PNG), 404)


def test_upload_needs_a_credential(api: httpx.Client, make_principal: PrincipalFactory) -> None:
    owner = make_principal(Kind.MEMBER)
    item_id = item_of(api, owner)

    response = api.post(f"/api/v1/items/{item_id}/attachments", files={"file": ("a.png", PNG)})

    assert_problem(response, 401)
    assert "www-authenticate" in response.headers


def test_deleting_an_item_or_its_owner_removes_the_stored_files(
    api: httpx.Client, make_principal: PrincipalFactory, attachments_dir: Path
) -> None:
    admin = make_principal(Kind.ADMIN)
    owner = make_principal(Kind.MEMBER)
    kept, deleted_item, deleted_owner = (PNG + bytes([n]) * 8 for n in (1, 2, 3))
    files_before = set(attachments_dir.iterdir())
    upload(api, owner, item_of(api, owner), kept)
    deleted = item_of(api, owner)
    upload(api, owner, deleted, deleted_item)
    stranger = make_principal(Kind.MEMBER)
    upload(api, stranger, item_of(api, stranger), deleted_owner)

    assert api.delete(f"/api/v1/items/{deleted}", headers=owner.headers).status_code == 204
    assert api.delete(f"/api/v1/users/{stranger.id}", headers=admin.headers).status_code == 204

    remaining = {path.read_bytes() for path in set(attachments_dir.iterdir()) - files_before}
    assert remaining == {kept}
