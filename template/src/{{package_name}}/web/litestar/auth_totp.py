"""Routes of /auth/mfa: TOTP enrolment, its confirmation and removal, and the second step
of a login."""

from litestar import Router, delete, post
from litestar.params import RawBody
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
from .auth import AnyRequest, Context, Db, Security
from .problems import json_body

ATTEMPT = BAD_CREDENTIAL + CONFLICT


def mfa_router(security: Security) -> Router:
    account = security.requires(Policy.ACCOUNT)
    authenticator = security.admission.authenticator

    def factors(db: Session) -> TotpService:
        return TotpService(db, authenticator.box)

    @post(
        "/verify",
        status_code=200,
        sync_to_thread=True,
        dependencies=security.public_session(),
        opt={"body": MfaVerifyRequest, "refusals": BAD_CREDENTIAL},
    )
    def verify(request: AnyRequest, body: RawBody, db: Db) -> TokenResponse:
        sent = json_body(MfaVerifyRequest, request, body)
        sessions = SessionService(db, authenticator.tokens, authenticator.refresh_ttl)
        with security.credential_attempt(request, email=factors(db).account_of(sent.mfa_token)):
            return finish_login(sessions, factors(db), sent)

    @post(
        "/totp",
        status_code=201,
        sync_to_thread=True,
        dependencies=account,
        opt={"body": EnrolmentStart, "refusals": ATTEMPT},
    )
    def start_enrolment(request: AnyRequest, body: RawBody, context: Context) -> EnrolmentOut:
        sent = json_body(EnrolmentStart, request, body)
        with security.credential_attempt(request, principal=context.principal):
            enrolment = factors(context.db).start_enrolment(
                context.principal, sent.current_password
            )
        return EnrolmentOut(secret=enrolment.secret, otpauth_uri=enrolment.otpauth_uri)

    @post(
        "/totp/confirm",
        status_code=200,
        sync_to_thread=True,
        dependencies=account,
        opt={"body": EnrolmentConfirm, "refusals": ATTEMPT},
    )
    def confirm_enrolment(request: AnyRequest, body: RawBody, context: Context) -> RecoveryCodesOut:
        sent = json_body(EnrolmentConfirm, request, body)
        with security.credential_attempt(request, principal=context.principal):
            codes = factors(context.db).confirm(context.principal, sent.code)
        return RecoveryCodesOut(recovery_codes=codes)

    @delete(
        "/totp",
        status_code=204,
        sync_to_thread=True,
        dependencies=account,
        opt={"body": MfaDisable, "refusals": ATTEMPT},
    )
    def disable(request: AnyRequest, body: RawBody, context: Context) -> None:
        sent = json_body(MfaDisable, request, body)
        with security.credential_attempt(request, principal=context.principal):
            factors(context.db).disable(context.principal, sent.current_password, sent.code)

    handlers = [verify, start_enrolment, confirm_enrolment, disable]
    return Router("/auth/mfa", route_handlers=handlers, tags=["auth"])
