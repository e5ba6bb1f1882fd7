"""Routes of /api-keys: admins create, list and revoke keys; a key is shown once."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from ...core.authorization import Policy
from ...core.http.admission import RequestContext
from ...core.http.openapi import UNKNOWN_REFERENCE
from ...core.pagination import PageOut, PageRequest
from ...core.security.api_key.api_keys import ApiKeyCreate, ApiKeyCreated, ApiKeyOut, ApiKeyService
from .auth import Security
from .docs import refusing


def auth_router(security: Security) -> APIRouter:
    router = APIRouter(prefix="/api-keys", tags=["api-keys"])
    admin = security.requires(Policy.ADMIN)

    @router.post("", status_code=201, responses=refusing(UNKNOWN_REFERENCE))
    def create_key(
        new_key: ApiKeyCreate, context: Annotated[RequestContext, admin]
    ) -> ApiKeyCreated:
        issued = ApiKeyService(context.db, context.principal).create(new_key)
        shown = ApiKeyOut.model_validate(issued.record).model_dump()
        return ApiKeyCreated(**shown, key=issued.key)

    @router.get("")
    def list_keys(
        page: Annotated[PageRequest, Query()], context: Annotated[RequestContext, admin]
    ) -> PageOut[ApiKeyOut]:
        keys = ApiKeyService(context.db, context.principal).list_keys(page)
        return PageOut[ApiKeyOut].of(keys)

    @router.delete("/{key_id}", status_code=204)
    def revoke_key(key_id: uuid.UUID, context: Annotated[RequestContext, admin]) -> None:
        ApiKeyService(context.db, context.principal).revoke(key_id)

    return router
