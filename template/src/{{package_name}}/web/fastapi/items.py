"""Routes of /items: reads for every principal, writes checked object by object."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from ...core.attachments import AttachmentStore
from ...core.authorization import Policy
from ...core.http.admission import RequestContext
from ...core.items import ItemCreate, ItemOut, ItemService, ItemUpdate
from ...core.pagination import PageOut, PageRequest
from .auth import Security


def items_router(security: Security, store: AttachmentStore) -> APIRouter:
    router = APIRouter(prefix="/items", tags=["items"])
    authenticated = security.requires(Policy.AUTHENTICATED)
    member = security.requires(Policy.MEMBER)

    @router.post("", status_code=201)
    def create_item(new_item: ItemCreate, context: Annotated[RequestContext, member]) -> ItemOut:
        item = ItemService(context.db, context.principal).create(new_item)
        return ItemOut.model_validate(item)

    @router.get("")
    def list_items(
        page: Annotated[PageRequest, Query()], context: Annotated[RequestContext, authenticated]
    ) -> PageOut[ItemOut]:
        items = ItemService(context.db, context.principal).list_items(page)
        return PageOut[ItemOut].of(items)

    @router.get("/{item_id}")
    def read_item(item_id: uuid.UUID, context: Annotated[RequestContext, authenticated]) -> ItemOut:
        return ItemOut.model_validate(ItemService(context.db, context.principal).get(item_id))

    @router.patch("/{item_id}")
    def update_item(
        item_id: uuid.UUID, changes: ItemUpdate, context: Annotated[RequestContext, authenticated]
    ) -> ItemOut:
        item = ItemService(context.db, context.principal).update(item_id, changes)
        return ItemOut.model_validate(item)

    @router.delete("/{item_id}", status_code=204)
    def delete_item(item_id: uuid.UUID, context: Annotated[RequestContext, authenticated]) -> None:
        store.remove(ItemService(context.db, context.principal).delete(item_id))

    return router
