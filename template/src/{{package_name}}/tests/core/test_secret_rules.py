"""The rules every secret passes at start-up, whichever source supplied it."""

import secrets
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pydantic import SecretStr

from ...core.secrets.rules import MIN_KEY_BYTES, check_secret, is_signing_key

PROJECT_DIR = Path(__file__).resolve().parents[4]


@pytest.mark.parametrize(
    "value",
    [
        "change-me",
        "CHANGEME",
        "secret",
        "password",
        "postgresql+psycopg://app:change-me@db.internal:5432/app",
        "postgresql+psycopg://<user>:<password>@<host>:<port>/<database>",
        "${DATABASE_PASSWORD}",
    ],
)
def test_placeholders_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="placeholder"):
        check_secret("database_url", SecretStr(value))


@pytest.mark.parametrize(
    "value",
    [
        "x" * (MIN_KEY_BYTES - 1),
        # Its id is fixed, so that parallel workers collect the same tests.
        pytest.param(secrets.token_urlsafe(16), id="random-but-16-bytes"),
        "ab" * MIN_KEY_BYTES,
        "change-me-to-a-long-random-value-please",
    ],
)
def test_weak_signing_keys_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match=r"placeholder|weak") as raised:
        check_secret("signing_secret", SecretStr(value))

    assert value not in str(raised.value)


@pytest.mark.parametrize(
    "value",
    [
        # pragma: allowlist nextline secret
        "09D25E094FAA6CA2556C818166B7A9563B93F7099F6F0F4CAA6CF63B88E8D3E7",
        "a-string-secret-at-least-256-bits-long",  # pragma: allowlist secret
        "postgresql+psycopg://app:super-secret@db.internal/app",  # pragma: allowlist secret
    ],
)
def test_published_secrets_are_refused_whatever_their_length(value: str) -> None:
    with pytest.raises(ValueError, match="published") as raised:
        check_secret("signing_secret", SecretStr(value))

    assert value not in str(raised.value)


@pytest.mark.parametrize(
    "value",
    [
        "mysupersecretkey" * 3,
        "0123456789" * 4,
        "abcdefghijklmnopqrstuvwxyz012345",
        "supersecretkey1234567890123456789",
        "thisisaverylongsecretkeyforjwtsigning",  # pragma: allowlist secret
        "qwertyuiopasdfghjklzxcvbnm123456",  # pragma: allowlist secret
        "01" * 40,
    ],
    ids=["word-repeated", "digits", "alphabet", "word-padded", "phrase", "keyboard", "binary"],
)
def test_guessable_signing_keys_are_refused_however_long(value: str) -> None:
    with pytest.raises(ValueError, match="guessable") as raised:
        check_secret("signing_secret", SecretStr(value))

    assert value not in str(raised.value)


def test_random_signing_keys_and_real_credentials_are_accepted() -> None:
    check_secret("signing_secret", SecretStr(secrets.token_urlsafe(MIN_KEY_BYTES)))
    check_secret("signing_secret", SecretStr(secrets.token_urlsafe(24)))
    check_secret("signing_secret", SecretStr(secrets.token_hex(MIN_KEY_BYTES)))
    real_url = "postgresql+psycopg://app:Zq8v3KfP@db/app"  # pragma: allowlist secret
    check_secret("database_url", SecretStr(real_url))
    check_secret("database_url", SecretStr("sqlite:///./secrets.db"))


def test_env_example_credentials_are_refused_as_they_are() -> None:
    """Copying .env.example unchanged cannot start a service with its credentials."""
    lines = (PROJECT_DIR / ".env.example").read_text(encoding="utf-8").splitlines()
    entries = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    credentials = {
        name: value
        for name, value in entries.items()
        if is_signing_key(name) or ("://" in value and urlsplit(value).password)
    }

    for name, value in credentials.items():
        with pytest.raises(ValueError, match=r"placeholder|weak"):
            check_secret(name.lower(), SecretStr(value))
