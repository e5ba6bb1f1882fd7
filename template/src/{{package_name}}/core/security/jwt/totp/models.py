"""Tables of the second factor: TOTP secrets, recovery codes and pending MFA logins."""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from ....base import Base, UtcDateTime
from ....models import User, owned_by_user


class TotpCredential(Base):
    """A user's TOTP secret, encrypted; it counts once `confirmed_at` is set."""

    __tablename__ = "totp_credentials"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    secret_ciphertext: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The last time step whose code was accepted: that step and earlier ones are refused.
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)

    user: Mapped[User] = owned_by_user("totp_credentials")


class RecoveryCode(Base):
    """A single-use recovery code, stored as a SHA-256 digest of its random value."""

    __tablename__ = "recovery_codes"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    user: Mapped[User] = owned_by_user("recovery_codes")


class MfaChallenge(Base):
    """A login whose password was right, waiting for its second factor: the `mfa_token`,
    stored as a SHA-256 digest, short-lived and spent by the verification that succeeds."""

    __tablename__ = "mfa_challenges"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    user: Mapped[User] = owned_by_user("mfa_challenges")
