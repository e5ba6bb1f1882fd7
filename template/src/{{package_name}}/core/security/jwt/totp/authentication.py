"""Authentication by bearer access token, and whether the caller still has to enrol."""

import dataclasses

from sqlalchemy.orm import Session

from ....authorization import Principal
from ...credentials import Credential
from ..authentication import Authenticator as PasswordAuthenticator
from .encryption import SecretBox
from .service import has_active_totp
from .settings import AuthSettings


class Authenticator(PasswordAuthenticator):
    def __init__(self, settings: AuthSettings) -> None:
        super().__init__(settings)
        self.box = SecretBox(settings.data_encryption_keys)
        self.required_roles = frozenset(settings.mfa_required_roles)

    def authenticate(self, db: Session, credential: Credential) -> Principal:
        """The caller, marked `must_enrol` while their role requires a second factor they
        have not activated (MFA_REQUIRED_ROLES)."""
        principal = super().authenticate(db, credential)
        role = "superuser" if principal.is_superuser else str(principal.role)
        if role in self.required_roles and not has_active_totp(db, principal.user_id):
            return dataclasses.replace(principal, must_enrol=True)
        return principal
