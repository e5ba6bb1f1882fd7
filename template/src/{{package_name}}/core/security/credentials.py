"""What a request presents as its credential, independent of the web framework."""

from dataclasses import dataclass

# Credentials in URLs end up in logs, browser history and Referer headers: refused.
QUERY_CREDENTIAL_NAMES = frozenset({"access_token", "api_key", "apikey", "key", "token"})


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
