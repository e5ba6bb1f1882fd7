"""The one-time codes: TOTP per RFC 6238 (SHA-1, 6 digits, 30 s steps, one step of drift
either way) and the random recovery codes, stored as digests."""

import base64
import hashlib
import secrets
from datetime import datetime
from typing import Final

import pyotp

from ..... import SERVICE_NAME

DIGITS: Final = 6
STEP_SECONDS: Final = 30
DRIFT_STEPS: Final = 1
RECOVERY_CODE_COUNT: Final = 10
# 80 random bits each: out of reach of guessing, so a fast digest suits them (as refresh
# tokens); shown in groups of four characters.
RECOVERY_CODE_BYTES: Final = 10


def new_secret() -> str:
    """A random base32 TOTP secret of 160 bits, the size RFC 4226 recommends."""
    return pyotp.random_base32()


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, digest=hashlib.sha1, interval=STEP_SECONDS)


def provisioning_uri(secret: str, account: str) -> str:
    """The `otpauth://` URI authenticator apps read (usually from a QR code)."""
    return _totp(secret).provisioning_uri(name=account, issuer_name=SERVICE_NAME)


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step within the drift window whose code this is, or None."""
    totp = _totp(secret)
    current = totp.timecode(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if pyotp.utils.strings_equal(code, totp.generate_otp(step)):
            return step
    return None


def new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = base64.b32encode(secrets.token_bytes(RECOVERY_CODE_BYTES)).decode()
        codes.append("-".join(raw[start : start + 4] for start in range(0, len(raw), 4)))
    return codes


def recovery_code_digest(code: str) -> str:
    """The digest of a recovery code as typed: case, spaces and hyphens do not matter."""
    normalized = "".join(code.split()).replace("-", "").upper()
    return hashlib.sha256(normalized.encode("utf-8", "surrogatepass")).hexdigest()
