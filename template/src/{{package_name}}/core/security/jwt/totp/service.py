"""The second factor's rules: enrolment, verification of a login, disabling.

Every accepted TOTP code spends its time step with one conditional UPDATE of the stored
last step, so a code is accepted once per user even when instances race; recovery codes
and mfa_tokens are spent the same way. Failures are logged as events, never with a code
or a secret.
"""

import hashlib
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, cast

import structlog
from sqlalchemy import CursorResult, delete, exists, or_, select, update
from sqlalchemy.orm import Session

from ....authorization import Principal
from ....clock import utcnow
from ....errors import AuthenticationError, ConflictError
from ....models import User
from ...credentials import BEARER_CHALLENGE
from .. import passwords
from ..models import RefreshSession
from . import codes
from .encryption import SecretBox
from .models import MfaChallenge, RecoveryCode, TotpCredential

logger = structlog.get_logger(__name__)

MFA_TOKEN_TTL: Final = timedelta(seconds=300)


@dataclass(frozen=True)
class Enrolment:
    secret: str
    otpauth_uri: str


@dataclass(frozen=True)
class Challenge:
    mfa_token: str
    expires_in: int


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _spent(result: object) -> bool:
    """Whether a conditional UPDATE changed its one row: the caller won the race."""
    return cast(CursorResult[Any], result).rowcount == 1


def _refused(detail: str) -> AuthenticationError:
    return AuthenticationError(detail, challenge=BEARER_CHALLENGE)


def has_active_totp(db: Session, user_id: uuid.UUID) -> bool:
    return bool(
        db.scalar(
            select(
                exists().where(
                    TotpCredential.user_id == user_id, TotpCredential.confirmed_at.is_not(None)
                )
            )
        )
    )


def issue_challenge(db: Session, user: User) -> Challenge:
    """An mfa_token for a user whose password was right: it names the login, nothing more."""
    token = secrets.token_urlsafe(32)
    db.add(
        MfaChallenge(
            user_id=user.id, token_hash=_digest(token), expires_at=utcnow() + MFA_TOKEN_TTL
        )
    )
    db.commit()
    logger.info("mfa_required", user_id=str(user.id))
    return Challenge(mfa_token=token, expires_in=int(MFA_TOKEN_TTL.total_seconds()))


