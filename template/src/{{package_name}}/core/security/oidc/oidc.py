"""OIDC resource server: access tokens from the configured issuer, checked against its JWKS.

Keys come only from OIDC_JWKS_URL, or from the `jwks_uri` of the issuer's own discovery
document. They are cached; a token naming an unknown key id triggers at most one refresh
for that id, and refreshes are rate limited, so forged key ids cannot flood the issuer.
"""

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
import structlog

from ...errors import ServiceUnavailableError
from ...validation import is_storable, is_trusted_service_url

logger = structlog.get_logger(__name__)

ALLOWED_ALGORITHMS = ["RS256", "ES256"]
REQUIRED_CLAIMS = ["iss", "aud", "sub", "exp"]
DISCOVERY_PATH = "/.well-known/openid-configuration"
CACHE_SECONDS = 3600.0
RETRY_SECONDS = 60.0
REFRESHES_PER_MINUTE = 6
CLOCK_SKEW_SECONDS = 30
FETCH_TIMEOUT_SECONDS = 5.0


def check_provider_url(url: str) -> str:
    """Keys are trusted only over https; plain http is allowed for loopback test issuers."""
    if is_trusted_service_url(url):
        return url
    raise ValueError("must be an https URL (http only for a loopback address)")


class InvalidOidcTokenError(Exception):
    """The token is not one the issuer signed for this service; why is not told to callers."""


class IdentityProviderUnavailableError(ServiceUnavailableError):
    """The issuer's keys cannot be fetched: 503, not 401, since the token may be valid."""


@dataclass(frozen=True)
class ProviderConfig:
    issuer: str
    audience: str
    jwks_url: str | None


class JwksCache:
    """The issuer's signing keys by key id, fetched lazily and refreshed within bounds."""

    def __init__(self, config: ProviderConfig, clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config
        self.clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._refreshed_for: set[str] = set()
        self._refreshes: deque[float] = deque()
        self._lock = threading.Lock()

    def key(self, kid: str) -> jwt.PyJWK | None:
        with self._lock:
            now = self.clock()
            if self._fetched_at is None or now - self._fetched_at > CACHE_SECONDS:
                self._fetch(now)
                self._refreshed_for.clear()
            elif kid not in self._keys and self._may_refresh_for(kid, now):
                self._fetch(now)
            return self._keys.get(kid)

    def _may_refresh_for(self, kid: str, now: float) -> bool:
        while self._refreshes and now - self._refreshes[0] > 60:
            self._refreshes.popleft()
        if kid in self._refreshed_for or len(self._refreshes) >= REFRESHES_PER_MINUTE:
            return False
        self._refreshed_for.add(kid)
        self._refreshes.append(now)
        return True

    def _fetch(self, now: float) -> None:
        try:
            jwks_url = self.config.jwks_url or self._discover_jwks_url()
            keys = jwt.PyJWKSet.from_dict(_get_json(jwks_url)).keys
        except (httpx.HTTPError, jwt.PyJWKSetError, ValueError) as error:
            logger.warning("jwks_unavailable", error=type(error).__name__)
            if not self._keys:
                raise IdentityProviderUnavailableError(
                    "The identity provider's keys are unavailable."
                ) from error
            # Keep the keys we have, and try again in a minute rather than on every request.
            self._fetched_at = now - CACHE_SECONDS + RETRY_SECONDS
            return
        self._keys = {key.key_id: key for key in keys if key.key_id}
        self._fetched_at = now

    def _discover_jwks_url(self) -> str:
        issuer = self.config.issuer.rstrip("/")
        document = _get_json(issuer + DISCOVERY_PATH)
        if str(document.get("issuer", "")).rstrip("/") != issuer:
            raise ValueError("discovery document of another issuer")
        return check_provider_url(str(document["jwks_uri"]))


def _get_json(url: str) -> dict[str, Any]:
    response = httpx.get(url, timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=False)
    response.raise_for_status()
    document = response.json()
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    return document


class OidcVerifier:
    def __init__(self, config: ProviderConfig, keys: JwksCache) -> None:
        self.config = config
        self.keys = keys

    def verify(self, token: str) -> dict[str, Any]:
        """The token's claims, once its signature, issuer, audience and times are checked."""
        try:
            header = jwt.get_unverified_header(token)
            kid = header.get("kid")
            if header.get("alg") not in ALLOWED_ALGORITHMS or not isinstance(kid, str):
                raise InvalidOidcTokenError
            key = self.keys.key(kid)
            if key is None:
                raise InvalidOidcTokenError
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=ALLOWED_ALGORITHMS,
                audience=self.config.audience,
                issuer=self.config.issuer,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.InvalidTokenError as error:
            raise InvalidOidcTokenError from error
        subject, email = claims["sub"], claims.get("email")
        if not isinstance(subject, str) or not 0 < len(subject) <= 255:
            raise InvalidOidcTokenError
        # Users are provisioned from these claims: text the database cannot store is refused.
        if not is_storable(subject) or (isinstance(email, str) and not is_storable(email)):
            raise InvalidOidcTokenError
        return claims
