"""Serve the Litestar app with uvicorn (web/asgi/server.py): no reload, no debug."""

from ...core.settings import Settings
from ..asgi.server import serve_with_uvicorn
from .app import create_app


def serve(settings: Settings, *, host: str, port: int) -> None:
    serve_with_uvicorn(create_app(settings), host=host, port=port)
