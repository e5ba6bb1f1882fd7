"""The app's routes, as the edge's route table reads them (core/http/routes.py)."""

from collections.abc import Iterator

from fastapi import FastAPI

from ...core.http.routes import Route
from .auth import flat_routes


def route_methods(app: FastAPI) -> Iterator[Route]:
    """Every (method, path) the app declares, the docs included; HEAD is the edge's."""
    for route in flat_routes(app):
        for method in getattr(route, "methods", None) or ():
            if method != "HEAD":
                yield method, route.path
