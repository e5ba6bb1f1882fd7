"""What password authentication adds to the command line: the first superuser on `migrate`."""

import argparse

import structlog

from ...settings import Settings

logger = structlog.get_logger(__name__)


def add_commands(_: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """No command of its own: users log in over HTTP."""


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
