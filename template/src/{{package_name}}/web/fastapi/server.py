"""Serve the FastAPI app with uvicorn (web/asgi/server.py): no reload, no debug."""

from ...core.settings import Settings
from ..asgi.server import serve_with_uvicorn
from .app import create_app


def serve(settings: Settings, *, host: str, port: int, header_read_timeout: float) -> None:
    app = create_app(settings)
    serve_with_uvicorn(app, host=host, port=port, header_read_timeout=header_read_timeout)
