"""The service's error model: RFC 9457 problem details, independent of any web framework.

Adapters turn every error into a `Problem` and render it with `Problem.to_body`, so all
frameworks answer errors with the same shape.
"""

from dataclasses import dataclass
from http import HTTPStatus
from typing import ClassVar

PROBLEM_CONTENT_TYPE = "application/problem+json"


@dataclass(frozen=True)
class FieldError:
    """Where a request was invalid and why; never the submitted value."""

    loc: tuple[str | int, ...]
    msg: str


@dataclass(frozen=True)
class Problem:
    status: int
    detail: str
    errors: tuple[FieldError, ...] = ()
    type: str = "about:blank"

    @property
    def title(self) -> str:
        return HTTPStatus(self.status).phrase

    def to_body(self, request_id: str) -> dict[str, object]:
        body: dict[str, object] = {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "request_id": request_id,
        }
        if self.errors:
            body["errors"] = [{"loc": list(error.loc), "msg": error.msg} for error in self.errors]
        return body


class UsageError(Exception):
    """A command given input it cannot act on: the command line prints why and exits 2."""


class ServiceError(Exception):
    """An error the core raises on purpose; the adapters answer it with its problem."""

    status: ClassVar[int] = HTTPStatus.INTERNAL_SERVER_ERROR

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def problem(self) -> Problem:
        return Problem(status=self.status, detail=self.detail)

    @property
    def headers(self) -> dict[str, str]:
        """Response headers the error needs, such as an authentication challenge."""
        return {}


class ServiceUnavailableError(ServiceError):
    """A backing service cannot serve the request now: 503 with Retry-After, so callers
    and load balancers come back instead of counting a failure of the service itself."""

    status = HTTPStatus.SERVICE_UNAVAILABLE
    retry_after: ClassVar[int] = 5

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class AuthenticationError(ServiceError):
    """No credential, or one that is not accepted: 401 with the scheme's challenge."""

    status = HTTPStatus.UNAUTHORIZED

    def __init__(self, detail: str, *, challenge: str) -> None:
        super().__init__(detail)
        self.challenge = challenge

    @property
    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": self.challenge}


class PermissionDeniedError(ServiceError):
    status = HTTPStatus.FORBIDDEN


class AccountSetupRequiredError(PermissionDeniedError):
    """The caller must finish setting up their account before anything but the account
    itself; `refusal` says what is missing."""

    def __init__(self, refusal: Problem) -> None:
        super().__init__(refusal.detail)
        self.refusal = refusal

    def problem(self) -> Problem:
        return self.refusal


class NotFoundError(ServiceError):
    """A missing object; the detail names its kind, never its id."""

    status = HTTPStatus.NOT_FOUND


class ConflictError(ServiceError):
    status = HTTPStatus.CONFLICT


class InvalidRequestError(ServiceError):
    """Input that is well-formed but not acceptable for this caller: 422, like a schema error."""

    status = HTTPStatus.UNPROCESSABLE_ENTITY

    def __init__(self, loc: tuple[str | int, ...], msg: str) -> None:
        super().__init__("The request is invalid.")
        self.error = FieldError(loc=loc, msg=msg)

    def problem(self) -> Problem:
        return invalid_request((self.error,))


class ContentTooLargeError(ServiceError):
    """Content over a limit the core enforces itself, such as an attachment's size."""

    status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE


class UnsupportedMediaTypeError(ServiceError):
    """Content of a type the service does not accept, judged from the content itself."""

    status = HTTPStatus.UNSUPPORTED_MEDIA_TYPE


class RateLimitedError(ServiceError):
    """Too many requests: 429 with Retry-After, the seconds until the caller may try again,
    and the RateLimit-* headers of the limit that refused (named by `bucket` in the log)."""

    status = HTTPStatus.TOO_MANY_REQUESTS

    def __init__(
        self,
        detail: str = "Too many requests; retry later.",
        *,
        retry_after: int,
        bucket: str | None = None,
        limit_headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.retry_after = max(1, retry_after)
        self.bucket = bucket
        self.limit_headers = limit_headers or {}

    @property
    def headers(self) -> dict[str, str]:
        return {**self.limit_headers, "Retry-After": str(self.retry_after)}


def invalid_request(errors: tuple[FieldError, ...]) -> Problem:
    return Problem(
        status=HTTPStatus.UNPROCESSABLE_ENTITY, detail="The request is invalid.", errors=errors
    )


def payload_too_large(max_bytes: int) -> Problem:
    return Problem(
        status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        detail=f"The request body exceeds {max_bytes} bytes.",
    )


def unsupported_media_type(expected: str) -> Problem:
    return Problem(
        status=HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
        detail=f"The request body must be sent as {expected}.",
    )


def internal_error(exc: BaseException, *, expose: bool) -> Problem:
    """Describe an unexpected failure; only development exposes what went wrong."""
    detail = f"{type(exc).__name__}: {exc}" if expose else "An unexpected error occurred."
    return Problem(status=HTTPStatus.INTERNAL_SERVER_ERROR, detail=detail)
