"""The link between the identity provider's subjects and the service's users."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from ...base import Base, UtcDateTime
from ...models import User, owned_by_user


class OidcIdentity(Base):
    __tablename__ = "oidc_identities"

    subject: Mapped[str] = mapped_column(String(255), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())

    user: Mapped[User] = owned_by_user("oidc_identities")
