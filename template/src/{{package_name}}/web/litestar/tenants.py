"""Routes of /tenants: superusers create and list the tenants of the service."""

from litestar import Router, get, post
from litestar.params import RawBody

from ...core.authorization import Policy
from ...core.http.openapi import CONFLICT
from ...core.pagination import PageOut, PageRequest
from ...core.tenants import TenantCreate, TenantOut, TenantService
from .auth import AnyRequest, Context, Security, synchronous
from .problems import json_body, query


def tenants_router(security: Security) -> Router:
    @post(**synchronous(201, body=TenantCreate, refusals=CONFLICT))
    def create_tenant(request: AnyRequest, body: RawBody, context: Context) -> TenantOut:
        new_tenant = json_body(TenantCreate, request, body)
        return TenantOut.model_validate(TenantService(context.db).create(new_tenant))

    @get(**synchronous(200, query=PageRequest))
    def list_tenants(request: AnyRequest, context: Context) -> PageOut[TenantOut]:
        tenants = TenantService(context.db).list_tenants(query(PageRequest, request))
        return PageOut[TenantOut].of(tenants)

    return Router(
        "/tenants",
        route_handlers=[create_tenant, list_tenants],
        dependencies=security.requires(Policy.SUPERUSER),
        tags=["tenants"],
    )
