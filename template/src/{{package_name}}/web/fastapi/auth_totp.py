"""Routes of /auth/mfa: TOTP enrolment, its confirmation and removal, and the second step
of a login (core/security/jwt/totp/endpoints.py does each)."""

from typing import Annotated

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from ...core.authorization import Policy
from ...core.http.admission import RequestContext
from ...core.http.openapi import BAD_CREDENTIAL, CONFLICT
from ...core.security.jwt.totp import endpoints as mfa
from .auth import Security
from .docs import refusing

ATTEMPT = refusing(BAD_CREDENTIAL + CONFLICT)


def mfa_router(security: Security) -> APIRouter:
    router = APIRouter(prefix="/auth/mfa", tags=["auth"])
    public_session = security.public_session()
    account = security.requires(Policy.ACCOUNT)
    endpoints = mfa.MfaEndpoints(security.admission.authenticator)

    @router.post("/verify", responses=refusing(BAD_CREDENTIAL))
    def verify(
        body: mfa.MfaVerifyRequest, request: Request, db: Annotated[Session, public_session]
    ) -> mfa.TokenResponse:
        with security.credential_attempt(request, email=endpoints.account_of(db, body)):
            return endpoints.verify(db, body)

    @router.post("/totp", status_code=201, responses=ATTEMPT)
    def start_enrolment(
        body: mfa.EnrolmentStart, request: Request, context: Annotated[RequestContext, account]
    ) -> mfa.EnrolmentOut:
        with security.credential_attempt(request, principal=context.principal):
            return endpoints.start_enrolment(context.db, context.principal, body)

    @router.post("/totp/confirm", responses=ATTEMPT)
    def confirm_enrolment(
        body: mfa.EnrolmentConfirm, request: Request, context: Annotated[RequestContext, account]
    ) -> mfa.RecoveryCodesOut:
        with security.credential_attempt(request, principal=context.principal):
            return endpoints.confirm_enrolment(context.db, context.principal, body)

    @router.delete("/totp", status_code=204, responses=ATTEMPT)
    def disable(
        body: mfa.MfaDisable, request: Request, context: Annotated[RequestContext, account]
    ) -> None:
        with security.credential_attempt(request, principal=context.principal):
            endpoints.disable(context.db, context.principal, body)

    return router
