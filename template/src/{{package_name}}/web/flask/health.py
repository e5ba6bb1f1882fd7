"""Liveness and readiness endpoints, public for load balancers and orchestrators."""

from typing import Literal

from flask import Blueprint
from pydantic import BaseModel

from ...core import database
from .auth import Security, route


class HealthStatus(BaseModel):
    status: Literal["ok"] = "ok"


def health_routes(security: Security, sessions: database.SessionFactory) -> Blueprint:
    routes = Blueprint("health", __name__)
    public = security.public()

    @route(routes, "GET", "/health", public)
    def live(_: None) -> HealthStatus:
        """The process is up and serving HTTP."""
        return HealthStatus()

    @route(routes, "GET", "/health/ready", public)
    def ready(_: None) -> HealthStatus:
        """The service can do its work: its database answers."""
        database.check_database(sessions)
        return HealthStatus()

    return routes
