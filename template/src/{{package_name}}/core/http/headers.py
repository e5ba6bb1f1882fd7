"""The headers every response carries, and the request id that names each request."""

import os
import re
from collections.abc import Mapping

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is reused only if it cannot smuggle anything into logs or headers.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=()"
    ),
    "Cache-Control": "no-store",
}
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def request_id(incoming: str | None) -> str:
    """The caller's X-Request-ID when it is safe to repeat, else a new one."""
    if incoming is not None and _SAFE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return new_request_id()


def new_request_id() -> str:
    """A random (version 4) UUID in its usual text form, built from the random bytes
    directly: `str(uuid.uuid4())` costs several times as much, on every request."""
    digits = os.urandom(16).hex()
    variant = "89ab"[int(digits[16], 16) & 3]
    return f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-{variant}{digits[17:20]}-{digits[20:]}"


def security_headers(
    path: str, *, over_https: bool, page_policies: Mapping[str, str]
) -> dict[str, str]:
    """The security headers of a response to `path`.

    `page_policies` gives the few HTML pages (the docs) their own content security policy;
    everything else is JSON and gets one that allows nothing. HSTS goes on responses sent
    over HTTPS, including those a trusted proxy says it received over HTTPS.
    """
    headers = {
        **SECURITY_HEADERS,
        "Content-Security-Policy": page_policies.get(path, API_CONTENT_SECURITY_POLICY),
    }
    if over_https:
        headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    return headers
