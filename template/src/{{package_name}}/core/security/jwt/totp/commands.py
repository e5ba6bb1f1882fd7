"""What password authentication with TOTP adds to the command line: `create-user` and the
first superuser on `migrate` (as without TOTP), and `rotate-encryption-keys`."""

import argparse

import structlog

from ....settings import Settings
from .. import commands as password_commands
from ..commands import create_first_superuser

logger = structlog.get_logger(__name__)

__all__ = ["add_commands", "create_first_superuser"]


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    password_commands.add_commands(commands)
    commands.add_parser(
        "rotate-encryption-keys",
        help="re-encrypt every stored TOTP secret with the first key of DATA_ENCRYPTION_KEYS",
    ).set_defaults(run=rotate_encryption_keys)


def rotate_encryption_keys(settings: Settings, _: argparse.Namespace) -> int:
    """Once done, keys after the first one may be removed from DATA_ENCRYPTION_KEYS."""
    from ....database import standalone_session
    from .encryption import SecretBox
    from .service import TotpService

    with standalone_session(settings) as db:
        resealed = TotpService(db, SecretBox(settings.data_encryption_keys)).reseal_all()
    logger.info("encryption_keys_rotated", secrets=resealed)
    print(f"Re-encrypted {resealed} TOTP secrets with the first key.")
    return 0