class TotpService:
    def __init__(self, db: Session, box: SecretBox, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.box = box
        self.clock = clock

    def start_enrolment(self, principal: Principal, current_password: str) -> Enrolment:
        """A new secret, not yet active: a code from it confirms the enrolment."""
        self._check_password(principal, current_password, "mfa_enrolment_refused")
        credential = self.db.get(TotpCredential, principal.user_id)
        if credential is not None and credential.confirmed_at is not None:
            raise ConflictError("A second factor is already active: disable it first.")
        secret = codes.new_secret()
        sealed = self.box.seal(secret)
        if credential is None:
            credential = TotpCredential(user_id=principal.user_id, secret_ciphertext=sealed)
            self.db.add(credential)
        credential.secret_ciphertext = sealed
        credential.last_used_step = None
        email = self.db.scalar(select(User.email).where(User.id == principal.user_id)) or ""
        self.db.commit()
        logger.info("mfa_enrolment_started", user_id=str(principal.user_id))
        return Enrolment(secret=secret, otpauth_uri=codes.provisioning_uri(secret, email))

    def confirm(self, principal: Principal, code: str) -> list[str]:
        """Activate the pending secret; the user's other sessions end, as they began with one
        factor. The recovery codes are returned once and kept as digests only."""
        credential = self.db.get(TotpCredential, principal.user_id)
        if credential is None or credential.confirmed_at is not None:
            raise ConflictError("No enrolment is pending: start one first.")
        self._spend_code(credential, code)
        credential.confirmed_at = self.clock()
        recovery_codes = codes.new_recovery_codes()
        self.db.execute(delete(RecoveryCode).where(RecoveryCode.user_id == principal.user_id))
        self.db.add_all(
            RecoveryCode(user_id=principal.user_id, code_hash=codes.recovery_code_digest(shown))
            for shown in recovery_codes
        )
        others = [RefreshSession.user_id == principal.user_id, RefreshSession.revoked_at.is_(None)]
        if principal.session_id is not None:
            others.append(RefreshSession.id != principal.session_id)
        self.db.execute(update(RefreshSession).where(*others).values(revoked_at=self.clock()))
        self.db.commit()
        logger.info("mfa_enrolled", user_id=str(principal.user_id))
        return recovery_codes

    def disable(self, principal: Principal, current_password: str, code: str) -> None:
        credential = self.db.get(TotpCredential, principal.user_id)
        if credential is None or credential.confirmed_at is None:
            raise ConflictError("No second factor is active.")
        self._check_password(principal, current_password, "mfa_disable_refused")
        self._spend_code(credential, code)
        self.db.execute(delete(RecoveryCode).where(RecoveryCode.user_id == principal.user_id))
        self.db.delete(credential)
        self.db.commit()
        logger.info("mfa_disabled", user_id=str(principal.user_id))

    def account_of(self, mfa_token: str) -> str | None:
        """The email of the login an mfa_token continues, to count its failures against."""
        return self.db.scalar(
            select(User.email)
            .join(MfaChallenge, MfaChallenge.user_id == User.id)
            .where(MfaChallenge.token_hash == _digest(mfa_token))
        )

    def verify(self, mfa_token: str, code: str | None, recovery_code: str | None) -> User:
        """The user whose login the token continues, once its second factor is right; the
        token is spent then, and only then."""
        challenge = self.db.scalar(
            select(MfaChallenge).where(MfaChallenge.token_hash == _digest(mfa_token))
        )
        if (
            challenge is None
            or challenge.used_at is not None
            or challenge.expires_at <= self.clock()
            or not challenge.user.is_active
        ):
            raise _refused("The MFA token is not valid.")
        credential = self.db.get(TotpCredential, challenge.user_id)
        if credential is None or credential.confirmed_at is None:
            raise _refused("The MFA token is not valid.")
        if recovery_code is not None:
            self._spend_recovery_code(challenge.user_id, recovery_code)
        else:
            self._spend_code(credential, code or "")
        taken = self.db.execute(
            update(MfaChallenge)
            .where(MfaChallenge.id == challenge.id, MfaChallenge.used_at.is_(None))
            .values(used_at=self.clock())
        )
        if not _spent(taken):
            self.db.commit()
            raise _refused("The MFA token is not valid.")
        self.db.commit()
        logger.info("mfa_verified", user_id=str(challenge.user_id))
        return challenge.user

    def reseal_all(self) -> int:
        """Encrypt every stored secret with the newest key; the number re-encrypted."""
        credentials = self.db.scalars(select(TotpCredential)).all()
        for credential in credentials:
            credential.secret_ciphertext = self.box.reseal(credential.secret_ciphertext)
        self.db.commit()
        return len(credentials)

    def _check_password(self, principal: Principal, password: str, event: str) -> None:
        if not passwords.check_current_password(self.db, principal.user_id, password):
            logger.warning(event, user_id=str(principal.user_id))
            raise _refused("The current password is incorrect.")

    def _spend_code(self, credential: TotpCredential, code: str) -> None:
        """Accept a code of the secret once: its step, and every earlier one, are spent."""
        secret = self.box.open(credential.secret_ciphertext)
        step = codes.matching_step(secret, code, self.clock())
        accepted = step is not None and _spent(
            self.db.execute(
                update(TotpCredential)
                .where(
                    TotpCredential.user_id == credential.user_id,
                    or_(
                        TotpCredential.last_used_step.is_(None),
                        TotpCredential.last_used_step < step,
                    ),
                )
                .values(last_used_step=step)
            )
        )
        if not accepted:
            self.db.rollback()
            logger.warning("mfa_verification_failed", user_id=str(credential.user_id))
            raise _refused("The code is not valid.")

    def _spend_recovery_code(self, user_id: uuid.UUID, recovery_code: str) -> None:
        used = self.db.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user_id,
                RecoveryCode.code_hash == codes.recovery_code_digest(recovery_code),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=self.clock())
        )
        if not _spent(used):
            self.db.rollback()
            logger.warning("mfa_verification_failed", user_id=str(user_id))
            raise _refused("The recovery code is not valid.")
        logger.info("recovery_code_used", user_id=str(user_id))
