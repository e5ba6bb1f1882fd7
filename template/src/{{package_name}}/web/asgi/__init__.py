"""The edge shared by the ASGI frameworks: raw ASGI middleware applying the core's HTTP
rules (core/http/) around any ASGI application. It imports no framework."""

from .edge import admit_public, build_edge, quota_of, request_id_of, set_quota
from .sessions import Declarations, GuardedRoute, client_address, close_session

__all__ = [
    "Declarations",
    "GuardedRoute",
    "admit_public",
    "build_edge",
    "client_address",
    "close_session",
    "quota_of",
    "request_id_of",
    "set_quota",
]
