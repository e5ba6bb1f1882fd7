"""The FastAPI application factory: wires the core's settings, database and errors to HTTP."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from .. import SERVICE_NAME
from ..core.database import create_database_engine, create_session_factory
from ..core.logs import configure_logging
from ..core.settings import Settings
from .health import health_router
from .middleware import REQUEST_ID_HEADER, BodySizeLimitMiddleware, RequestContextMiddleware
from .problems import install_problem_handlers


def create_app(settings: Settings) -> FastAPI:
    configure_logging()
    engine = create_database_engine(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title=SERVICE_NAME,
        lifespan=lifespan,
        debug=False,
        docs_url="/docs" if settings.docs_available else None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.docs_available else None,
    )
    install_problem_handlers(app)
    app.include_router(health_router(create_session_factory(engine)))

    # Added innermost first: the request context wraps everything, so every answer has an id.
    app.add_middleware(BodySizeLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", REQUEST_ID_HEADER],
        expose_headers=[REQUEST_ID_HEADER],
    )
    app.add_middleware(RequestContextMiddleware, expose_errors=settings.is_development)
    return app
