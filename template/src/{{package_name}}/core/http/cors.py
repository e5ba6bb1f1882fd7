"""Cross-origin requests: allowed only from the configured origins, never with credentials.

Only exactly configured origins are echoed (with `Vary: Origin`); `*` (development only,
refused at start elsewhere) is answered as `*`. No response allows credentials, so none
pairs them with `*`. A refused preflight is answered as a 400 problem by the adapter.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from .headers import REQUEST_ID_HEADER

ALLOWED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ALLOWED_HEADERS = ("Authorization", "Content-Type", "X-API-Key", REQUEST_ID_HEADER)
EXPOSED_HEADERS = (REQUEST_ID_HEADER,)
PREFLIGHT_MAX_AGE = 600
REFUSED_DETAIL = "The cross-origin request is not allowed."
# Headers every browser may send without asking, so a preflight may list them too.
_SAFELISTED = frozenset({"accept", "accept-language", "content-language", "content-type"})


@dataclass(frozen=True)
class Preflight:
    """The answer to a preflight request: its headers, or `allowed` false for a refusal."""

    allowed: bool
    headers: dict[str, str]


class CorsPolicy:
    def __init__(self, origins: Sequence[str]) -> None:
        self.any_origin = "*" in origins
        self.origins = frozenset(origins)
        self._allowed_headers = frozenset(name.lower() for name in ALLOWED_HEADERS) | _SAFELISTED

    def _allows(self, origin: str) -> bool:
        return self.any_origin or origin in self.origins

    def _origin_headers(self, origin: str) -> dict[str, str]:
        if self.any_origin:
            return {"Access-Control-Allow-Origin": "*"}
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}

    def response_headers(self, origin: str | None) -> dict[str, str]:
        """Headers for the response to a simple or actual cross-origin request."""
        if origin is None:
            return {}
        if not self._allows(origin):
            return {} if self.any_origin else {"Vary": "Origin"}
        return {
            **self._origin_headers(origin),
            "Access-Control-Expose-Headers": ", ".join(EXPOSED_HEADERS),
        }

    def preflight(self, origin: str, method: str, requested_headers: str | None) -> Preflight:
        """Allow the origin, the method and every requested header, or refuse."""
        headers = {} if self.any_origin else {"Vary": "Origin"}
        requested = {
            name.strip().lower() for name in (requested_headers or "").split(",") if name.strip()
        }
        allowed = (
            self._allows(origin)
            and method in ALLOWED_METHODS
            and requested <= self._allowed_headers
        )
        if not allowed:
            return Preflight(allowed=False, headers=headers)
        return Preflight(
            allowed=True,
            headers={
                **headers,
                **self._origin_headers(origin),
                "Access-Control-Allow-Methods": ", ".join(ALLOWED_METHODS),
                "Access-Control-Allow-Headers": ", ".join(ALLOWED_HEADERS),
                "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE),
            },
        )
