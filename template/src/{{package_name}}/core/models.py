"""Database models (SQLAlchemy 2, typed). Migrations in ../migrations create these tables."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Enum, ForeignKey, Index, String, Uuid, false, func, true
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from .base import Base, UtcDateTime
from .choices import tenant_columns


class Role(StrEnum):
    ADMIN = "admin"
    MEMBER = "member"


class User(tenant_columns.TenantMember, Base):
    """A person or system allowed to call the API; shared by every authentication mode."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    role: Mapped[Role] = mapped_column(
        Enum(
            Role,
            name="role",
            native_enum=False,
            create_constraint=True,
            length=16,
            values_callable=lambda roles: [role.value for role in roles],
        ),
        default=Role.MEMBER,
    )
    is_superuser: Mapped[bool] = mapped_column(default=False, server_default=false())
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), server_default=func.now(), onupdate=func.now()
    )


# What a principal is made of (authorization.Principal.of_columns): the user's tenant, when
# the service has tenants.
PRINCIPAL_COLUMNS = (
    User.id,
    User.role,
    User.is_superuser,
    *(User.__table__.c[name] for name in tenant_columns.LIST_SCOPE),
)


def owned_by_user(name: str) -> Mapped[User]:
    """The owning user; deleting the user deletes these rows, on every database engine."""
    return relationship(User, backref=backref(name, cascade="all, delete-orphan"))


class Item(tenant_columns.TenantOwned, Base):
    """A user's object: every principal of its tenant reads it; its owner and admins write it."""

    __tablename__ = "items"
    # The list query's filter and order, so a page is read off the index, however many rows.
    __table_args__ = (Index("ix_items_list_order", *tenant_columns.LIST_SCOPE, "created_at", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(2000))
    link: Mapped[str | None] = mapped_column(String(2048))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), server_default=func.now(), onupdate=func.now()
    )

    owner: Mapped[User] = owned_by_user("items")


class Attachment(tenant_columns.TenantOwned, Base):
    """A file uploaded to an item: its metadata here, its bytes under `stored_name` on disk."""

    __tablename__ = "attachments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    item_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), index=True
    )
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())

    item: Mapped[Item] = relationship(
        Item, backref=backref("attachments", cascade="all, delete-orphan")
    )
