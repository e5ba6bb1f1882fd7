"""Liveness and readiness endpoints, public for load balancers and orchestrators."""

from typing import Any, Literal

from litestar import Router, get
from litestar.openapi import ResponseSpec
from pydantic import BaseModel

from ...core import database
from ...core.errors import PROBLEM_CONTENT_TYPE
from .auth import Security


class HealthStatus(BaseModel):
    status: Literal["ok"] = "ok"


def health_router(security: Security, sessions: database.SessionFactory) -> Router:
    @get("/health", guards=security.liveness())
    async def live() -> HealthStatus:
        """The process is up and serving HTTP, whether or not the database or redis answer."""
        return HealthStatus()

    unavailable = ResponseSpec(
        dict[str, Any],
        description="The database or the rate-limit storage does not answer",
        media_type=PROBLEM_CONTENT_TYPE,
        generate_examples=False,
    )

    @get(
        "/health/ready",
        guards=security.public(),
        sync_to_thread=True,
        responses={503: unavailable},
    )
    def ready() -> HealthStatus:
        """The service can do its work: its database answers, and its rate-limit counters
        (which the public admission reads) too."""
        database.check_database(sessions)
        return HealthStatus()

    return Router("/", route_handlers=[live, ready], tags=["health"])
