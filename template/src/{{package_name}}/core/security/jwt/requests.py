"""The bodies of the credential routes (/auth), shared by every web adapter."""

from pydantic import BaseModel, Field, StrictStr

from ...validation import RequestModel
from .passwords import NewPassword, SubmittedPassword
from .sessions import TokenPair


class LoginRequest(RequestModel):
    # Any string: a malformed email is a bad credential (401), not invalid input.
    email: StrictStr = Field(max_length=320)
    password: SubmittedPassword


class RefreshRequest(RequestModel):
    refresh_token: StrictStr


class LogoutRequest(RequestModel):
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
