"""Routes of /api-keys: admins create, list and revoke keys; a key is shown once."""

import uuid

from flask import Blueprint

from ...core.authorization import Policy
from ...core.http.admission import RequestContext
from ...core.http.openapi import UNKNOWN_REFERENCE
from ...core.pagination import PageOut, PageRequest
from ...core.security.api_key.api_keys import ApiKeyCreate, ApiKeyCreated, ApiKeyOut, ApiKeyService
from .auth import Security, route


def auth_routes(security: Security) -> Blueprint:
    routes = Blueprint("api_keys", __name__, url_prefix="/api-keys")
    admin = security.requires(Policy.ADMIN)

    @route(routes, "POST", "", admin, status=201, body=ApiKeyCreate, refusals=UNKNOWN_REFERENCE)
    def create_key(context: RequestContext, body: ApiKeyCreate) -> ApiKeyCreated:
        issued = ApiKeyService(context.db, context.principal).create(body)
        return ApiKeyCreated(**ApiKeyOut.model_validate(issued.record).model_dump(), key=issued.key)

    @route(routes, "GET", "", admin, query=PageRequest)
    def list_keys(context: RequestContext, query: PageRequest) -> PageOut[ApiKeyOut]:
        return PageOut[ApiKeyOut].of(ApiKeyService(context.db, context.principal).list_keys(query))

    @route(routes, "DELETE", "/<key_id>", admin, status=204)
    def revoke_key(context: RequestContext, key_id: uuid.UUID) -> None:
        ApiKeyService(context.db, context.principal).revoke(key_id)

    return routes
