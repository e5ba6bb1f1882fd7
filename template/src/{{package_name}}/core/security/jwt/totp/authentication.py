"""Authentication by bearer access token, and whether the caller still has to enrol."""

import dataclasses
from http import HTTPStatus

from sqlalchemy.orm import Session

from ....authorization import Principal
from ....errors import Problem
from ...credentials import Credential
from ..authentication import Authenticator as PasswordAuthenticator
from .encryption import SecretBox
from .service import has_active_totp
from .settings import AuthSettings

ENROLMENT_REQUIRED = Problem(
    status=HTTPStatus.FORBIDDEN,
    detail="Your role requires a second factor: enrol one first.",
    type="/problems/mfa-enrollment-required",
)


class Authenticator(PasswordAuthenticator):
    def __init__(self, settings: AuthSettings) -> None:
        super().__init__(settings)
        self.box = SecretBox(settings.data_encryption_keys)
        self.required_roles = frozenset(settings.mfa_required_roles)

    def authenticate(self, db: Session, credential: Credential) -> Principal:
        """The caller, held to their account while their role requires a second factor
        they have not activated (MFA_REQUIRED_ROLES)."""
        principal = super().authenticate(db, credential)
        role = "superuser" if principal.is_superuser else str(principal.role)
        if role in self.required_roles and not has_active_totp(db, principal.user_id):
            return dataclasses.replace(principal, pending_setup=ENROLMENT_REQUIRED)
        return principal
