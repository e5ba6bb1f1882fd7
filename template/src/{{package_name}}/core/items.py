"""Items: objects owned by users, with object-level checks on every write."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic.json_schema import SkipJsonSchema
from sqlalchemy import select
from sqlalchemy.orm import Session

from .authorization import Policy, Principal
from .errors import NotFoundError, PermissionDeniedError
from .models import Attachment, Item
from .pagination import Page, PageRequest
from .repositories import Repository
from .validation import OMITTABLE, Description, PublicHttpsUrl, RequestModel, Title


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
    title: Title | SkipJsonSchema[None] = OMITTABLE
    description: Description | None = None
    link: PublicHttpsUrl | None = None

    @model_validator(mode="after")
    def _title_cannot_be_removed(self) -> "ItemUpdate":
        if "title" in self.model_fields_set and self.title is None:
            raise ValueError("title cannot be null")
        return self


class ItemService:
    """Item operations on behalf of a principal, through the session's tenant context: an
    item of another tenant is missing, exactly like an item that does not exist."""

    def __init__(self, db: Session, principal: Principal) -> None:
        self.db = db
        self.principal = principal
        self.items = Repository(db, Item)

    def create(self, new_item: ItemCreate) -> Item:
        Policy.MEMBER.check(self.principal)
        item = self.items.add(
            Item(
                owner_id=self.principal.user_id,
                title=new_item.title,
                description=new_item.description,
                link=None if new_item.link is None else str(new_item.link),
            )
        )
        self.db.commit()
        return item

    def list_items(self, page: PageRequest) -> Page[Item]:
        return self.items.page(page)

    def get(self, item_id: uuid.UUID) -> Item:
        item = self.items.get(item_id)
        if item is None:
            raise NotFoundError("The item does not exist.")
        return item

    def update(self, item_id: uuid.UUID, changes: ItemUpdate) -> Item:
        item = self.writable(item_id)
        for field, value in changes.model_dump(exclude_unset=True).items():
            setattr(item, field, None if value is None else str(value))
        self.db.commit()
        return item

    def delete(self, item_id: uuid.UUID) -> list[str]:
        """Delete the item and its attachments; return the attachments' stored names, for
        the caller to remove the files once the rows are gone."""
        item = self.writable(item_id)
        attachments = Repository(self.db, Attachment)
        stored_names = self.db.scalars(
            select(Attachment.stored_name).where(
                attachments.visible(), Attachment.item_id == item.id
            )
        ).all()
        self.db.delete(item)
        self.db.commit()
        return list(stored_names)

    def writable(self, item_id: uuid.UUID) -> Item:
        """The item, if the principal may change it (or attach to it): its owner or an admin."""
        item = self.get(item_id)
        if item.owner_id != self.principal.user_id and not self.principal.is_admin:
            raise PermissionDeniedError("Only the item's owner or an admin can change it.")
        return item
