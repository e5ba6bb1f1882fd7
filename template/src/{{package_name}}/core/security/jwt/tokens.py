"""Access tokens: short-lived JWTs (RFC 9068 profile) signed with HS256 and JWT_SECRET.

Verification pins the algorithm, issuer, audience and token type; the key is never taken
from the token's header, so alg=none, HS/RS confusion and jwk/jku/kid tricks all fail.
"""

import threading
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

import jwt
from cachetools import TLRUCache
from pydantic import SecretStr

from .... import SERVICE_NAME
from ...clock import utcnow

ALGORITHM: Final = "HS256"
TOKEN_TYPE: Final = "at+jwt"  # noqa: S105 (the JOSE type of access tokens, not a secret)
ACCESS_CLAIM: Final = "access"
REQUIRED_CLAIMS: Final = ["iss", "aud", "sub", "exp", "iat", "nbf", "jti", "sid", "type"]
# Tokens verified already, each kept until it expires (see AccessTokens.verify).
VERIFIED_TOKENS: Final = 4096


class InvalidAccessTokenError(Exception):
    """The token is not a valid access token of this service; why is not told to callers."""


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    token_id: uuid.UUID
    # When the token expires, in seconds since the epoch.
    expires_at: float


def _until_expiry(_token: str, claims: AccessClaims, _now: float) -> float:
    return claims.expires_at


class AccessTokens:
    def __init__(self, secret: SecretStr, ttl: timedelta) -> None:
        self._key = secret.get_secret_value().encode()
        self.ttl = ttl
        self.issuer = SERVICE_NAME
        self.audience = SERVICE_NAME
        self._verified: TLRUCache[str, AccessClaims] = TLRUCache(
            maxsize=VERIFIED_TOKENS, ttu=_until_expiry, timer=time.time
        )
        self._verified_lock = threading.Lock()

    def issue(self, user_id: uuid.UUID, session_id: uuid.UUID) -> str:
        now = utcnow()
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": str(user_id),
            "iat": now,
            "nbf": now,
            "exp": now + self.ttl,
            "jti": str(uuid.uuid4()),
            "sid": str(session_id),
            "type": ACCESS_CLAIM,
        }
        return jwt.encode(claims, self._key, algorithm=ALGORITHM, headers={"typ": TOKEN_TYPE})

    def verify(self, token: str) -> AccessClaims:
        """The claims of a valid access token.

        A token's signature and claims never change, so a token verified once is taken
        again, byte for byte, until it expires, without checking its signature again.
        Whether its login session is still open is not cached: authentication asks the
        database on every request, so a logout still denies the token at once.
        """
        with self._verified_lock:
            claims = self._verified.get(token)
        if claims is None:
            claims = self._verified_claims(token)
            with self._verified_lock:
                self._verified[token] = claims
        return claims

    def _verified_claims(self, token: str) -> AccessClaims:
        try:
            decoded = jwt.decode_complete(
                token,
                self._key,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": REQUIRED_CLAIMS},
            )
            claims = decoded["payload"]
            if decoded["header"].get("typ") != TOKEN_TYPE or claims["type"] != ACCESS_CLAIM:
                raise InvalidAccessTokenError
            return AccessClaims(
                user_id=uuid.UUID(claims["sub"]),
                session_id=uuid.UUID(claims["sid"]),
                token_id=uuid.UUID(claims["jti"]),
                expires_at=float(claims["exp"]),
            )
        except (jwt.InvalidTokenError, ValueError, TypeError) as error:
            raise InvalidAccessTokenError from error
