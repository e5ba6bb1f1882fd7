"""Items: objects owned by users, with object-level checks on every write."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, model_validator
from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from .authorization import Policy, Principal
from .errors import NotFoundError, PermissionDeniedError
from .models import Item
from .pagination import Page, PageRequest
from .validation import Description, PublicHttpsUrl, RequestModel, Title


class ItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    description: str | None
    link: str | None
    created_at: datetime
    updated_at: datetime


class ItemCreate(RequestModel):
    title: Title
    description: Description | None = None
    link: PublicHttpsUrl | None = None


class ItemUpdate(RequestModel):
    title: Title | None = None
    description: Description | None = None
    link: PublicHttpsUrl | None = None

    @model_validator(mode="after")
    def _title_cannot_be_removed(self) -> "ItemUpdate":
        if "title" in self.model_fields_set and self.title is None:
            raise ValueError("title cannot be null")
        return self


class ItemService:
    """Item operations on behalf of a principal.

    Every query is filtered by `_visible`, so a tenant filter added there covers reads,
    lists, updates and deletes alike.
    """

    def __init__(self, db: Session, principal: Principal) -> None:
        self.db = db
        self.principal = principal

    def create(self, new_item: ItemCreate) -> Item:
        Policy.MEMBER.check(self.principal)
        item = Item(
            owner_id=self.principal.user_id,
            title=new_item.title,
            description=new_item.description,
            link=None if new_item.link is None else str(new_item.link),
        )
        self.db.add(item)
        self.db.commit()
        return item

    def list_items(self, page: PageRequest) -> Page[Item]:
        total = self.db.scalar(select(func.count(Item.id)).where(self._visible())) or 0
        items = self.db.scalars(
            select(Item)
            .where(self._visible())
            .order_by(Item.created_at, Item.id)
            .limit(page.limit)
            .offset(page.offset)
        ).all()
        return Page(items=items, total=total, limit=page.limit, offset=page.offset)

    def get(self, item_id: uuid.UUID) -> Item:
        item = self.db.scalar(select(Item).where(self._visible(), Item.id == item_id))
        if item is None:
            raise NotFoundError("The item does not exist.")
        return item

    def update(self, item_id: uuid.UUID, changes: ItemUpdate) -> Item:
        item = self._writable(item_id)
        for field, value in changes.model_dump(exclude_unset=True).items():
            setattr(item, field, None if value is None else str(value))
        self.db.commit()
        return item

    def delete(self, item_id: uuid.UUID) -> None:
        self.db.delete(self._writable(item_id))
        self.db.commit()

    def _visible(self) -> ColumnElement[bool]:
        """Which items the principal may see: all of them, in a service without tenants."""
        return true()

    def writable(self, item_id: uuid.UUID) -> Item:
        """The item, if the principal may change it (or attach to it): its owner or an admin."""
        return self._writable(item_id)

    def _writable(self, item_id: uuid.UUID) -> Item:
        item = self.get(item_id)
        if item.owner_id != self.principal.user_id and not self.principal.is_admin:
            raise PermissionDeniedError("Only the item's owner or an admin can change it.")
        return item
