"""Password hashing with Argon2id at the OWASP minimum: m=19 MiB, t=2, p=1."""

from typing import Final

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

ALGORITHM: Final = "argon2id"
PARAMETERS: Final = {"time_cost": 2, "memory_cost": 19_456, "parallelism": 1}
# Argon2 hashes the whole password, so no byte limit beyond the policy's length.
MAX_PASSWORD_BYTES: Final[int | None] = None


def make_hasher(*, time_cost: int, memory_cost: int, parallelism: int) -> PasswordHash:
    return PasswordHash(
        (Argon2Hasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism),)
    )


HASHER: Final = make_hasher(**PARAMETERS)
