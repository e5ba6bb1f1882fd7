"""The FastAPI application factory: wires the core's settings, database and errors to HTTP."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from ... import SERVICE_NAME
from ...core.database import MAX_CONNECTIONS, create_database_engine, create_session_factory
from ...core.logs import configure_logging
from ...core.rate_limit import RateLimiter
from ...core.rate_limit_storage import create_storage
from ...core.settings import AppEnv, Settings
from .api import api_router
from .attachments import ATTACHMENTS_PATH, MAX_UPLOAD_BODY_BYTES
from .docs import OPENAPI_PATH, install_docs
from .health import health_router
from .middleware import (
    REQUEST_ID_HEADER,
    AdmissionMiddleware,
    BodySizeLimitMiddleware,
    ProblemCORSMiddleware,
    RepeatedQueryMiddleware,
    RequestContextMiddleware,
    SecurityHeadersMiddleware,
    TrustedProxyMiddleware,
)
from .problems import install_problem_handlers
from .rate_limit import install_rate_limiter


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
        docs_url=None,  # Served by install_docs, with its own content security policy.
        redoc_url=None,
        openapi_url=OPENAPI_PATH if settings.docs_available else None,
    )
    page_policies = install_docs(app) if settings.docs_available else {}
    install_problem_handlers(app)
    sessions = create_session_factory(engine)
    app.include_router(health_router(sessions))
    app.include_router(api_router(settings, sessions))

    storage = create_storage(settings, production=settings.app_env is AppEnv.PRODUCTION)
    limiter = RateLimiter(
        storage, default=settings.rate_limit_default, credentials=settings.rate_limit_login
    )
    # Added innermost first. The request context wraps all that can refuse a request, so every
    # answer has an id; the security headers wrap the request context and its 500s.
    app.add_middleware(AdmissionMiddleware, limit=MAX_CONNECTIONS)
    install_rate_limiter(app, limiter)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_body_bytes=settings.max_body_bytes,
        path_limits={ATTACHMENTS_PATH: MAX_UPLOAD_BODY_BYTES},
    )
    app.add_middleware(RepeatedQueryMiddleware)
    app.add_middleware(
        ProblemCORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "X-API-Key", REQUEST_ID_HEADER],
        expose_headers=[REQUEST_ID_HEADER],
    )
    app.add_middleware(RequestContextMiddleware, expose_errors=settings.is_development)
    app.add_middleware(SecurityHeadersMiddleware, page_policies=page_policies)
    if settings.trusted_proxies:
        # The client address (for rate limits) and scheme (for HSTS) come from forwarding
        # headers only from these.
        app.add_middleware(TrustedProxyMiddleware, trusted=settings.trusted_proxies)
    return app
