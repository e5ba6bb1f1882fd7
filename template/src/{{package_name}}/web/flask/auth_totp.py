"""Routes of /auth/mfa: TOTP enrolment, its confirmation and removal, and the second step
of a login."""

from flask import Blueprint
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
from .auth import RequestContext, Security, route

ATTEMPT = BAD_CREDENTIAL + CONFLICT


def mfa_routes(security: Security) -> Blueprint:
    routes = Blueprint("mfa", __name__, url_prefix="/auth/mfa")
    account = security.requires(Policy.ACCOUNT)
    authenticator = security.admission.authenticator

    def factors(db: Session) -> TotpService:
        return TotpService(db, authenticator.box)

    @route(
        routes,
        "POST",
        "/verify",
        security.public_session(),
        body=MfaVerifyRequest,
        refusals=BAD_CREDENTIAL,
    )
    def verify(db: Session, body: MfaVerifyRequest) -> TokenResponse:
        sessions = SessionService(db, authenticator.tokens, authenticator.refresh_ttl)
        with security.credential_attempt(email=factors(db).account_of(body.mfa_token)):
            return finish_login(sessions, factors(db), body)

    @route(routes, "POST", "/totp", account, status=201, body=EnrolmentStart, refusals=ATTEMPT)
    def start_enrolment(context: RequestContext, body: EnrolmentStart) -> EnrolmentOut:
        with security.credential_attempt(principal=context.principal):
            enrolment = factors(context.db).start_enrolment(
                context.principal, body.current_password
            )
        return EnrolmentOut(secret=enrolment.secret, otpauth_uri=enrolment.otpauth_uri)

    @route(routes, "POST", "/totp/confirm", account, body=EnrolmentConfirm, refusals=ATTEMPT)
    def confirm_enrolment(context: RequestContext, body: EnrolmentConfirm) -> RecoveryCodesOut:
        with security.credential_attempt(principal=context.principal):
            codes = factors(context.db).confirm(context.principal, body.code)
        return RecoveryCodesOut(recovery_codes=codes)

    @route(routes, "DELETE", "/totp", account, status=204, body=MfaDisable, refusals=ATTEMPT)
    def disable(context: RequestContext, body: MfaDisable) -> None:
        with security.credential_attempt(principal=context.principal):
            factors(context.db).disable(context.principal, body.current_password, body.code)

    return routes
