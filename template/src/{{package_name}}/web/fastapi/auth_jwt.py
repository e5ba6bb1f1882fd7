"""Routes of /auth: login, refresh, logout and password change."""

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
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
from .auth import Security
from .docs import refusing


async def optional_body_is_an_object(request: Request) -> None:
    """FastAPI reads a JSON `null` body as no body at all; it is a body that is not an
    object, refused (422) as on every framework."""
    if (await request.body()).strip() != b"null":
        return
    try:
        LogoutRequest.model_validate(None)
    except ValidationError as error:
        raise RequestValidationError(
            [{**detail, "loc": ("body", *detail["loc"])} for detail in error.errors()]
        ) from None


def auth_router(security: Security) -> APIRouter:
    router = APIRouter(prefix="/auth", tags=["auth"])
    public_session = security.public_session()
    authenticated = security.requires(Policy.AUTHENTICATED)
    account = security.requires(Policy.ACCOUNT)
    authenticator = security.admission.authenticator

    def sessions(db: Session) -> SessionService:
        return SessionService(db, authenticator.tokens, authenticator.refresh_ttl)

    @router.post("/login", responses=refusing(BAD_CREDENTIAL))
    def login(
        credentials: LoginRequest, request: Request, db: Annotated[Session, public_session]
    ) -> LoginAnswer:
        with security.credential_attempt(request, email=credentials.email):
            return log_in(sessions(db), credentials)

    @router.post("/refresh", responses=refusing(BAD_CREDENTIAL))
    def refresh(
        body: RefreshRequest, request: Request, db: Annotated[Session, public_session]
    ) -> TokenResponse:
        # A refresh token names no account before it is verified: counted per address.
        with security.credential_attempt(request):
            pair = sessions(db).refresh(body.refresh_token)
        return TokenResponse.of(pair)

    @router.post("/logout", status_code=204, dependencies=[Depends(optional_body_is_an_object)])
    def logout(
        context: Annotated[RequestContext, account],
        body: Annotated[LogoutRequest | None, Body()] = None,
    ) -> None:
        refresh_token = None if body is None else body.refresh_token
        sessions(context.db).logout(context.principal, refresh_token)

    @router.post("/password", status_code=204)
    def change_password(
        change: PasswordChange, request: Request, context: Annotated[RequestContext, authenticated]
    ) -> None:
        with security.credential_attempt(request, principal=context.principal):
            sessions(context.db).change_password(
                context.principal, change.current_password, change.new_password
            )

    return router
