"""What API-key authentication adds to the command line: `create-api-key`, and the first
superuser's key on `migrate`."""

import argparse
import sys

import structlog

from ...settings import Settings
from ...tenancy import TenantOption

logger = structlog.get_logger(__name__)


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "create-api-key", help="create a user holding a new API key; print the key, nothing else"
    )
    parser.add_argument("--name", required=True, help="what the key is for (1 to 100 characters)")
    scope = parser.add_mutually_exclusive_group(required=True)
    scope.add_argument("--superuser", action="store_true", help="the key acts as a superuser")
    scope.add_argument("--role", choices=["admin", "member"], help="the key's role")
    TenantOption.add(parser)
    parser.set_defaults(run=create_api_key, log_stream=sys.stderr)


def create_api_key(settings: Settings, args: argparse.Namespace) -> int:
    from ...database import standalone_session
    from ...errors import InvalidRequestError
    from ...models import Role
    from .api_keys import create_service_account

    if not 0 < len(args.name) <= 100:
        print("--name must be 1 to 100 characters long", file=sys.stderr)
        return 2
    try:
        tenant_id = TenantOption.read(args, superuser=args.superuser)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    with standalone_session(settings) as db:
        try:
            issued = create_service_account(
                db,
                args.name,
                role=Role.ADMIN if args.superuser else Role(args.role),
                is_superuser=args.superuser,
                tenant_id=tenant_id,
            )
        except InvalidRequestError:
            # Only with tenants: the tenant named does not exist.
            print("--tenant must be the id of an existing tenant", file=sys.stderr)
            return 2
        db.commit()
    print(issued.key)
    return 0


def create_first_superuser(settings: Settings) -> None:
    """Store FIRST_SUPERUSER_API_KEY (hashed) for a new superuser, unless already stored."""
    if settings.first_superuser_api_key is None:
        return
    from sqlalchemy import select

    from ...database import standalone_session
    from ...models import Role
    from .api_keys import create_service_account, key_prefix
    from .models import ApiKey

    key = settings.first_superuser_api_key.get_secret_value()
    with standalone_session(settings) as db:
        if db.scalar(select(ApiKey.id).where(ApiKey.prefix == key_prefix(key))) is not None:
            return
        issued = create_service_account(
            db, "first superuser", role=Role.ADMIN, is_superuser=True, key=key
        )
        db.commit()
        logger.info("first_superuser_created", user_id=str(issued.record.user_id))
