"""Attachments: files uploaded to items, judged by their content and stored under new names.

- Size: at most `MAX_ATTACHMENT_BYTES`; the upload is read up to one byte past the limit,
  never further, and refused with 413 beyond it.
- Type: decided from the bytes (their magic numbers, read by puremagic), never from the
  file name or the content type the client declared; only `ALLOWED_CONTENT_TYPES` pass,
  anything else (an executable renamed `.png` included) is refused with 415.
- Storage: a generated name (a UUID, nothing of the client's) in `ATTACHMENTS_DIR`, a
  directory the service never serves; files are written owner-readable only.
- Crashes: a file is written under its name plus `.partial`, synced to disk, and renamed
  only once its row is committed, so a complete name is always a complete file with its
  row. `serve` settles partial files a crash left behind (older than
  `INTERRUPTED_UPLOAD_SECONDS`): renamed if their row was committed, deleted otherwise.
- Only the item's owner or an admin may attach: the same object-level rules as changing it.
"""

import os
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import puremagic
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from .authorization import Principal
from .errors import ContentTooLargeError, UnsupportedMediaTypeError
from .items import ItemService
from .models import Attachment
from .repositories import Repository

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ALLOWED_CONTENT_TYPES = frozenset({"image/png", "image/jpeg", "application/pdf"})
PARTIAL_SUFFIX = ".partial"
# Older than any upload in progress: a partial file this old was left by a crash.
INTERRUPTED_UPLOAD_SECONDS = 300


class AttachmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    content_type: str
    size: int


def read_limited(stream: BinaryIO, limit: int = MAX_ATTACHMENT_BYTES) -> bytes:
    """The stream's bytes, or 413 once there are more than `limit`."""
    content = stream.read(limit + 1)
    if len(content) > limit:
        raise ContentTooLargeError(f"An attachment must be at most {limit} bytes.")
    return content


def sniff_content_type(content: bytes) -> str:
    """The content's type, from its magic numbers, if it is one of the allowed types."""
    try:
        detected = puremagic.from_string(content, mime=True)
    except (puremagic.PureError, ValueError):
        detected = ""
    if detected not in ALLOWED_CONTENT_TYPES:
        allowed = ", ".join(sorted(ALLOWED_CONTENT_TYPES))
        raise UnsupportedMediaTypeError(f"An attachment must be one of: {allowed}.")
    return detected


@dataclass(frozen=True)
class AttachmentStore:
    """Files on disk, named by the service; the directory is created private on first use."""

    directory: Path

    def stage(self, content: bytes) -> str:
        """Write `content` durably under a new name's partial file; return the name."""
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = uuid.uuid4().hex
        # O_EXCL: a name is never reused, and a link planted under it is not followed.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        descriptor = os.open(self._partial(name), flags, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        return name

    def publish(self, name: str) -> None:
        """Give a staged file its name, once its row is committed, and sync the rename."""
        self._partial(name).replace(self.directory / name)
        directory = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def discard(self, name: str) -> None:
        self._partial(name).unlink(missing_ok=True)

    def interrupted(self, older_than: float = INTERRUPTED_UPLOAD_SECONDS) -> list[str]:
        """Names of the partial files older than `older_than` seconds."""
        if not self.directory.is_dir():
            return []
        cutoff = time.time() - older_than
        return [
            path.name.removesuffix(PARTIAL_SUFFIX)
            for path in self.directory.glob(f"*{PARTIAL_SUFFIX}")
            if path.stat().st_mtime < cutoff
        ]

    def _partial(self, name: str) -> Path:
        return self.directory / f"{uuid.UUID(hex=name).hex}{PARTIAL_SUFFIX}"

    def remove(self, names: Iterable[str]) -> None:
        """Delete stored files, once their rows are gone; names are this store's own."""
        for name in names:
            (self.directory / uuid.UUID(hex=name).hex).unlink(missing_ok=True)


class AttachmentService:
    def __init__(self, db: Session, principal: Principal, store: AttachmentStore) -> None:
        self.db = db
        self.principal = principal
        self.store = store

    def attach(self, item_id: uuid.UUID, stream: BinaryIO) -> Attachment:
        """Check the caller may change the item (404, 403), then the size (413) and type (415)."""
        item = ItemService(self.db, self.principal).writable(item_id)
        content = read_limited(stream)
        content_type = sniff_content_type(content)
        name = self.store.stage(content)
        try:
            attachment = Repository(self.db, Attachment).add_beside(
                Attachment(
                    item_id=item.id, stored_name=name, content_type=content_type, size=len(content)
                ),
                item,
            )
            self.db.commit()
        except BaseException:
            self.store.discard(name)
            raise
        self.store.publish(name)
        return attachment


def settle_interrupted_uploads(store: AttachmentStore, db: Session) -> int:
    """Finish or undo the uploads a crash interrupted: publish each old partial file whose
    row was committed, delete the others. `db` acts across tenants. Returns how many."""
    names = store.interrupted()
    if not names:
        return 0
    committed = set(
        db.scalars(
            select(Attachment.stored_name).where(
                Repository(db, Attachment).visible(), Attachment.stored_name.in_(names)
            )
        )
    )
    for name in names:
        if name in committed:
            store.publish(name)
        else:
            store.discard(name)
    return len(names)
