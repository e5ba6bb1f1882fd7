"""The FastAPI application factory: the core's routes and rules, served by FastAPI."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from ... import SERVICE_NAME
from ...core.database import create_service_engines
from ...core.http.admission import Admission
from ...core.http.docs import OPENAPI_PATH
from ...core.http.edge import Edge
from ...core.logs import configure_logging
from ...core.settings import Settings
from ..asgi import build_edge
from ..asgi.types import ASGIApp, Receive, Scope, Send
from .api import API_PREFIX, api_routers
from .auth import Security
from .docs import install_docs
from .health import health_router
from .problems import install_problem_handlers
from .routes import route_methods


class EdgeMiddleware:
    """The core's edge (web/asgi), as one middleware of FastAPI's stack."""

    def __init__(self, app: ASGIApp, edge: Edge) -> None:
        self.app = build_edge(app, edge)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def create_app(settings: Settings) -> FastAPI:
    configure_logging()
    engines = create_service_engines(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        engines.dispose()

    app = FastAPI(
        title=SERVICE_NAME,
        lifespan=lifespan,
        debug=False,
        docs_url=None,  # Served by install_docs, with its own content security policy.
        redoc_url=None,
        openapi_url=OPENAPI_PATH if settings.docs_available else None,
    )
    page_policies = install_docs(app) if settings.docs_available else {}
    install_problem_handlers(app)
    sessions = engines.sessions()
    security = Security(Admission.of(settings), sessions)
    app.include_router(health_router(security, sessions))
    for router in api_routers(settings, security):
        app.include_router(router, prefix=API_PREFIX)
    edge = Edge.of(settings, page_policies, routes=lambda: route_methods(app))
    app.add_middleware(EdgeMiddleware, edge=edge)
    return app
