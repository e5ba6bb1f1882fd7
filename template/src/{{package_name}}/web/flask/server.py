"""Serve the Flask app with gunicorn (web/wsgi/server.py): no reload, no debug."""

from ...core.settings import Settings
from ..wsgi.server import serve_with_gunicorn
from .app import create_app


def serve(settings: Settings, *, host: str, port: int, header_read_timeout: float) -> None:
    app = create_app(settings)
    serve_with_gunicorn(
        app, app.engines, host=host, port=port, header_read_timeout=header_read_timeout
    )
