"""Tables of password authentication: password hashes and refresh-token families."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Uuid, func
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ...base import Base, UtcDateTime
from ...models import User, owned_by_user


class PasswordCredential(Base):
    __tablename__ = "password_credentials"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    password_hash: Mapped[str] = mapped_column(String(255))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())

    user: Mapped[User] = owned_by_user("password_credentials")


class RefreshSession(Base):
    """A refresh-token family: one login, the `sid` of its access tokens."""

    __tablename__ = "refresh_sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    # Absolute lifetime: rotation never extends a family beyond it.
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    user: Mapped[User] = owned_by_user("refresh_sessions")


class RefreshToken(Base):
    """One refresh token of a family, stored as a SHA-256 digest of its random value."""

    __tablename__ = "refresh_tokens"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("refresh_sessions.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    # Set when the token is exchanged; presenting it again is reuse.
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    session: Mapped[RefreshSession] = relationship(
        RefreshSession, backref=backref("tokens", cascade="all, delete-orphan")
    )
