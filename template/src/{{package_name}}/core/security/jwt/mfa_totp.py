"""Login with a second factor (mfa=totp): the password of a user with TOTP active earns an
mfa_token, which `/auth/mfa/verify` turns into the token pair once a code is right."""

from typing import Annotated

from pydantic import ConfigDict, Field, RootModel, field_validator

from ...users import UserOut
from .requests import LoginRequest, TokenResponse
from .sessions import SessionService
from .totp import commands
from .totp.authentication import Authenticator
from .totp.models import TotpCredential
from .totp.requests import MfaRequired, MfaVerifyRequest
from .totp.service import TotpService, has_active_totp, issue_challenge

__all__ = ["Authenticator", "LoginAnswer", "Profile", "commands", "finish_login", "log_in"]


class LoginAnswer(RootModel[TokenResponse | MfaRequired]):
    """The token pair, or the mfa_token when the user has a second factor."""


def log_in(sessions: SessionService, login: LoginRequest) -> LoginAnswer:
    user = sessions.check_password(login.email, login.password)
    if has_active_totp(sessions.db, user.id):
        challenge = issue_challenge(sessions.db, user)
        return LoginAnswer(
            MfaRequired(mfa_token=challenge.mfa_token, expires_in=challenge.expires_in)
        )
    return LoginAnswer(TokenResponse.of(sessions.start(user)))


def finish_login(
    sessions: SessionService, factors: TotpService, verification: MfaVerifyRequest
) -> TokenResponse:
    """The token pair of a login whose second factor is right."""
    user = factors.verify(verification.mfa_token, verification.code, verification.recovery_code)
    return TokenResponse.of(sessions.start(user))


class Profile(UserOut):
    """The caller, and whether their second factor is active: read from the user's TOTP
    credentials (or, when a framework validates the answer again, from the field itself)."""

    model_config = ConfigDict(from_attributes=True, validate_by_name=True)

    mfa_enabled: Annotated[bool, Field(validation_alias="totp_credentials")]

    @field_validator("mfa_enabled", mode="before")
    @classmethod
    def _any_confirmed(cls, value: list[TotpCredential] | bool) -> bool:
        if isinstance(value, bool):
            return value
        return any(credential.confirmed_at is not None for credential in value)
