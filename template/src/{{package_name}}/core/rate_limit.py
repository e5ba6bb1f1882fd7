"""The rate-limit policy, independent of the web framework: limits, keys, buckets, failures.

Requests count against RATE_LIMIT_DEFAULT per principal (per client address when anonymous).
Credential endpoints also count their failed attempts against RATE_LIMIT_LOGIN, once per
submitted account and once per client address, so that neither rotating addresses nor
rotating accounts gets more guesses. Counters live in the storage of the chosen backend,
through the `limits` library's moving window; when that storage fails the request is refused
with 503 (fail closed), never let through unlimited; the outage is logged as it begins and
as it ends.
"""

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import NoReturn, TypeVar

from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from .authorization import Principal
from .errors import AuthenticationError, RateLimitedError, ServiceUnavailableError
from .reachability import Reachability

T = TypeVar("T")

_REQUESTS = "requests"
_CREDENTIALS = "credentials"


class RateLimitUnavailableError(ServiceUnavailableError):
    """The counters cannot be read: refusing is safer than serving without limits."""

    def __init__(self) -> None:
        super().__init__("The service cannot check its rate limits; retry later.")


@dataclass(frozen=True)
class Quota:
    """Where a caller stands in one limit, as the RateLimit-* response headers say it."""

    limit: int
    remaining: int
    reset_after: int

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_after),
        }


def principal_key(principal: Principal) -> str:
    """The key of an authenticated caller; the tenant is part of it where there is one."""
    return f"principal:{principal.tenant_id or '-'}:{principal.user_id}"


def address_key(address: str) -> str:
    return f"address:{address}"


def account_key(email: str) -> str:
    """The key of a submitted account, known or not, in the form logins compare emails."""
    # Escaped, so that an unpaired surrogate cannot break a storage that encodes keys.
    normalized = email.strip().lower().encode("utf-8", "backslashreplace").decode()
    return f"account:{normalized}"


class RateLimiter:
    def __init__(self, storage: Storage, *, default: str, credentials: str) -> None:
        self._limiter = MovingWindowRateLimiter(storage)
        self.default = parse(default)
        self.credentials = parse(credentials)
        # Counters in this process's memory: a hit waits on no I/O (redis ones do).
        self.in_process = isinstance(storage, MemoryStorage)
        self._storage = Reachability(
            "rate_limit_storage_unavailable", "rate_limit_storage_available"
        )

    def hit(self, key: str) -> Quota:
        """Count one request of `key` against the default limit; 429 once it is exhausted."""
        allowed = self._guarded(partial(self._limiter.hit, self.default, _REQUESTS, key))
        quota = self._quota(self.default, _REQUESTS, key)
        if not allowed:
            self._refuse(quota, _REQUESTS)
        return quota

    @contextmanager
    def credential_attempt(self, *keys: str) -> Iterator[None]:
        """Refuse the attempt if any bucket is full; count it in every bucket only if it fails.

        A successful attempt neither counts nor resets, so an attacker who also owns an account
        cannot clear the buckets of the address or account being guessed.
        """
        for key in keys:
            if not self._guarded(partial(self._limiter.test, self.credentials, _CREDENTIALS, key)):
                self._refuse(self._quota(self.credentials, _CREDENTIALS, key), _CREDENTIALS)
        try:
            yield
        except AuthenticationError:
            for key in keys:
                self._guarded(partial(self._limiter.hit, self.credentials, _CREDENTIALS, key))
            raise

    def _quota(self, item: RateLimitItem, bucket: str, key: str) -> Quota:
        stats = self._guarded(partial(self._limiter.get_window_stats, item, bucket, key))
        reset_after = max(0, math.ceil(stats.reset_time - time.time()))
        return Quota(limit=item.amount, remaining=stats.remaining, reset_after=reset_after)

    @staticmethod
    def _refuse(quota: Quota, bucket: str) -> NoReturn:
        # The event names the bucket only: keys hold addresses and submitted emails.
        raise RateLimitedError(
            retry_after=quota.reset_after, bucket=bucket, limit_headers=quota.headers()
        )

    def _guarded(self, call: Callable[[], T]) -> T:
        ticket = self._storage.ticket()
        try:
            answer = call()
        except StorageError as error:
            self._storage.lost(error, ticket)
            raise RateLimitUnavailableError from None
        self._storage.regained(ticket)
        return answer
