"""Authentication by API key, sent in the X-API-Key header and nowhere else."""

from datetime import timedelta

from sqlalchemy.orm import Session

from ...authorization import Principal
from ...clock import utcnow
from ...errors import AuthenticationError
from ..credentials import Credential
from .api_keys import find_key_user
from .settings import AuthSettings

CREDENTIAL_HEADER = "X-API-Key"
CHALLENGE = f'ApiKey header="{CREDENTIAL_HEADER}"'
# Recording every use would turn each read into a write: once a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)


class Authenticator:
    def __init__(self, _: AuthSettings) -> None:
        """API keys live in the database: no setting is needed to check them."""

    def authenticate(self, db: Session, credential: Credential) -> Principal:
        if credential.in_query:
            raise AuthenticationError(
                f"API keys are accepted in the {CREDENTIAL_HEADER} header only.",
                challenge=CHALLENGE,
            )
        if credential.header is None:
            raise AuthenticationError("Authentication is required.", challenge=CHALLENGE)
        found = find_key_user(db, credential.header.strip())
        if found is None:
            raise AuthenticationError("The API key is not valid.", challenge=CHALLENGE)
        record, user = found
        now = utcnow()
        if record.last_used_at is None or now - record.last_used_at > LAST_USED_PRECISION:
            record.last_used_at = now
            db.commit()
        return Principal.of(user)
