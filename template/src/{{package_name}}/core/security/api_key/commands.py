"""What API-key authentication adds to the command line: `create-api-key`, and the first
superuser's key on `migrate`."""

import argparse
import sys

import structlog

from ...errors import UsageError
from ...settings import Settings
from ..account_options import add_account_options, read_account_options

logger = structlog.get_logger(__name__)


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "create-api-key", help="create a user holding a new API key; print the key, nothing else"
    )
    parser.add_argument("--name", required=True, help="what the key is for (1 to 100 characters)")
    add_account_options(parser, "key")
    parser.set_defaults(run=create_api_key, log_stream=sys.stderr)


def create_api_key(settings: Settings, args: argparse.Namespace) -> int:
    from ...database import standalone_session
    from ...errors import InvalidRequestError
    from .api_keys import create_service_account

    if not 0 < len(args.name) <= 100:
        raise UsageError("--name must be 1 to 100 characters long")
    role, tenant_id = read_account_options(args)
    with standalone_session(settings) as db:
        try:
            issued = create_service_account(
                db,
                args.name,
                role=role,
                is_superuser=args.superuser,
                tenant_id=tenant_id,
            )
        except InvalidRequestError:
            # Only with tenants: the tenant named does not exist.
            raise UsageError("--tenant must be the id of an existing tenant") from None
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
