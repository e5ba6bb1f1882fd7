"""How the tests reach the service's web adapter, whatever its framework: the app, with the
test-only probe routes if asked, an in-process httpx client, and the declared policies.

Only the framework's test module (web_<framework>.py, chosen in framework.py) knows the
framework; every other test speaks HTTP through these, so the same tests hold for every
framework the service can be built on.
"""

import httpx

from ..core.authorization import Policy
from ..core.settings import Settings
from ..web import create_app, declared_policies
from .framework import App, add_probe_routes, in_process_client, openapi_schema

DEFAULT_PEER = ("testclient", 50000)


def build_app(settings: Settings, *, probes: bool = False) -> App:
    """The service's app for `settings`, with the probe routes if asked."""
    app = create_app(settings)
    if probes:
        add_probe_routes(app)
    return app


def client_for(
    app: App, *, peer: tuple[str, int] = DEFAULT_PEER, raise_server_exceptions: bool = False
) -> httpx.Client:
    """An httpx client speaking to `app` in-process, as `peer` (the client address)."""
    return in_process_client(app, peer=peer, raise_server_exceptions=raise_server_exceptions)


def route_policies(app: App) -> dict[tuple[str, str], list[Policy]]:
    """Every (method, path) of the app, with the policies its route declares."""
    return declared_policies(app)


__all__ = ["App", "build_app", "client_for", "openapi_schema", "route_policies"]
