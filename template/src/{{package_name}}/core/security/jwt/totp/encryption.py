"""The TOTP secrets at rest: Fernet (AES-128-CBC with HMAC-SHA256) under rotating keys.

The first key of DATA_ENCRYPTION_KEYS encrypts; every listed key decrypts, so a new key is
put first, `rotate-encryption-keys` re-encrypts the stored secrets, and the old key can go.
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import SecretStr

from .settings import encryption_keys


class UnreadableSecretError(Exception):
    """A stored secret that none of the configured keys decrypts."""


class SecretBox:
    def __init__(self, keys: SecretStr) -> None:
        self._fernet = MultiFernet([Fernet(key) for key in encryption_keys(keys)])

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            raise UnreadableSecretError from None

    def reseal(self, sealed: str) -> str:
        """The secret encrypted with the newest key."""
        try:
            return self._fernet.rotate(sealed.encode()).decode()
        except InvalidToken:
            raise UnreadableSecretError from None
