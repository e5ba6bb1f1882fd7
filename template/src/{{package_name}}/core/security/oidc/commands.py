"""What OIDC adds to the command line: nothing, the identity provider manages accounts."""

import argparse

from ...settings import Settings


def add_commands(_: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """No command of its own: users are provisioned from their first token."""


def create_first_superuser(_: Settings) -> None:
    """Superusers are the users whose tokens carry OIDC_SUPERUSER_ROLE: none to create."""
