"""Authentication by bearer access token, checked against its still-open login session."""

from datetime import timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ...authorization import Principal
from ...clock import utcnow
from ...models import PRINCIPAL_COLUMNS, User
from ..credentials import Credential, invalid_bearer_token, presented_bearer_token
from .models import RefreshSession
from .settings import AuthSettings
from .tokens import AccessTokens, InvalidAccessTokenError

CREDENTIAL_HEADER = "Authorization"

# The caller, if their login session is still open: built once, as building a statement
# costs more than running it; every request still asks the database (no cached answer).
# Only the principal's columns are read, on the session's connection: loading a whole
# User object into the session costs more than the query.
_OPEN_SESSION_USER = (
    select(*PRINCIPAL_COLUMNS)
    .join(RefreshSession, RefreshSession.user_id == User.id)
    .where(
        User.id == bindparam("user_id"),
        User.is_active,
        RefreshSession.id == bindparam("session_id"),
        RefreshSession.revoked_at.is_(None),
        RefreshSession.expires_at > bindparam("now"),
    )
)


class Authenticator:
    def __init__(self, settings: AuthSettings) -> None:
        self.tokens = AccessTokens(
            settings.jwt_secret, timedelta(seconds=settings.access_token_ttl_seconds)
        )
        self.refresh_ttl = timedelta(seconds=settings.refresh_token_ttl_seconds)

    def authenticate(self, db: Session, credential: Credential) -> Principal:
        """The caller, if the token is valid and its session neither revoked nor expired.

        Checking the session on every request is what makes logout and a password change
        deny the access tokens already issued (their `jti`s) until they expire.
        """
        try:
            claims = self.tokens.verify(presented_bearer_token(credential))
        except InvalidAccessTokenError:
            raise invalid_bearer_token() from None
        user = (
            db.connection()
            .execute(
                _OPEN_SESSION_USER,
                {"user_id": claims.user_id, "session_id": claims.session_id, "now": utcnow()},
            )
            .mappings()
            .one_or_none()
        )
        if user is None:
            raise invalid_bearer_token()
        return Principal.of_columns(user, session_id=claims.session_id)
