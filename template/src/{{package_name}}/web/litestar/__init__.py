"""Litestar adapter: turns the core into HTTP. Keep it thin; rules belong in the core."""

from .app import create_app
from .auth import declared_policies
from .server import serve

__all__ = ["create_app", "declared_policies", "serve"]
