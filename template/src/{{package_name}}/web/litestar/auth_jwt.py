"""Routes of /auth: login, refresh, logout and password change."""

from litestar import Router, post
from litestar.params import RawBody
from sqlalchemy.orm import Session

from ...core.authorization import Policy
from ...core.http.openapi import BAD_CREDENTIAL
from ...core.security.jwt.requests import (
    LoginRequest,
    LogoutRequest,
    PasswordChange,
    RefreshRequest,
    TokenResponse,
)
from ...core.security.jwt.sessions import SessionService
from ...core.security.mode import LoginAnswer, log_in
from .auth import AnyRequest, Context, Db, Security, synchronous
from .problems import json_body


def auth_router(security: Security) -> Router:
    # Login and refresh: public, they check the credential they are sent themselves.
    public = security.public_session()
    authenticated = security.requires(Policy.AUTHENTICATED)
    authenticator = security.admission.authenticator

    def sessions(db: Session) -> SessionService:
        return SessionService(db, authenticator.tokens, authenticator.refresh_ttl)

    @post("/login", **synchronous(200, public, body=LoginRequest, refusals=BAD_CREDENTIAL))
    def login(request: AnyRequest, body: RawBody, db: Db) -> LoginAnswer:
        credentials = json_body(LoginRequest, request, body)
        with security.credential_attempt(request, email=credentials.email):
            return log_in(sessions(db), credentials)

    @post("/refresh", **synchronous(200, public, body=RefreshRequest, refusals=BAD_CREDENTIAL))
    def refresh(request: AnyRequest, body: RawBody, db: Db) -> TokenResponse:
        sent = json_body(RefreshRequest, request, body)
        # A refresh token names no account before it is verified: counted per address.
        with security.credential_attempt(request):
            return TokenResponse.of(sessions(db).refresh(sent.refresh_token))

    account = security.requires(Policy.ACCOUNT)

    @post("/logout", **synchronous(204, account, body=LogoutRequest, body_required=False))
    def logout(request: AnyRequest, body: RawBody, context: Context) -> None:
        # The body is optional: without one, the caller's session family is still revoked.
        sent = json_body(LogoutRequest, request, body) if body else LogoutRequest()
        sessions(context.db).logout(context.principal, sent.refresh_token)

    @post("/password", **synchronous(204, authenticated, body=PasswordChange))
    def change_password(request: AnyRequest, body: RawBody, context: Context) -> None:
        change = json_body(PasswordChange, request, body)
        with security.credential_attempt(request, principal=context.principal):
            sessions(context.db).change_password(
                context.principal, change.current_password, change.new_password
            )

    handlers = [login, refresh, logout, change_password]
    return Router("/auth", route_handlers=handlers, tags=["auth"])
