"""API keys: `ak_<lookup>_<secret>`, shown once, stored as a digest, revocable, expiring.

The lookup part (64 random bits) finds the row and is shown in listings as the key's
prefix; the secret part carries 256 random bits. Keys cannot be guessed, so a SHA-256
digest (not a slow password hash) is the right way to store them; digests are compared
in constant time.
"""

import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, StringConstraints, field_validator
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from ...authorization import Principal
from ...clock import utcnow
from ...errors import NotFoundError, PermissionDeniedError
from ...models import Role, User
from ...pagination import Page, PageRequest
from ...repositories import Repository
from ...users import add_account
from ...validation import ONE_LINE, FromString, RequestModel, single_line
from .models import ApiKey

KEY_PATTERN = re.compile(r"(?P<prefix>ak_[0-9a-f]{16})_[A-Za-z0-9_-]{43}")
SERVICE_ACCOUNT_DOMAIN = "api-keys.invalid"


def generate_key() -> str:
    return f"ak_{secrets.token_hex(8)}_{secrets.token_urlsafe(32)}"


def key_prefix(key: str) -> str | None:
    """The visible prefix of a well-formed key, or None."""
    match = KEY_PATTERN.fullmatch(key)
    return None if match is None else match["prefix"]


def check_key_format(key: str) -> str:
    if key_prefix(key) is None:
        raise ValueError("must be a key of the form ak_<16 hex digits>_<43 random characters>")
    return key


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeyOut(BaseModel):
    """A key as listings show it: never the key itself or its digest."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    prefix: str
    user_id: uuid.UUID
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str


class ApiKeyCreate(RequestModel):
    name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), ONE_LINE
    ]
    user_id: Annotated[uuid.UUID, FromString] | None = None
    expires_at: Annotated[AwareDatetime, FromString] | None = None

    _name_is_one_line = field_validator("name")(single_line)

    @field_validator("expires_at")
    @classmethod
    def _expires_in_the_future(cls, value: datetime | None) -> datetime | None:
        if value is not None and value <= utcnow():
            raise ValueError("must be in the future")
        return value


@dataclass(frozen=True)
class IssuedKey:
    record: ApiKey
    key: str


def issue_key(
    db: Session, user: User, name: str, expires_at: datetime | None = None, key: str | None = None
) -> IssuedKey:
    """Store a new key (or a given well-formed one) for the user; the caller commits."""
    key = key or generate_key()
    prefix = key_prefix(key)
    if prefix is None:
        raise ValueError("malformed API key")
    record = ApiKey(
        user_id=user.id, name=name, prefix=prefix, key_hash=_digest(key), expires_at=expires_at
    )
    db.add(record)
    db.flush()
    return IssuedKey(record=record, key=key)


def create_service_account(
    db: Session,
    name: str,
    *,
    role: Role,
    is_superuser: bool,
    tenant_id: uuid.UUID | None = None,
    key: str | None = None,
) -> IssuedKey:
    """A user that exists to hold one key (for the command line and the first superuser)."""
    key = key or generate_key()
    user = User(
        email=f"{key_prefix(key)}@{SERVICE_ACCOUNT_DOMAIN}", role=role, is_superuser=is_superuser
    )
    return issue_key(db, add_account(db, user, tenant_id), name, key=key)


# Built once, as building a statement costs more than running it; every request still
# asks the database (no cached answer), so a deleted key stops working at once.
_KEY_AND_USER = (
    select(ApiKey, User)
    .join(User, User.id == ApiKey.user_id)
    .where(ApiKey.prefix == bindparam("prefix"))
)


def find_key_user(db: Session, key: str) -> tuple[ApiKey, User] | None:
    """The key's record and active user, if the key is valid, unexpired and not revoked."""
    prefix = key_prefix(key)
    if prefix is None:
        return None
    row = db.execute(_KEY_AND_USER, {"prefix": prefix}).first()
    if row is None:
        return None
    record, user = row
    if not hmac.compare_digest(record.key_hash, _digest(key)):
        return None
    if record.expires_at is not None and record.expires_at <= utcnow():
        return None
    return (record, user) if user.is_active else None


class ApiKeyService:
    """Key management for admins, over the users they manage: those of their tenant (every
    user, for superusers). Only superusers manage superusers' keys."""

    def __init__(self, db: Session, principal: Principal) -> None:
        self.db = db
        self.principal = principal
        self.users = Repository(db, User)

    def create(self, new_key: ApiKeyCreate) -> IssuedKey:
        user = self.users.get(new_key.user_id or self.principal.user_id)
        if user is None:
            raise NotFoundError("The user does not exist.")
        self._check_can_manage(user)
        issued = issue_key(self.db, user, new_key.name, new_key.expires_at)
        self.db.commit()
        return issued

    def list_keys(self, page: PageRequest) -> Page[ApiKey]:
        visible_users = select(User.id).where(self.users.visible()).scalar_subquery()
        of_visible_users = ApiKey.user_id.in_(visible_users)
        total = self.db.scalar(select(func.count()).select_from(ApiKey).where(of_visible_users))
        keys = self.db.scalars(
            select(ApiKey)
            .where(of_visible_users)
            .order_by(ApiKey.created_at, ApiKey.id)
            .limit(page.limit)
            .offset(page.offset)
        ).all()
        return Page(items=keys, total=total or 0, limit=page.limit, offset=page.offset)

    def revoke(self, key_id: uuid.UUID) -> None:
        record = self.db.get(ApiKey, key_id)
        if record is None or self.users.get(record.user_id) is None:
            raise NotFoundError("The API key does not exist.")
        self._check_can_manage(record.user)
        self.db.delete(record)
        self.db.commit()

    def _check_can_manage(self, user: User) -> None:
        if user.is_superuser and not self.principal.is_superuser:
            raise PermissionDeniedError("Only a superuser can manage a superuser's keys.")
