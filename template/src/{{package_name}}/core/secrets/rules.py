"""What makes a secret unusable, whichever source supplied it.

A placeholder left in place, a value printed in documentation, or a signing key too weak
to resist guessing stops the service at start-up. Messages state the rule, never the value.
"""

import re
from urllib.parse import urlsplit

from pydantic import SecretStr
from zxcvbn import zxcvbn

MIN_KEY_BYTES = 32
# zxcvbn's estimate of the guesses a cracker needs, as a power of ten: random 32-byte keys
# score above 30; words, keyboard rows, sequences and repetitions, padded or not, far less.
MIN_KEY_GUESSES_LOG10 = 28
# zxcvbn judges at most this many characters; a key whose start is guessable is weak.
GUESS_ESTIMATE_MAX_CHARACTERS = 72

# Keys printed in framework documentation, tutorials and JWT wordlists, whatever their
# length: attackers try these first. Compared case-insensitively.
PUBLISHED_SECRETS = frozenset(
    {
        # FastAPI's OAuth2 with JWT tutorial.
        # pragma: allowlist nextline secret
        "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7",
        # jwt.io's debugger.
        "a-string-secret-at-least-256-bits-long",  # pragma: allowlist secret
        "your-256-bit-secret",  # pragma: allowlist secret
        "your-384-bit-secret",  # pragma: allowlist secret
        "your-512-bit-secret",  # pragma: allowlist secret
        # Spring Security JWT tutorials.
        # pragma: allowlist nextline secret
        "404e635266556a586e3272357538782f413f4428472b4b6250645367566b5970",
        # pragma: allowlist nextline secret
        "5367566b59703373367639792f423f4528482b4d6251655468576d5a71347437",
        # Flask-JWT-Extended's and Litestar's examples, the Full Stack FastAPI template.
        "super-secret",  # pragma: allowlist secret
        "abcd123",  # pragma: allowlist secret
        "changethis",  # pragma: allowlist secret
        # Frequent entries of JWT secret wordlists.
        "secretkey",  # pragma: allowlist secret
        "secret_key",  # pragma: allowlist secret
        "jwt_secret",  # pragma: allowlist secret
        "jwtsecret",  # pragma: allowlist secret
        "mysecretkey",  # pragma: allowlist secret
        "supersecretkey",  # pragma: allowlist secret
    }
)

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


def is_published(value: str) -> bool:
    return value.strip().lower() in PUBLISHED_SECRETS


def is_guessable(key: str) -> bool:
    """A word, a pattern, a repetition or a tiny alphabet, however long: not random."""
    estimate = zxcvbn(key[:GUESS_ESTIMATE_MAX_CHARACTERS])
    return float(estimate["guesses_log10"]) < MIN_KEY_GUESSES_LOG10


def check_secret(setting: str, secret: SecretStr) -> None:
    """Raise ValueError when the secret is a placeholder, published, or a key too weak to
    trust."""
    value = secret.get_secret_value()
    # A URL's password is a secret of its own: postgresql://app:change-me@db/app.
    password = urlsplit(value).password if "://" in value else None
    candidates = (value,) if password is None else (value, password)
    if any(is_placeholder(candidate) for candidate in candidates):
        raise ValueError("is a placeholder: set the real value")
    if any(is_published(candidate) for candidate in candidates):
        raise ValueError("is published in documentation or wordlists: generate a new key")
    if not is_signing_key(setting):
        return
    if len(value.encode()) < MIN_KEY_BYTES:
        raise ValueError(f"is too weak: a key needs at least {MIN_KEY_BYTES} random bytes")
    if is_guessable(value):
        raise ValueError("is too weak: it is guessable, not random; generate a new key")
