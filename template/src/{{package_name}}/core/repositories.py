"""Repositories: the only way services reach tenant-owned rows.

A database session carries one tenant context, entered with `enter_tenant_context` by the
web adapter once the caller is authenticated, and by the command line for its own work. A
repository cannot be made on a session without one, and every statement it builds carries
the context's condition: no read, list, update or delete can cross tenants by omission.
"""

import uuid
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from .base import CONTEXT_KEY
from .models import Attachment, Item, User
from .pagination import Page, PageRequest
from .tenancy import ROW_SECURITY, TenantContext
from .transactions import has_written

Row = TypeVar("Row", User, Item, Attachment)


class MissingTenantContextError(RuntimeError):
    """Tenant-owned data was reached on a session without a tenant context: a bug, so a 500."""


def enter_tenant_context(db: Session, context: TenantContext) -> None:
    """Hold the session to `context` from here on.

    Where a transaction holds its context (row-level security), the current one is
    committed first, so that none spans two contexts. Elsewhere the context is only the
    repositories' condition, and a transaction that has read goes on (ending it costs a
    pool round trip on every authenticated request); one that has written is committed.
    """
    if db.in_transaction() and (ROW_SECURITY.TRANSACTION_HOLDS_CONTEXT or has_written(db)):
        db.commit()
    db.info[CONTEXT_KEY] = context


def tenant_context(db: Session) -> TenantContext:
    context = db.info.get(CONTEXT_KEY)
    if not isinstance(context, TenantContext):
        raise MissingTenantContextError("No tenant context was entered on this session.")
    return context


class Repository(Generic[Row]):
    def __init__(self, db: Session, model: type[Row]) -> None:
        self.db = db
        self.model: type[Row] = model
        self.context = tenant_context(db)

    def visible(self) -> ColumnElement[bool]:
        """The condition of every statement on the table: its rows in the context's tenant."""
        return self.context.where(self.model)

    def get(self, row_id: uuid.UUID) -> Row | None:
        return self.db.scalar(select(self.model).where(self.visible(), self.model.id == row_id))

    def page(self, page: PageRequest) -> Page[Row]:
        """A page in creation order, with the total count of the rows visible."""
        total = self.db.scalar(select(func.count()).select_from(self.model).where(self.visible()))
        rows = self.db.scalars(
            select(self.model)
            .where(self.visible())
            .order_by(self.model.created_at, self.model.id)
            .limit(page.limit)
            .offset(page.offset)
        ).all()
        return Page(items=rows, total=total or 0, limit=page.limit, offset=page.offset)

    def add(self, row: Row, requested_tenant: uuid.UUID | None = None) -> Row:
        """Store a new row in the context's tenant (or one a superuser names)."""
        self.context.place_new(self.db, row, requested_tenant)
        self.db.add(row)
        return row

    def add_beside(self, row: Row, parent: Item) -> Row:
        """Store a new row in the tenant of the item it belongs to."""
        self.context.place_beside(row, parent)
        self.db.add(row)
        return row
