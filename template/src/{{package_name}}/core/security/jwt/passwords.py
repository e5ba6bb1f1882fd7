"""Passwords: the policy new ones must meet, and their verification at login.

Verification takes the same time whether or not the account exists: an unknown email
is checked against a dummy hash, so timing does not reveal which accounts exist.
"""

import gzip
import secrets
import uuid
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StrictStr
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...choices import password_hasher
from ...models import User
from ...users import normalize_email
from ...validation import is_storable
from .models import PasswordCredential

MIN_LENGTH = 12
MAX_LENGTH = 128
MAX_SUBMITTED_BYTES = 1024
# Django's list of 20,000 common passwords (BSD licence), compared case-insensitively.
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt.gz")


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip())


def check_password_policy(password: str) -> str:
    """Length rules only, no composition rules (NIST SP 800-63B), and no common password."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise ValueError(f"must be {MIN_LENGTH} to {MAX_LENGTH} characters long")
    max_bytes = password_hasher.MAX_PASSWORD_BYTES
    if max_bytes is not None and len(password.encode()) > max_bytes:
        raise ValueError(f"must be at most {max_bytes} bytes in UTF-8")
    if password.lower() in common_passwords():
        raise ValueError("is too common")
    return password


def _check_submitted_size(password: str) -> str:
    # Unpaired surrogates are counted, not refused: at login they are a bad credential (401).
    if len(password.encode("utf-8", "surrogatepass")) > MAX_SUBMITTED_BYTES:
        raise ValueError(f"must be at most {MAX_SUBMITTED_BYTES} bytes in UTF-8")
    return password


def _policy_schema(schema: dict[str, Any]) -> None:
    """The policy in the API's documentation: the lengths (in characters, as JSON Schema
    counts: the byte limit for ASCII), and the common passwords of those lengths."""
    max_bytes = password_hasher.MAX_PASSWORD_BYTES
    schema["minLength"] = MIN_LENGTH
    schema["maxLength"] = MAX_LENGTH if max_bytes is None else min(MAX_LENGTH, max_bytes)
    common = (password for password in common_passwords() if len(password) >= MIN_LENGTH)
    schema["not"] = {"enum": sorted(common)}


NewPassword = Annotated[
    StrictStr, AfterValidator(check_password_policy), Field(json_schema_extra=_policy_schema)
]
# Login accepts any password up to the size limit: the policy applies to new passwords only.
SubmittedPassword = Annotated[
    StrictStr,
    AfterValidator(_check_submitted_size),
    Field(json_schema_extra={"maxLength": MAX_SUBMITTED_BYTES}),
]


@cache
def _dummy_hash() -> str:
    return password_hasher.HASHER.hash(secrets.token_urlsafe(16))


def _verify(password: str, password_hash: str) -> tuple[bool, str | None]:
    """Whether the password matches, and the new hash when the parameters have changed."""
    max_bytes = password_hasher.MAX_PASSWORD_BYTES
    if max_bytes is not None and len(password.encode()) > max_bytes:
        # The same time as a real verification, and never a match.
        password_hasher.HASHER.verify(secrets.token_urlsafe(16), password_hash)
        return False, None
    return password_hasher.HASHER.verify_and_update(password, password_hash)


def hash_password(password: str) -> str:
    return password_hasher.HASHER.hash(password)


def set_password(db: Session, user_id: uuid.UUID, password: str) -> None:
    """Store a new hash for the user; the caller commits."""
    credential = db.get(PasswordCredential, user_id)
    if credential is None:
        db.add(PasswordCredential(user_id=user_id, password_hash=hash_password(password)))
    else:
        credential.password_hash = hash_password(password)


def authenticate_password(db: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, or None; upgrades outdated hashes."""
    if not (is_storable(email) and is_storable(password)):
        # No account has such an email or password: a bad credential, in the same time.
        _verify(secrets.token_urlsafe(16), _dummy_hash())
        return None
    row = db.execute(
        select(User, PasswordCredential)
        .join(PasswordCredential, PasswordCredential.user_id == User.id)
        .where(User.email == normalize_email(email))
    ).first()
    if row is None:
        _verify(password, _dummy_hash())
        return None
    user, credential = row
    matches, new_hash = _verify(password, credential.password_hash)
    if not matches or not user.is_active:
        return None
    if new_hash is not None:
        credential.password_hash = new_hash
        db.commit()
    return user


def check_current_password(db: Session, user_id: uuid.UUID, password: str) -> bool:
    credential = db.get(PasswordCredential, user_id)
    if credential is None:
        _verify(password, _dummy_hash())
        return False
    return _verify(password, credential.password_hash)[0]
