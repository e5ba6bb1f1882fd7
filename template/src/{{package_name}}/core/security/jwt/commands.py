"""What password authentication adds to the command line: `create-user`, and the first
superuser on `migrate`."""

import argparse
import sys

import structlog
from pydantic import TypeAdapter, ValidationError

from ...errors import UsageError
from ...settings import Settings
from ..account_options import add_account_options, read_account_options

logger = structlog.get_logger(__name__)


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "create-user",
        help="create a user whose password is read from standard input; print the user's id",
    )
    parser.add_argument("--email", required=True, help="the user's email, their login")
    add_account_options(parser, "user")
    parser.set_defaults(run=create_user, log_stream=sys.stderr)


def create_user(settings: Settings, args: argparse.Namespace) -> int:
    """Create the user; the password comes on standard input, never as an argument, so that
    it stays out of the shell's history and the process list."""
    from ...database import standalone_session
    from ...errors import ConflictError, InvalidRequestError
    from ...models import User
    from ...users import add_account, normalize_email
    from ...validation import Email
    from .passwords import NewPassword, set_password

    role, tenant_id = read_account_options(args)
    email = normalize_email(_valid("--email", TypeAdapter(Email), args.email))
    password = _valid("password (standard input)", TypeAdapter(NewPassword), sys.stdin.readline())
    with standalone_session(settings) as db:
        try:
            user = add_account(
                db, User(email=email, role=role, is_superuser=args.superuser), tenant_id
            )
        except ConflictError as error:
            raise UsageError(f"--email: {error.detail}") from None
        except InvalidRequestError as error:
            raise UsageError(f"--tenant: {error.error.msg}") from None
        set_password(db, user.id, password)
        db.commit()
        print(user.id)
    logger.info("user_created", user_id=str(user.id))
    return 0


def _valid(name: str, kind: "TypeAdapter[str]", value: str) -> str:
    """`value` validated as `kind`, or a usage error that names the input and the rule."""
    try:
        valid = kind.validate_python(value.rstrip("\r\n"))
    except ValidationError as error:
        reason = error.errors()[0]["msg"].removeprefix("Value error, ")
        raise UsageError(f"{name}: {reason}") from None
    return valid


def create_first_superuser(settings: Settings) -> None:
    """Create the superuser of FIRST_SUPERUSER_EMAIL/PASSWORD unless that email exists."""
    email, password = settings.first_superuser_email, settings.first_superuser_password
    if email is None or password is None:
        return
    from sqlalchemy import select

    from ...database import standalone_session
    from ...models import Role, User
    from ...users import normalize_email
    from .passwords import set_password

    email = normalize_email(email)
    with standalone_session(settings) as db:
        if db.scalar(select(User.id).where(User.email == email)) is not None:
            return
        user = User(email=email, role=Role.ADMIN, is_superuser=True)
        db.add(user)
        db.flush()
        set_password(db, user.id, password.get_secret_value())
        db.commit()
        logger.info("first_superuser_created", user_id=str(user.id))
