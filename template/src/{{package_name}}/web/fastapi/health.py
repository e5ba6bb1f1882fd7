"""Liveness and readiness endpoints, public for load balancers and orchestrators."""

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from ...core import database
from .auth import Security


class HealthStatus(BaseModel):
    status: Literal["ok"] = "ok"


def health_router(security: Security, sessions: database.SessionFactory) -> APIRouter:
    router = APIRouter(tags=["health"], dependencies=[security.public()])

    @router.get("/health")
    async def live() -> HealthStatus:
        """The process is up and serving HTTP."""
        return HealthStatus()

    @router.get("/health/ready")
    def ready() -> HealthStatus:
        """The service can do its work: its database answers."""
        database.check_database(sessions)
        return HealthStatus()

    return router
