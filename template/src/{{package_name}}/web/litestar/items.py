"""Routes of /items: reads for every principal, writes checked object by object."""

from litestar import Router, delete, get, patch, post
from litestar.params import FromPath, RawBody

from ...core.attachments import AttachmentStore
from ...core.authorization import Policy
from ...core.http.request_input import path_id
from ...core.items import ItemCreate, ItemOut, ItemService, ItemUpdate
from ...core.pagination import PageOut, PageRequest
from .auth import AnyRequest, Context, Security, synchronous
from .problems import json_body, query

ITEM = "/{item_id:str}"


def items_router(security: Security, store: AttachmentStore) -> Router:
    authenticated = security.requires(Policy.AUTHENTICATED)

    @post(**synchronous(201, security.requires(Policy.MEMBER), body=ItemCreate))
    def create_item(request: AnyRequest, body: RawBody, context: Context) -> ItemOut:
        new_item = json_body(ItemCreate, request, body)
        return ItemOut.model_validate(ItemService(context.db, context.principal).create(new_item))

    @get(**synchronous(200, authenticated, query=PageRequest))
    def list_items(request: AnyRequest, context: Context) -> PageOut[ItemOut]:
        page = query(PageRequest, request)
        return PageOut[ItemOut].of(ItemService(context.db, context.principal).list_items(page))

    @get(ITEM, **synchronous(200, authenticated))
    def read_item(item_id: FromPath[str], context: Context) -> ItemOut:
        item = ItemService(context.db, context.principal).get(path_id("item_id", item_id))
        return ItemOut.model_validate(item)

    @patch(ITEM, **synchronous(200, authenticated, body=ItemUpdate))
    def update_item(
        item_id: FromPath[str], request: AnyRequest, body: RawBody, context: Context
    ) -> ItemOut:
        the_id, changes = path_id("item_id", item_id), json_body(ItemUpdate, request, body)
        item = ItemService(context.db, context.principal).update(the_id, changes)
        return ItemOut.model_validate(item)

    @delete(ITEM, **synchronous(204, authenticated))
    def delete_item(item_id: FromPath[str], context: Context) -> None:
        store.remove(ItemService(context.db, context.principal).delete(path_id("item_id", item_id)))

    handlers = [create_item, list_items, read_item, update_item, delete_item]
    return Router("/items", route_handlers=handlers, tags=["items"])
