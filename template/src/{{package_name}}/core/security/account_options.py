"""Who a new account made on the command line is: a superuser, or a role in a tenant."""

import argparse
import uuid
from typing import TYPE_CHECKING

from ..tenancy import TenantOption

if TYPE_CHECKING:
    from ..models import Role


def add_account_options(parser: argparse.ArgumentParser, holder: str) -> None:
    """`--superuser` or `--role`, and `--tenant` when the service has tenants."""
    scope = parser.add_mutually_exclusive_group(required=True)
    scope.add_argument("--superuser", action="store_true", help=f"the {holder} acts as a superuser")
    scope.add_argument("--role", choices=["admin", "member"], help=f"the {holder}'s role")
    TenantOption.add(parser)


def read_account_options(args: argparse.Namespace) -> "tuple[Role, uuid.UUID | None]":
    """The account's role and tenant; a usage error for a wrong combination."""
    from ..models import Role

    tenant_id = TenantOption.read(args, superuser=args.superuser)
    return (Role.ADMIN if args.superuser else Role(args.role)), tenant_id
