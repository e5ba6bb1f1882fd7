"""What makes a secret unusable, whichever source supplied it.

A placeholder left in place or a signing key too weak to resist guessing stops the service
at start-up. Messages state the rule, never the value.
"""

import re
from urllib.parse import urlsplit

from pydantic import SecretStr

MIN_KEY_BYTES = 32
# Random keys of 32 bytes or more use far more distinct characters than this.
MIN_KEY_DISTINCT_CHARACTERS = 10

# Values that only ever stand in for a real secret, as written in .env.example and docs.
PLACEHOLDER_WORDS = ("change-me", "change_me", "changeme", "replace-me", "replaceme")
WEAK_VALUES = frozenset({"secret", "password", "placeholder", "example", "xxx", "todo"})
TEMPLATE_MARKER = re.compile(r"<[^<>]+>|\$\{[^}]*\}|\{\{[^}]*\}\}")


def is_signing_key(setting: str) -> bool:
    """Settings named `*_secret` (JWT_SECRET) are keys: they must be long and random."""
    return setting.lower().endswith("_secret")


def is_placeholder(value: str) -> bool:
    lowered = value.strip().lower()
    return (
        lowered in WEAK_VALUES
        or any(word in lowered for word in PLACEHOLDER_WORDS)
        or TEMPLATE_MARKER.search(lowered) is not None
    )


def check_secret(setting: str, secret: SecretStr) -> None:
    """Raise ValueError when the secret is a placeholder, or a key too weak to trust."""
    value = secret.get_secret_value()
    # A URL's password is a secret of its own: postgresql://app:change-me@db/app.
    password = urlsplit(value).password if "://" in value else None
    if is_placeholder(value) or (password is not None and is_placeholder(password)):
        raise ValueError("is a placeholder: set the real value")
    if not is_signing_key(setting):
        return
    if len(value.encode()) < MIN_KEY_BYTES:
        raise ValueError(f"is too weak: a key needs at least {MIN_KEY_BYTES} random bytes")
    if len(set(value)) < MIN_KEY_DISTINCT_CHARACTERS:
        raise ValueError("is too weak: it is repetitive, not random; generate a new key")
