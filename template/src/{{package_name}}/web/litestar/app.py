"""The Litestar application factory: the core's routes and rules, served by Litestar."""

from typing import cast

from litestar import Litestar
from litestar.types import ASGIApp as LitestarASGIApp

from ...core.database import create_service_engines
from ...core.http.admission import Admission
from ...core.http.edge import Edge
from ...core.logs import configure_logging
from ...core.settings import Settings
from ..asgi import build_edge
from ..asgi.types import ASGIApp
from .api import api_router
from .auth import Security
from .docs import docs_routes
from .health import health_router
from .problems import EXCEPTION_HANDLERS
from .routes import route_methods


def create_app(settings: Settings) -> Litestar:
    configure_logging()
    engines = create_service_engines(settings)
    sessions = engines.sessions()
    security = Security(Admission.of(settings), sessions)
    docs, page_policies = docs_routes() if settings.docs_available else ([], {})
    app = Litestar(
        route_handlers=[health_router(security, sessions), api_router(settings, security), *docs],
        exception_handlers=EXCEPTION_HANDLERS,
        on_shutdown=[engines.dispose],
        openapi_config=None,  # The core builds the document, served by docs_routes.
        debug=False,
        logging_config=None,  # Keep the JSON logging configured by configure_logging.
        request_max_body_size=None,  # The edge's body limits apply, per path.
    )
    # The core's edge (web/asgi) around Litestar's whole stack, its error handling included.
    edge = Edge.of(settings, page_policies, routes=lambda: route_methods(app))
    app.asgi_handler = cast(LitestarASGIApp, build_edge(cast(ASGIApp, app.asgi_handler), edge))
    return app
