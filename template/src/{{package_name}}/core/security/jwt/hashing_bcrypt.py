"""Password hashing with bcrypt, cost 12."""

from typing import Final

from pwdlib import PasswordHash
from pwdlib.hashers.bcrypt import BcryptHasher

ALGORITHM: Final = "bcrypt"
PARAMETERS: Final = {"rounds": 12}
# bcrypt reads 72 bytes at most: longer passwords are refused, never silently truncated.
MAX_PASSWORD_BYTES: Final[int | None] = 72


def make_hasher(*, rounds: int) -> PasswordHash:
    return PasswordHash((BcryptHasher(rounds=rounds),))


HASHER: Final = make_hasher(**PARAMETERS)
