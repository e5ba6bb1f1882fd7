"""What a request presents as its credential, independent of the web framework."""

from dataclasses import dataclass

from ..errors import AuthenticationError

# Credentials in URLs end up in logs, browser history and Referer headers: refused.
QUERY_CREDENTIAL_NAMES = frozenset({"access_token", "api_key", "apikey", "key", "token"})

# The challenges of bearer-token modes (jwt, oidc): RFC 6750.
BEARER_CHALLENGE = "Bearer"
INVALID_BEARER_CHALLENGE = 'Bearer error="invalid_token"'


@dataclass(frozen=True)
class Credential:
    """The credential header's value (if any) and the names of the query parameters."""

    header: str | None
    query_names: frozenset[str]

    @property
    def in_query(self) -> bool:
        return not QUERY_CREDENTIAL_NAMES.isdisjoint(name.lower() for name in self.query_names)


def bearer_token(credential: Credential) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None when malformed."""
    scheme, _, token = (credential.header or "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        return None
    return token


def invalid_bearer_token() -> AuthenticationError:
    return AuthenticationError("The access token is not valid.", challenge=INVALID_BEARER_CHALLENGE)


def presented_bearer_token(credential: Credential) -> str:
    """The bearer token a request presents: 401 with the challenge when it presents none,
    and with `invalid_token` when the header is malformed or a token sits in the query."""
    if credential.header is None and not credential.in_query:
        raise AuthenticationError("Authentication is required.", challenge=BEARER_CHALLENGE)
    token = bearer_token(credential)
    if token is None or credential.in_query:
        raise invalid_bearer_token()
    return token
