"""The app's routes, as the edge's route table reads them (core/http/routes.py)."""

from collections.abc import Iterator

from litestar import Litestar
from litestar.routes import HTTPRoute

from ...core.http.docs import OPENAPI_PATH
from ...core.http.routes import Route

# Litestar's OpenAPI router adds pages of its own under the schema's path; of those, the
# contract has the schema alone.
_BESIDE_THE_SCHEMA = OPENAPI_PATH + "/"


def route_methods(app: Litestar) -> Iterator[Route]:
    """Every (method, path) the app declares, the docs included; OPTIONS and HEAD are the
    edge's."""
    for route in app.routes:
        if isinstance(route, HTTPRoute) and not route.path_format.startswith(_BESIDE_THE_SCHEMA):
            for method in route.methods - {"OPTIONS", "HEAD"}:
                yield method, route.path_format
