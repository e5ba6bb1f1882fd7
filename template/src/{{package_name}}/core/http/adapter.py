"""The contract of a web adapter (web/<framework>/): what the service needs of a framework.

An adapter creates the app from the settings, serves it with the framework's production
server (closing connections whose request headers are still incomplete after
`header_read_timeout` seconds), and lists the policy each of its routes declares (so the
tests can prove none was left undeclared). It translates; the rules are the core's (core/http/).
"""

from typing import Protocol, TypeVar

from ..authorization import Policy
from ..settings import Settings

Route = tuple[str, str]
App = TypeVar("App")


class WebAdapter(Protocol[App]):
    """Generic in the framework's application type."""

    def create_app(self, settings: Settings) -> App: ...

    def serve(
        self, settings: Settings, *, host: str, port: int, header_read_timeout: float
    ) -> None: ...

    def declared_policies(self, app: App) -> dict[Route, list[Policy]]: ...
