"""Routes of /auth/mfa: TOTP enrolment, its confirmation and removal, and the second step
of a login."""

from litestar import Router, delete, post
from litestar.params import RawBody

from ...core.authorization import Policy
from ...core.http.openapi import BAD_CREDENTIAL, CONFLICT
from ...core.security.jwt.totp import endpoints as mfa
from .auth import AnyRequest, Context, Db, Security, synchronous
from .problems import json_body


def mfa_router(security: Security) -> Router:
    endpoints = mfa.MfaEndpoints(security.admission.authenticator)
    account = security.requires(Policy.ACCOUNT)
    public = security.public_session()
    # Every route counts its attempts in the credential buckets.
    refusals = BAD_CREDENTIAL + CONFLICT

    @post("/verify", **synchronous(200, public, body=mfa.MfaVerifyRequest, refusals=BAD_CREDENTIAL))
    def verify(request: AnyRequest, body: RawBody, db: Db) -> mfa.TokenResponse:
        sent = json_body(mfa.MfaVerifyRequest, request, body)
        with security.credential_attempt(request, email=endpoints.account_of(db, sent)):
            return endpoints.verify(db, sent)

    @post("/totp", **synchronous(201, account, body=mfa.EnrolmentStart, refusals=refusals))
    def start_enrolment(request: AnyRequest, body: RawBody, context: Context) -> mfa.EnrolmentOut:
        sent = json_body(mfa.EnrolmentStart, request, body)
        with security.credential_attempt(request, principal=context.principal):
            return endpoints.start_enrolment(context.db, context.principal, sent)

    @post(
        "/totp/confirm", **synchronous(200, account, body=mfa.EnrolmentConfirm, refusals=refusals)
    )
    def confirm_enrolment(
        request: AnyRequest, body: RawBody, context: Context
    ) -> mfa.RecoveryCodesOut:
        sent = json_body(mfa.EnrolmentConfirm, request, body)
        with security.credential_attempt(request, principal=context.principal):
            return endpoints.confirm_enrolment(context.db, context.principal, sent)

    @delete("/totp", **synchronous(204, account, body=mfa.MfaDisable, refusals=refusals))
    def disable(request: AnyRequest, body: RawBody, context: Context) -> None:
        sent = json_body(mfa.MfaDisable, request, body)
        with security.credential_attempt(request, principal=context.principal):
            endpoints.disable(context.db, context.principal, sent)

    handlers = [verify, start_enrolment, confirm_enrolment, disable]
    return Router("/auth/mfa", route_handlers=handlers, tags=["auth"])
