"""How the service answers what goes wrong: the status of a body sent with the wrong type,
and the security events that refusals are."""

from http import HTTPStatus
from typing import Protocol

import structlog

from ..errors import (
    AuthenticationError,
    PermissionDeniedError,
    Problem,
    RateLimitedError,
    ServiceError,
)

logger = structlog.get_logger(__name__)


class RequestHeaders(Protocol):
    """A request's headers as every framework offers them: read case-insensitively."""

    def get(self, key: str, /) -> str | None: ...

    def __contains__(self, key: str, /) -> bool: ...


def json_body_sent_as_another_type(headers: RequestHeaders) -> bool:
    """Whether a route that reads JSON was sent its body as something else: 415, not 422.

    No type is wrong only when a body came; a missing body is for validation to report.
    """
    sent = (headers.get("content-type") or "").partition(";")[0].strip().lower()
    if not sent:
        chunked = "transfer-encoding" in headers
        return chunked or headers.get("content-length") not in (None, "", "0")
    is_json = sent == "application/json" or sent.endswith("+json")
    return not (is_json and sent.startswith("application/"))


def framework_refusal(status: int) -> Problem:
    """The framework's own refusal (no route, a method not allowed, unreadable input): its
    details may quote the request, so the status's phrase stands for them."""
    return Problem(status=status, detail=HTTPStatus(status).phrase)


def log_refusal(error: ServiceError, *, method: str, path: str) -> None:
    """Log the security event a refusal is; the caller is named by the request context,
    never by the credential."""
    if isinstance(error, AuthenticationError):
        logger.warning("authentication_failed", method=method, path=path)
    elif isinstance(error, PermissionDeniedError):
        # Whether a route's policy or an object-level rule refused.
        logger.warning("authorization_denied", method=method, path=path)
    elif isinstance(error, RateLimitedError):
        logger.warning("rate_limited", method=method, path=path, bucket=error.bucket)
