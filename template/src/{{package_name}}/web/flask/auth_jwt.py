"""Routes of /auth: login, refresh, logout and password change."""

from flask import Blueprint
from sqlalchemy.orm import Session

from ...core.authorization import Policy
from ...core.http.admission import RequestContext
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
from .auth import Security, route


def auth_routes(security: Security) -> Blueprint:
    routes = Blueprint("auth", __name__, url_prefix="/auth")
    public_session = security.public_session()
    authenticated = security.requires(Policy.AUTHENTICATED)
    authenticator = security.admission.authenticator

    def sessions(db: Session) -> SessionService:
        return SessionService(db, authenticator.tokens, authenticator.refresh_ttl)

    @route(routes, "POST", "/login", public_session, body=LoginRequest, refusals=BAD_CREDENTIAL)
    def login(db: Session, body: LoginRequest) -> LoginAnswer:
        with security.credential_attempt(email=body.email):
            return log_in(sessions(db), body)

    @route(routes, "POST", "/refresh", public_session, body=RefreshRequest, refusals=BAD_CREDENTIAL)
    def refresh(db: Session, body: RefreshRequest) -> TokenResponse:
        # A refresh token names no account before it is verified: counted per address.
        with security.credential_attempt():
            return TokenResponse.of(sessions(db).refresh(body.refresh_token))

    @route(
        routes,
        "POST",
        "/logout",
        security.requires(Policy.ACCOUNT),
        status=204,
        body=LogoutRequest,
        body_required=False,
    )
    def logout(context: RequestContext, body: LogoutRequest | None) -> None:
        refresh_token = None if body is None else body.refresh_token
        sessions(context.db).logout(context.principal, refresh_token)

    @route(routes, "POST", "/password", authenticated, status=204, body=PasswordChange)
    def change_password(context: RequestContext, body: PasswordChange) -> None:
        with security.credential_attempt(principal=context.principal):
            sessions(context.db).change_password(
                context.principal, body.current_password, body.new_password
            )

    return routes
