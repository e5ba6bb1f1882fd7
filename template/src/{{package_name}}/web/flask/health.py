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

    @route(routes, "GET", "/health", security.liveness())
    def live(_: None) -> HealthStatus:
        """The process is up and serving HTTP, whether or not the database or redis answer."""
        return HealthStatus()

    @route(routes, "GET", "/health/ready", security.public())
    def ready(_: None) -> HealthStatus:
        """The service can do its work: its database answers, and its rate-limit counters
        (which the public admission reads) too."""
        database.check_database(sessions)
        return HealthStatus()

    return routes
