"""The bodies of the second-factor routes (/auth/mfa), shared by every web adapter."""

from typing import Annotated, Self

from pydantic import BaseModel, Field, StrictStr, model_validator

from ....validation import CredentialRequest
from ..passwords import SubmittedPassword

# Long enough for any code a person types, short enough to bound the work of checking it.
Code = Annotated[StrictStr, Field(max_length=64)]


class MfaVerifyRequest(CredentialRequest):
    mfa_token: StrictStr
    code: Code | None = None
    recovery_code: Code | None = None

    @model_validator(mode="after")
    def _one_factor(self) -> Self:
        if (self.code is None) == (self.recovery_code is None):
            raise ValueError("send either code or recovery_code")
        return self


class EnrolmentStart(CredentialRequest):
    current_password: SubmittedPassword


class EnrolmentConfirm(CredentialRequest):
    code: Code


class MfaDisable(CredentialRequest):
    current_password: SubmittedPassword
    code: Code


class MfaRequired(BaseModel):
    """A login whose password was right: the second factor is next, at /auth/mfa/verify."""

    mfa_required: bool = True
    mfa_token: str
    expires_in: int


class EnrolmentOut(BaseModel):
    """Shown once: the secret for an authenticator app, also as an `otpauth://` URI."""

    secret: str
    otpauth_uri: str


class RecoveryCodesOut(BaseModel):
    """Shown once: each code replaces one TOTP code, one time."""

    recovery_codes: list[str]
