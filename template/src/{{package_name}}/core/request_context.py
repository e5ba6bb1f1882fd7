"""Who is calling, for the duration of one request: set by authentication, read by the logs.

The web adapter opens a `request_scope` around each request; authentication calls
`bind_principal(user_id, tenant_id)` once it knows the caller. From then on every log line
of the request carries `user` and `tenant` (None before, and for anonymous requests).

The scope is one mutable object shared through a context variable, so a binding made in a
worker thread (where frameworks run synchronous dependencies on a copy of the context) is
still seen by the code that opened the scope.
"""

from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from uuid import UUID


@dataclass
class RequestScope:
    request_id: str
    user: str | None = None
    tenant: str | None = None


_current: ContextVar[RequestScope | None] = ContextVar("request_scope", default=None)


@contextmanager
def request_scope(request_id: str) -> Iterator[RequestScope]:
    """Open the scope of one request; nested code reads and binds it until the block ends."""
    scope = RequestScope(request_id)
    token = _current.set(scope)
    try:
        yield scope
    finally:
        _current.reset(token)


def bind_principal(user_id: UUID | str, tenant_id: UUID | str | None) -> None:
    """Record the authenticated caller of the current request (no-op outside a request)."""
    scope = _current.get()
    if scope is not None:
        scope.user = str(user_id)
        scope.tenant = None if tenant_id is None else str(tenant_id)


def add_request_context(
    _logger: object, _method: str, event: MutableMapping[str, object]
) -> MutableMapping[str, object]:
    """structlog processor: add the request id, user and tenant to lines logged in a request."""
    scope = _current.get()
    if scope is not None:
        event.setdefault("request_id", scope.request_id)
        event.setdefault("user", scope.user)
        event.setdefault("tenant", scope.tenant)
    return event
