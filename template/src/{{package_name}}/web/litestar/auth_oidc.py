"""Credential routes for OIDC: none. Tokens come from the identity provider."""

from litestar import Router

from .auth import Security


def auth_router(_: Security) -> Router:
    return Router("/", route_handlers=[])
