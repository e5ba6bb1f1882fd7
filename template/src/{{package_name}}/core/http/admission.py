"""Who may make a request: the admission sequence every route runs, in every framework.

A guarded route authenticates the caller (401 first), names the caller in the request's
log context, counts the request against the caller's rate limit, asks the route's policy
(403), and holds the database session to the caller's tenant, in that order. A public
route counts against the client address; the liveness probe too, but it is answered while
the counters cannot be read. Credential endpoints also count their failed
attempts, per account and per address (`credential_attempt`).
"""

from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..authorization import Policy, Principal
from ..choices import rate_limit_backend
from ..errors import AccountSetupRequiredError, AuthenticationError, PermissionDeniedError
from ..rate_limit import (
    Quota,
    RateLimiter,
    RateLimitUnavailableError,
    account_key,
    address_key,
    principal_key,
)
from ..repositories import enter_tenant_context
from ..request_context import bind_principal
from ..security.credentials import Credential
from ..security.mode import Authenticator
from ..settings import AppEnv, Settings
from ..tenancy import ALL_TENANTS, TenantContext


@dataclass(frozen=True)
class RequestContext:
    """What an authenticated route works with: a database session and the caller."""

    db: Session
    principal: Principal


class Admission:
    def __init__(self, authenticator: Authenticator, limiter: RateLimiter) -> None:
        self.authenticator = authenticator
        self.limiter = limiter

    @classmethod
    def of(cls, settings: Settings) -> "Admission":
        """The admission of the service `settings` describe: its authentication mode, and
        its rate limits in the chosen backend."""
        production = settings.app_env is AppEnv.PRODUCTION
        storage = rate_limit_backend.create_storage(settings, production=production)
        limiter = RateLimiter(
            storage, default=settings.rate_limit_default, credentials=settings.rate_limit_login
        )
        return cls(Authenticator(settings), limiter)

    def public(self, address: str) -> Quota:
        """A public request: limited per client address."""
        return self.limiter.hit(address_key(address))

    def liveness(self, address: str) -> Quota | None:
        """The liveness probe: limited like a public request, but answered (without a
        quota) while the counters cannot be read, so a redis outage restarts no instance."""
        try:
            return self.public(address)
        except RateLimitUnavailableError:
            return None

    @property
    def public_waits_on_io(self) -> bool:
        """Whether `public` waits on the network (a shared limiter), so that an event loop
        must run it in a worker thread rather than inline."""
        return not self.limiter.in_process

    def public_session(self, db: Session, address: str) -> Quota:
        """A public request that needs the database (login, refresh): credentials are
        looked up before anyone's tenant is known."""
        quota = self.public(address)
        enter_tenant_context(db, ALL_TENANTS)
        return quota

    def guarded(
        self, db: Session, credential: Credential, policy: Policy, address: str
    ) -> tuple[Principal, Quota]:
        """The caller and their quota, once authenticated, limited and allowed."""
        enter_tenant_context(db, ALL_TENANTS)
        try:
            principal = self.authenticator.authenticate(db, credential)
        except AuthenticationError:
            # Bad credentials count against the address, so guessing them is limited too.
            self.public(address)
            raise
        # From here on, every log line of the request names the caller.
        bind_principal(principal.user_id, principal.tenant_id)
        quota = self.limiter.hit(principal_key(principal))
        if principal.pending_setup is not None and policy is not Policy.ACCOUNT:
            raise AccountSetupRequiredError(principal.pending_setup)
        if not policy.allows(principal):
            # Logged as `authorization_denied` with the other 403s, by the problem handler.
            raise PermissionDeniedError(policy.refusal)
        # The tenant comes from the credential alone; the route's work is held to it.
        enter_tenant_context(db, TenantContext.of(principal))
        return principal, quota

    def credential_attempt(
        self, address: str, *, email: str | None = None, principal: Principal | None = None
    ) -> AbstractContextManager[None]:
        """Count a failed credential check per client address and per account (the email
        submitted, or the caller)."""
        keys = [address_key(address)]
        if email is not None:
            keys.append(account_key(email))
        if principal is not None:
            keys.append(principal_key(principal))
        return self.limiter.credential_attempt(*keys)
