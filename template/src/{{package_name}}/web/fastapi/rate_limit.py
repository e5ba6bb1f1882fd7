"""Apply the core's rate-limit policy to FastAPI requests and put its headers on responses.

The route declarations of web/auth.py count every request (per principal, or per client
address when anonymous); credential routes wrap their check in `credential_attempt`.
"""

from contextlib import AbstractContextManager
from typing import cast

from fastapi import FastAPI, Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...core.authorization import Principal
from ...core.rate_limit import Quota, RateLimiter, account_key, address_key, principal_key

_QUOTA = "rate_limit_quota"


def install_rate_limiter(app: FastAPI, limiter: RateLimiter) -> None:
    app.state.rate_limiter = limiter
    app.add_middleware(RateLimitHeadersMiddleware)


def _limiter(request: Request) -> RateLimiter:
    return cast(RateLimiter, request.app.state.rate_limiter)


def client_address(request: Request) -> str:
    """The client's address, already resolved through trusted proxies by the middleware."""
    return request.client.host if request.client else "unknown"


def _count(request: Request, key: str) -> None:
    setattr(request.state, _QUOTA, _limiter(request).hit(key))


def limit_anonymous(request: Request) -> None:
    _count(request, address_key(client_address(request)))


def limit_principal(request: Request, principal: Principal) -> None:
    _count(request, principal_key(principal))


def credential_attempt(
    request: Request, *, email: str | None = None, principal: Principal | None = None
) -> AbstractContextManager[None]:
    """Count a failed credential check per client address and per account (email or caller)."""
    keys = [address_key(client_address(request))]
    if email is not None:
        keys.append(account_key(email))
    if principal is not None:
        keys.append(principal_key(principal))
    return _limiter(request).credential_attempt(*keys)


class RateLimitHeadersMiddleware:
    """Put the RateLimit-* headers of the request's quota on its response.

    Headers already set (those of a 429) are kept: they describe the limit that refused.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_quota(message: Message) -> None:
            quota: Quota | None = scope.get("state", {}).get(_QUOTA)
            if message["type"] == "http.response.start" and quota is not None:
                headers = MutableHeaders(scope=message)
                for name, value in quota.headers().items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_quota)
