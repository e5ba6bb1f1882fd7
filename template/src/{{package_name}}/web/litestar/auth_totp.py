"""Routes of /auth/mfa: TOTP enrolment, its confirmation and removal, and the second step
of a login."""

from collections.abc import Callable

from litestar import Router, delete, post
from litestar.di import Provide
from litestar.handlers import HTTPRouteHandler
from litestar.params import RawBody

from ...core.authorization import Policy
from ...core.http.openapi import BAD_CREDENTIAL, CONFLICT
from ...core.security.jwt.totp import endpoints as mfa
from .auth import AnyRequest, Context, Db, Security
from .problems import json_body


def mfa_router(security: Security) -> Router:
    endpoints = mfa.MfaEndpoints(security.admission.authenticator)
    account = security.requires(Policy.ACCOUNT)

    def attempt(
        handler: Callable[..., HTTPRouteHandler],
        path: str,
        body: type[object],
        status: int,
        dependencies: dict[str, Provide] = account,
        refusals: tuple[int, ...] = BAD_CREDENTIAL + CONFLICT,
    ) -> HTTPRouteHandler:
        """A route whose attempts count in the credential buckets."""
        return handler(
            path,
            status_code=status,
            sync_to_thread=True,
            dependencies=dependencies,
            opt={"body": body, "refusals": refusals},
        )

    @attempt(post, "/verify", mfa.MfaVerifyRequest, 200, security.public_session(), BAD_CREDENTIAL)
    def verify(request: AnyRequest, body: RawBody, db: Db) -> mfa.TokenResponse:
        sent = json_body(mfa.MfaVerifyRequest, request, body)
        with security.credential_attempt(request, email=endpoints.account_of(db, sent)):
            return endpoints.verify(db, sent)

    @attempt(post, "/totp", mfa.EnrolmentStart, 201)
    def start_enrolment(request: AnyRequest, body: RawBody, context: Context) -> mfa.EnrolmentOut:
        sent = json_body(mfa.EnrolmentStart, request, body)
        with security.credential_attempt(request, principal=context.principal):
            return endpoints.start_enrolment(context.db, context.principal, sent)

    @attempt(post, "/totp/confirm", mfa.EnrolmentConfirm, 200)
    def confirm_enrolment(
        request: AnyRequest, body: RawBody, context: Context
    ) -> mfa.RecoveryCodesOut:
        sent = json_body(mfa.EnrolmentConfirm, request, body)
        with security.credential_attempt(request, principal=context.principal):
            return endpoints.confirm_enrolment(context.db, context.principal, sent)

    @attempt(delete, "/totp", mfa.MfaDisable, 204)
    def disable(request: AnyRequest, body: RawBody, context: Context) -> None:
        sent = json_body(mfa.MfaDisable, request, body)
        with security.credential_attempt(request, principal=context.principal):
            endpoints.disable(context.db, context.principal, sent)

    handlers = [verify, start_enrolment, confirm_enrolment, disable]
    return Router("/auth/mfa", route_handlers=handlers, tags=["auth"])
