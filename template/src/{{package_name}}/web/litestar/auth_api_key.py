"""Routes of /api-keys: admins create, list and revoke keys; a key is shown once."""

from litestar import Router, delete, get, post
from litestar.params import FromPath, RawBody

from ...core.authorization import Policy
from ...core.http.openapi import UNKNOWN_REFERENCE
from ...core.http.request_input import path_id
from ...core.pagination import PageOut, PageRequest
from ...core.security.api_key.api_keys import ApiKeyCreate, ApiKeyCreated, ApiKeyOut, ApiKeyService
from .auth import AnyRequest, Context, Security, synchronous
from .problems import json_body, query


def auth_router(security: Security) -> Router:
    @post(**synchronous(201, body=ApiKeyCreate, refusals=UNKNOWN_REFERENCE))
    def create_key(request: AnyRequest, body: RawBody, context: Context) -> ApiKeyCreated:
        new_key = json_body(ApiKeyCreate, request, body)
        issued = ApiKeyService(context.db, context.principal).create(new_key)
        return ApiKeyCreated(**ApiKeyOut.model_validate(issued.record).model_dump(), key=issued.key)

    @get(**synchronous(200, query=PageRequest))
    def list_keys(request: AnyRequest, context: Context) -> PageOut[ApiKeyOut]:
        keys = ApiKeyService(context.db, context.principal).list_keys(query(PageRequest, request))
        return PageOut[ApiKeyOut].of(keys)

    @delete("/{key_id:str}", **synchronous(204))
    def revoke_key(key_id: FromPath[str], context: Context) -> None:
        ApiKeyService(context.db, context.principal).revoke(path_id("key_id", key_id))

    return Router(
        "/api-keys",
        route_handlers=[create_key, list_keys, revoke_key],
        dependencies=security.requires(Policy.ADMIN),
        tags=["api-keys"],
    )
