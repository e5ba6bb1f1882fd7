"""The Flask application factory: the core's routes and rules, served by Flask."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask

from ... import SERVICE_NAME
from ...core.database import ServiceEngines, create_service_engines
from ...core.http.admission import Admission
from ...core.http.edge import Edge
from ...core.logs import configure_logging
from ...core.settings import Settings
from ..wsgi.edge import build_edge
from .api import api_routes
from .auth import Security
from .docs import install_docs
from .health import health_routes
from .problems import install_problem_handlers
from .routes import route_methods

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class Service(Flask):
    """A Flask app that every request reaches through the core's edge (edge.py)."""

    def __init__(self, engines: ServiceEngines) -> None:
        # No static folder: the service serves JSON and its docs page only.
        super().__init__(SERVICE_NAME, static_folder=None)
        self.engines = engines
        self.edge: WSGIApplication = self.wsgi_app

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        return self.edge(environ, start_response)


def create_app(settings: Settings) -> Service:
    configure_logging()
    app = Service(create_service_engines(settings))
    # Crashes reach the edge, which logs them and answers the 500 problem.
    app.config.update(DEBUG=False, TESTING=False, PROPAGATE_EXCEPTIONS=True)
    page_policies = install_docs(app) if settings.docs_available else {}
    install_problem_handlers(app)
    sessions = app.engines.sessions()
    security = Security(Admission.of(settings), sessions)
    app.register_blueprint(health_routes(security, sessions))
    app.register_blueprint(api_routes(settings, security))
    edge = Edge.of(settings, page_policies, routes=lambda: route_methods(app))
    app.edge = build_edge(app.wsgi_app, edge)
    return app
