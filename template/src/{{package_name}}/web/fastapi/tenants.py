"""Routes of /tenants: superusers create and list the tenants of the service."""

from typing import Annotated

from fastapi import APIRouter, Query

from ...core.authorization import Policy
from ...core.http.admission import RequestContext
from ...core.http.openapi import CONFLICT
from ...core.pagination import PageOut, PageRequest
from ...core.tenants import TenantCreate, TenantOut, TenantService
from .auth import Security
from .docs import refusing


def tenants_router(security: Security) -> APIRouter:
    router = APIRouter(prefix="/tenants", tags=["tenants"])
    superuser = security.requires(Policy.SUPERUSER)

    @router.post("", status_code=201, responses=refusing(CONFLICT))
    def create_tenant(
        new_tenant: TenantCreate, context: Annotated[RequestContext, superuser]
    ) -> TenantOut:
        return TenantOut.model_validate(TenantService(context.db).create(new_tenant))

    @router.get("")
    def list_tenants(
        page: Annotated[PageRequest, Query()], context: Annotated[RequestContext, superuser]
    ) -> PageOut[TenantOut]:
        return PageOut[TenantOut].of(TenantService(context.db).list_tenants(page))

    return router
