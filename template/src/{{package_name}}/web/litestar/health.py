"""Liveness and readiness endpoints, public for load balancers and orchestrators."""

from typing import Literal

from litestar import Router, get
from pydantic import BaseModel

from ...core import database
from .auth import Security


class HealthStatus(BaseModel):
    status: Literal["ok"] = "ok"


def health_router(security: Security, sessions: database.SessionFactory) -> Router:
    @get("/health", guards=security.liveness())
    async def live() -> HealthStatus:
        """The process is up and serving HTTP, whether or not the database or redis answer."""
        return HealthStatus()

    @get("/health/ready", guards=security.public(), sync_to_thread=True)
    def ready() -> HealthStatus:
        """The service can do its work: its database answers, and its rate-limit counters
        (which the public admission reads) too."""
        database.check_database(sessions)
        return HealthStatus()

    return Router("/", route_handlers=[live, ready], tags=["health"])
