"""The routes' declared policies, as the tests check them (read through the adapter)."""

import uuid

from ..core.authorization import Policy, Principal
from ..core.models import Role
from .adapter import App, route_policies
from .principals import Kind

Route = tuple[str, str]

__all__ = ["Policy", "Route", "declared_policies", "synthetic_principal"]


def declared_policies(app: App) -> dict[Route, list[Policy]]:
    """The app's routes and their policies, without the test-only probe routes."""
    return {
        route: policies
        for route, policies in route_policies(app).items()
        if not route[1].startswith("/_probe")
    }


def synthetic_principal(kind: Kind) -> Principal:
    """A principal of the kind, to ask a policy what it allows."""
    return Principal(
        user_id=uuid.uuid4(),
        role=Role.MEMBER if kind is Kind.MEMBER else Role.ADMIN,
        is_superuser=kind is Kind.SUPERUSER,
    )
