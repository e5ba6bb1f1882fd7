"""Tenants, and the `tenant_id` column of every table whose rows belong to one.

A tenant-owned row carries its tenant itself (not only through its owner), so that every
query can be filtered on the table it reads, and PostgreSQL row-level security can hold
each table to the tenant of the transaction.
"""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from ..base import Base, UtcDateTime


class Tenant(Base):
    """An organisation using the service; its users and their data are invisible to others."""

    __tablename__ = "tenants"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now())


# What every list of tenant-owned rows is filtered on before it is ordered.
LIST_SCOPE = ("tenant_id",)


class TenantOwned:
    """Rows that belong to exactly one tenant; deleting the tenant deletes them."""

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True
    )


class TenantMember:
    """Users: each belongs to one tenant, except superusers, who are global."""

    tenant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True
    )
