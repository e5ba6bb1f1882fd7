"""The bodies of the credential routes (/auth), shared by every web adapter."""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StrictStr

from ...validation import EMAIL_MAX_LENGTH, CredentialRequest, RequestModel
from .passwords import NewPassword, SubmittedPassword
from .sessions import TokenPair


def _check_email_length(email: str) -> str:
    # Counted here, not by the string constraint, which refuses an unpaired surrogate as
    # invalid input: at login it is a bad credential like any other.
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValueError(f"must be at most {EMAIL_MAX_LENGTH} characters")
    return email


# Any string: a malformed email is a bad credential (401), not invalid input.
LoginEmail = Annotated[
    StrictStr,
    AfterValidator(_check_email_length),
    Field(json_schema_extra={"maxLength": EMAIL_MAX_LENGTH}),
]


class LoginRequest(CredentialRequest):
    email: LoginEmail
    password: SubmittedPassword


class RefreshRequest(CredentialRequest):
    refresh_token: StrictStr


class LogoutRequest(CredentialRequest):
    refresh_token: StrictStr | None = None


class PasswordChange(RequestModel):
    current_password: SubmittedPassword
    new_password: NewPassword


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int

    @classmethod
    def of(cls, pair: TokenPair) -> "TokenResponse":
        return cls(
            access_token=pair.access_token,
            refresh_token=pair.refresh_token,
            token_type=pair.token_type,
            expires_in=pair.expires_in,
        )
