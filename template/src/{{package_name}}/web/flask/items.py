"""Routes of /items: reads for every principal, writes checked object by object."""

import uuid

from flask import Blueprint

from ...core.attachments import AttachmentStore
from ...core.authorization import Policy
from ...core.http.admission import RequestContext
from ...core.items import ItemCreate, ItemOut, ItemService, ItemUpdate
from ...core.pagination import PageOut, PageRequest
from .auth import Security, route


def items_routes(security: Security, store: AttachmentStore) -> Blueprint:
    routes = Blueprint("items", __name__, url_prefix="/items")
    authenticated = security.requires(Policy.AUTHENTICATED)
    member = security.requires(Policy.MEMBER)

    @route(routes, "POST", "", member, status=201, body=ItemCreate)
    def create_item(context: RequestContext, body: ItemCreate) -> ItemOut:
        return ItemOut.model_validate(ItemService(context.db, context.principal).create(body))

    @route(routes, "GET", "", authenticated, query=PageRequest)
    def list_items(context: RequestContext, query: PageRequest) -> PageOut[ItemOut]:
        return PageOut[ItemOut].of(ItemService(context.db, context.principal).list_items(query))

    @route(routes, "GET", "/<item_id>", authenticated)
    def read_item(context: RequestContext, item_id: uuid.UUID) -> ItemOut:
        return ItemOut.model_validate(ItemService(context.db, context.principal).get(item_id))

    @route(routes, "PATCH", "/<item_id>", authenticated, body=ItemUpdate)
    def update_item(context: RequestContext, item_id: uuid.UUID, body: ItemUpdate) -> ItemOut:
        item = ItemService(context.db, context.principal).update(item_id, body)
        return ItemOut.model_validate(item)

    @route(routes, "DELETE", "/<item_id>", authenticated, status=204)
    def delete_item(context: RequestContext, item_id: uuid.UUID) -> None:
        store.remove(ItemService(context.db, context.principal).delete(item_id))

    return routes
