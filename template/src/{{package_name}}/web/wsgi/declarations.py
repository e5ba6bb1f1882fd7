"""How a route of a WSGI framework declares its policy and is admitted, read from the WSGI
environ alone: the shared half of the adapter's declarations (the adapter's half only
hands over the environ of its request)."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Generic, TypeVar
from urllib.parse import parse_qsl

from sqlalchemy.orm import Session

from ...core.authorization import Policy, Principal
from ...core.database import SessionFactory
from ...core.http.admission import Admission, RequestContext
from ...core.rate_limit import Quota
from ...core.security.credentials import Credential
from ...core.security.mode import CREDENTIAL_HEADER
from .edge import set_quota

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

C = TypeVar("C")
_CREDENTIAL_VARIABLE = "HTTP_" + CREDENTIAL_HEADER.upper().replace("-", "_")


def client_address(environ: "WSGIEnvironment") -> str:
    """The client's address, already resolved through trusted proxies by the edge."""
    return str(environ.get("REMOTE_ADDR") or "unknown")


class Declaration(Generic[C]):
    """How a route admits its requests, and what it then works with (`C`)."""

    policy: Policy

    def admit(self, environ: "WSGIEnvironment") -> AbstractContextManager[C]:
        raise NotImplementedError


class Public(Declaration[None]):
    """Counted per client address by `count` (the admission's `public` or `liveness`)."""

    policy = Policy.PUBLIC

    def __init__(self, count: Callable[[str], Quota | None]) -> None:
        self.count = count

    @contextmanager
    def admit(self, environ: "WSGIEnvironment") -> Iterator[None]:
        quota = self.count(client_address(environ))
        if quota is not None:
            set_quota(environ, quota)
        yield


class PublicSession(Declaration[Session]):
    """A public route that needs the database (login, refresh)."""

    policy = Policy.PUBLIC

    def __init__(self, admission: Admission, sessions: SessionFactory) -> None:
        self.admission = admission
        self.sessions = sessions

    @contextmanager
    def admit(self, environ: "WSGIEnvironment") -> Iterator[Session]:
        with self.sessions() as db:
            set_quota(environ, self.admission.public_session(db, client_address(environ)))
            yield db


class Guarded(Declaration[RequestContext]):
    def __init__(self, policy: Policy, admission: Admission, sessions: SessionFactory) -> None:
        self.policy = policy
        self.admission = admission
        self.sessions = sessions

    @contextmanager
    def admit(self, environ: "WSGIEnvironment") -> Iterator[RequestContext]:
        query = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        credential = Credential(
            header=environ.get(_CREDENTIAL_VARIABLE),
            query_names=frozenset(name for name, _ in query),
        )
        with self.sessions() as db:
            address = client_address(environ)
            principal, quota = self.admission.guarded(db, credential, self.policy, address)
            set_quota(environ, quota)
            yield RequestContext(db=db, principal=principal)


class Declarations:
    """The declarations of one WSGI app, bound to its admission and database."""

    def __init__(self, admission: Admission, sessions: SessionFactory) -> None:
        self.admission = admission
        self.sessions = sessions

    def requires(self, policy: Policy) -> Guarded:
        return Guarded(policy, self.admission, self.sessions)

    def public(self) -> Public:
        return Public(self.admission.public)

    def liveness(self) -> Public:
        return Public(self.admission.liveness)

    def public_session(self) -> PublicSession:
        return PublicSession(self.admission, self.sessions)

    def credential_attempt_from(
        self,
        environ: "WSGIEnvironment",
        *,
        email: str | None = None,
        principal: Principal | None = None,
    ) -> AbstractContextManager[None]:
        """Count a failed attempt against the client's address and the account."""
        return self.admission.credential_attempt(
            client_address(environ), email=email, principal=principal
        )
