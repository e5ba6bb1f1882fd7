"""Routes of /auth/mfa: TOTP enrolment, its confirmation and removal, and the second step
of a login."""

from typing import Annotated

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from ...core.authorization import Policy
from ...core.http.openapi import BAD_CREDENTIAL, CONFLICT
from ...core.security.jwt.mfa_totp import finish_login
from ...core.security.jwt.requests import TokenResponse
from ...core.security.jwt.sessions import SessionService
from ...core.security.jwt.totp.requests import (
    EnrolmentConfirm,
    EnrolmentOut,
    EnrolmentStart,
    MfaDisable,
    MfaVerifyRequest,
    RecoveryCodesOut,
)
from ...core.security.jwt.totp.service import TotpService
from .auth import RequestContext, Security
from .docs import refusing

ATTEMPT = BAD_CREDENTIAL + CONFLICT


def mfa_router(security: Security) -> APIRouter:
    router = APIRouter(prefix="/auth/mfa", tags=["auth"])
    public_session = security.public_session()
    account = security.requires(Policy.ACCOUNT)
    authenticator = security.admission.authenticator

    def factors(db: Session) -> TotpService:
        return TotpService(db, authenticator.box)

    @router.post("/verify", responses=refusing(BAD_CREDENTIAL))
    def verify(
        body: MfaVerifyRequest, request: Request, db: Annotated[Session, public_session]
    ) -> TokenResponse:
        sessions = SessionService(db, authenticator.tokens, authenticator.refresh_ttl)
        with security.credential_attempt(request, email=factors(db).account_of(body.mfa_token)):
            return finish_login(sessions, factors(db), body)

    @router.post("/totp", status_code=201, responses=refusing(ATTEMPT))
    def start_enrolment(
        body: EnrolmentStart, request: Request, context: Annotated[RequestContext, account]
    ) -> EnrolmentOut:
        with security.credential_attempt(request, principal=context.principal):
            enrolment = factors(context.db).start_enrolment(
                context.principal, body.current_password
            )
        return EnrolmentOut(secret=enrolment.secret, otpauth_uri=enrolment.otpauth_uri)

    @router.post("/totp/confirm", responses=refusing(ATTEMPT))
    def confirm_enrolment(
        body: EnrolmentConfirm, request: Request, context: Annotated[RequestContext, account]
    ) -> RecoveryCodesOut:
        with security.credential_attempt(request, principal=context.principal):
            codes = factors(context.db).confirm(context.principal, body.code)
        return RecoveryCodesOut(recovery_codes=codes)

    @router.delete("/totp", status_code=204, responses=refusing(ATTEMPT))
    def disable(
        body: MfaDisable, request: Request, context: Annotated[RequestContext, account]
    ) -> None:
        with security.credential_attempt(request, principal=context.principal):
            factors(context.db).disable(context.principal, body.current_password, body.code)

    return router
