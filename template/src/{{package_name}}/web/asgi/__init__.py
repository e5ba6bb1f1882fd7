"""The edge shared by the ASGI frameworks: raw ASGI middleware applying the core's HTTP
rules (core/http/) around any ASGI application. It imports no framework."""

from .declarations import (
    Declaration,
    Declarations,
    GuardedRoute,
    PublicRoute,
    PublicSessionRoute,
    client_address,
)
from .edge import build_edge, quota_of, request_id_of, set_quota

__all__ = [
    "Declaration",
    "Declarations",
    "GuardedRoute",
    "PublicRoute",
    "PublicSessionRoute",
    "build_edge",
    "client_address",
    "quota_of",
    "request_id_of",
    "set_quota",
]
