"""Login sessions: token pairs, refresh-token rotation and reuse detection, revocation.

Refresh tokens are opaque 256-bit random values, stored as SHA-256 digests (a fast hash
suits values that cannot be guessed). Each login starts a family with an absolute
lifetime; every refresh spends the token and issues the next one. A spent token presented
again means it was stolen or replayed: the whole family is revoked and the event logged.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

import structlog
from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from ...authorization import Principal
from ...clock import utcnow
from ...errors import AuthenticationError
from ...models import User
from ..credentials import BEARER_CHALLENGE, INVALID_BEARER_CHALLENGE
from . import passwords
from .models import RefreshSession, RefreshToken
from .tokens import AccessTokens

logger = structlog.get_logger(__name__)


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"  # noqa: S105 (the OAuth token type, not a secret)


def _digest(token: str) -> str:
    # Any submitted string has a digest, unpaired surrogates included: it just matches none.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class SessionService:
    def __init__(self, db: Session, tokens: AccessTokens, refresh_ttl: timedelta) -> None:
        self.db = db
        self.tokens = tokens
        self.refresh_ttl = refresh_ttl

    def login(self, email: str, password: str) -> TokenPair:
        return self.start(self.check_password(email, password))

    def check_password(self, email: str, password: str) -> User:
        """The user whose password this is; the same error, whatever was wrong: nothing
        tells which accounts exist."""
        user = passwords.authenticate_password(self.db, email, password)
        if user is None:
            logger.warning("login_failed")
            raise AuthenticationError("Invalid email or password.", challenge=BEARER_CHALLENGE)
        logger.info("login_succeeded", user_id=str(user.id))
        return user

    def start(self, user: User) -> TokenPair:
        session = RefreshSession(user_id=user.id, expires_at=utcnow() + self.refresh_ttl)
        self.db.add(session)
        self.db.flush()
        return self._issue(session)

    def refresh(self, refresh_token: str) -> TokenPair:
        token = self.db.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == _digest(refresh_token))
        )
        if token is None:
            raise self._invalid_refresh_token()
        session = token.session
        if (
            session.revoked_at is not None
            or session.expires_at <= utcnow()
            or not session.user.is_active
        ):
            raise self._invalid_refresh_token()
        # Spending the token is one conditional UPDATE, so two concurrent uses cannot both win.
        spent = cast(
            CursorResult[Any],
            self.db.execute(
                update(RefreshToken)
                .where(RefreshToken.id == token.id, RefreshToken.used_at.is_(None))
                .values(used_at=utcnow())
            ),
        )
        if spent.rowcount != 1:
            logger.warning(
                "refresh_token_reuse", user_id=str(session.user_id), session_id=str(session.id)
            )
            self._revoke(session.id)
            self.db.commit()
            raise self._invalid_refresh_token()
        return self._issue(session)

    def logout(self, principal: Principal, refresh_token: str | None) -> None:
        """End the caller's session and, if given, the family of a refresh token of theirs."""
        if principal.session_id is not None:
            self._revoke(principal.session_id)
        if refresh_token is not None:
            token = self.db.scalar(
                select(RefreshToken).where(RefreshToken.token_hash == _digest(refresh_token))
            )
            if token is not None and token.session.user_id == principal.user_id:
                self._revoke(token.session_id)
        self.db.commit()

    def change_password(self, principal: Principal, current: str, new: str) -> None:
        """Set a new password and end every session of the user, this one included."""
        if not passwords.check_current_password(self.db, principal.user_id, current):
            logger.warning("password_change_failed", user_id=str(principal.user_id))
            raise AuthenticationError(
                "The current password is incorrect.", challenge=BEARER_CHALLENGE
            )
        passwords.set_password(self.db, principal.user_id, new)
        self.db.execute(
            update(RefreshSession)
            .where(RefreshSession.user_id == principal.user_id, RefreshSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        self.db.commit()
        logger.info("password_changed", user_id=str(principal.user_id))

    def _issue(self, session: RefreshSession) -> TokenPair:
        refresh_token = secrets.token_urlsafe(32)
        self.db.add(RefreshToken(session_id=session.id, token_hash=_digest(refresh_token)))
        self.db.commit()
        return TokenPair(
            access_token=self.tokens.issue(session.user_id, session.id),
            refresh_token=refresh_token,
            expires_in=int(self.tokens.ttl.total_seconds()),
        )

    def _revoke(self, session_id: uuid.UUID) -> None:
        self.db.execute(
            update(RefreshSession)
            .where(RefreshSession.id == session_id, RefreshSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )

    @staticmethod
    def _invalid_refresh_token() -> AuthenticationError:
        return AuthenticationError(
            "The refresh token is not valid.", challenge=INVALID_BEARER_CHALLENGE
        )
