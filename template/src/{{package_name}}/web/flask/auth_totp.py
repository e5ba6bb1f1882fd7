"""Routes of /auth/mfa: TOTP enrolment, its confirmation and removal, and the second step
of a login."""

from flask import Blueprint
from sqlalchemy.orm import Session

from ...core.authorization import Policy
from ...core.http.admission import RequestContext
from ...core.http.openapi import BAD_CREDENTIAL, CONFLICT
from ...core.security.jwt.totp import endpoints as mfa
from .auth import Security, route

ATTEMPT = BAD_CREDENTIAL + CONFLICT


def mfa_routes(security: Security) -> Blueprint:
    routes = Blueprint("mfa", __name__, url_prefix="/auth/mfa")
    account = security.requires(Policy.ACCOUNT)
    endpoints = mfa.MfaEndpoints(security.admission.authenticator)

    @route(
        routes,
        "POST",
        "/verify",
        security.public_session(),
        body=mfa.MfaVerifyRequest,
        refusals=BAD_CREDENTIAL,
    )
    def verify(db: Session, body: mfa.MfaVerifyRequest) -> mfa.TokenResponse:
        with security.credential_attempt(email=endpoints.account_of(db, body)):
            return endpoints.verify(db, body)

    @route(routes, "POST", "/totp", account, status=201, body=mfa.EnrolmentStart, refusals=ATTEMPT)
    def start_enrolment(context: RequestContext, body: mfa.EnrolmentStart) -> mfa.EnrolmentOut:
        with security.credential_attempt(principal=context.principal):
            return endpoints.start_enrolment(context.db, context.principal, body)

    @route(routes, "POST", "/totp/confirm", account, body=mfa.EnrolmentConfirm, refusals=ATTEMPT)
    def confirm_enrolment(
        context: RequestContext, body: mfa.EnrolmentConfirm
    ) -> mfa.RecoveryCodesOut:
        with security.credential_attempt(principal=context.principal):
            return endpoints.confirm_enrolment(context.db, context.principal, body)

    @route(routes, "DELETE", "/totp", account, status=204, body=mfa.MfaDisable, refusals=ATTEMPT)
    def disable(context: RequestContext, body: mfa.MfaDisable) -> None:
        with security.credential_attempt(principal=context.principal):
            endpoints.disable(context.db, context.principal, body)

    return routes
