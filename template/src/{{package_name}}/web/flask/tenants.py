"""Routes of /tenants: superusers create and list the tenants of the service."""

from flask import Blueprint

from ...core.authorization import Policy
from ...core.http.admission import RequestContext
from ...core.http.openapi import CONFLICT
from ...core.pagination import PageOut, PageRequest
from ...core.tenants import TenantCreate, TenantOut, TenantService
from .auth import Security, route


def tenants_routes(security: Security) -> Blueprint:
    routes = Blueprint("tenants", __name__, url_prefix="/tenants")
    superuser = security.requires(Policy.SUPERUSER)

    @route(routes, "POST", "", superuser, status=201, body=TenantCreate, refusals=CONFLICT)
    def create_tenant(context: RequestContext, body: TenantCreate) -> TenantOut:
        return TenantOut.model_validate(TenantService(context.db).create(body))

    @route(routes, "GET", "", superuser, query=PageRequest)
    def list_tenants(context: RequestContext, query: PageRequest) -> PageOut[TenantOut]:
        return PageOut[TenantOut].of(TenantService(context.db).list_tenants(query))

    return routes
