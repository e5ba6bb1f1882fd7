"""What each /auth/mfa route does once its caller is admitted, the same in every framework.
The adapter reads the body, counts the attempt in the credential buckets around the call
(the caller's account, or for `verify` the account of the mfa_token) and answers."""

from sqlalchemy.orm import Session

from ....authorization import Principal
from ..mfa_totp import finish_login
from ..requests import TokenResponse
from ..sessions import SessionService
from .authentication import Authenticator
from .requests import (
    EnrolmentConfirm,
    EnrolmentOut,
    EnrolmentStart,
    MfaDisable,
    MfaVerifyRequest,
    RecoveryCodesOut,
)
from .service import TotpService

__all__ = [
    "EnrolmentConfirm",
    "EnrolmentOut",
    "EnrolmentStart",
    "MfaDisable",
    "MfaEndpoints",
    "MfaVerifyRequest",
    "RecoveryCodesOut",
    "TokenResponse",
]


class MfaEndpoints:
    def __init__(self, authenticator: Authenticator) -> None:
        self.authenticator = authenticator

    def _factors(self, db: Session) -> TotpService:
        return TotpService(db, self.authenticator.box)

    def account_of(self, db: Session, sent: MfaVerifyRequest) -> str | None:
        """The account an mfa_token was issued to, whose bucket its attempts count in."""
        return self._factors(db).account_of(sent.mfa_token)

    def verify(self, db: Session, sent: MfaVerifyRequest) -> TokenResponse:
        authenticator = self.authenticator
        sessions = SessionService(db, authenticator.tokens, authenticator.refresh_ttl)
        return finish_login(sessions, self._factors(db), sent)

    def start_enrolment(self, db: Session, caller: Principal, sent: EnrolmentStart) -> EnrolmentOut:
        enrolment = self._factors(db).start_enrolment(caller, sent.current_password)
        return EnrolmentOut(secret=enrolment.secret, otpauth_uri=enrolment.otpauth_uri)

    def confirm_enrolment(
        self, db: Session, caller: Principal, sent: EnrolmentConfirm
    ) -> RecoveryCodesOut:
        return RecoveryCodesOut(recovery_codes=self._factors(db).confirm(caller, sent.code))

    def disable(self, db: Session, caller: Principal, sent: MfaDisable) -> None:
        self._factors(db).disable(caller, sent.current_password, sent.code)
