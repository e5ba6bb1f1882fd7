"""Validation primitives for every request model, independent of any web framework.

Build request bodies from these, so every field is strict, bounded and closed:

    from .validation import Description, Email, FromString, PublicHttpsUrl, RequestModel, Title

    class ItemCreate(RequestModel):
        title: Title                                  # one line, 1-200 characters
        description: Description | None = None        # <= 2000, markup cleaned by nh3
        link: PublicHttpsUrl | None = None            # https, public host; store str(link)

    class UserCreate(RequestModel):
        email: Email
        role: Annotated[Role, FromString] = Role.MEMBER

- `RequestModel` refuses unknown fields (so a body cannot set role, tenant_id or owner
  unless the model names them) and text the database cannot store (NUL, unpaired
  surrogates) in any field, and is strict: "5" is not 5 and 1 is not true. Pydantic's
  strict mode wants Python objects for enums, UUIDs and datetimes, which JSON carries as
  strings: annotate those fields with `FromString`, as above. Enums stay closed.
- `Title` and `Description` refuse control characters (NUL, ESC...) and lone surrogates,
  which databases reject with an error rather than store; `Description` keeps line breaks
  and tabs. `Title` is plain text: clients encode it when they display it.
- `Description` may carry simple markup; `clean_markup` (nh3, an allowlist sanitiser)
  keeps a few formatting tags and drops everything else, scripts and their content first.
- Query parameters arrive as text: read integers with `QueryInteger` (decimal digits only,
  so `1.0`, `+5` and ` 5` are refused), and paginate with `Limit` and `Offset` (limit
  1-100, default `DEFAULT_LIMIT`).
"""

import ipaddress
import re
import unicodedata
from typing import Annotated, Any
from urllib.parse import urlsplit

import nh3
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    HttpUrl,
    Strict,
    StringConstraints,
    UrlConstraints,
    field_validator,
)

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 2000
EMAIL_MAX_LENGTH = 320
URL_MAX_LENGTH = 2048
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


# The text rules below as JSON Schema patterns, so that the API's documentation states them.
_CONTROLS = r"\u0000-\u001f\u007f-\u009f"
_CONTROLS_BUT_BREAKS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
ONE_LINE = Field(
    json_schema_extra={"pattern": rf"^[^{_CONTROLS}]*[^\s{_CONTROLS}][^{_CONTROLS}]*$"}
)
"""The schema of one line of text with more than spaces (`single_line`, then stripped)."""
MULTI_LINE = Field(json_schema_extra={"pattern": rf"^[^{_CONTROLS_BUT_BREAKS}]*$"})


def _without_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


OMITTABLE = Field(default=None, json_schema_extra=_without_default)
"""A field that may be left out but not sent as null: annotate it `T | SkipJsonSchema[None]`
and refuse None when it was set, so its schema offers no null."""


def is_storable(text: str) -> bool:
    """Whether a database can store the text: PostgreSQL refuses NUL characters, and no
    driver encodes an unpaired surrogate; either would be a 500, not a refusal."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


class CredentialRequest(BaseModel):
    """The base of credential bodies (login, refresh): strict and closed, but unstorable text
    is a bad credential for the service to answer with 401, not invalid input."""

    model_config = ConfigDict(extra="forbid", strict=True)


class RequestModel(CredentialRequest):
    """The base of every other request body: strict types, unknown fields refused, and no
    text the database cannot store, whatever the field's type."""

    @field_validator("*", mode="before")
    @classmethod
    def _text_is_storable(cls, value: object) -> object:
        if isinstance(value, str) and not is_storable(value):
            raise ValueError("must not contain NUL characters or unpaired surrogates")
        return value


FromString = Strict(False)
"""Marks a field whose JSON form is a string (enum, UUID, datetime) in a strict model."""


def _refuse_controls(value: str, allowed: str) -> str:
    for character in value:
        if unicodedata.category(character) in ("Cc", "Cs") and character not in allowed:
            raise ValueError("must not contain control characters")
    return value


def single_line(value: str) -> str:
    """Text without control characters, line breaks included."""
    return _refuse_controls(value, allowed="")


def multi_line(value: str) -> str:
    """Text without control characters other than line breaks and tabs."""
    return _refuse_controls(value, allowed="\n\r\t")


# Formatting only: no images, tables, forms, frames, styles or scripts.
_MARKUP_TAGS = {
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "ul",
}


def clean_markup(value: str) -> str:
    """Keep a few formatting tags and https/mailto links; drop every other tag and attribute."""
    return nh3.clean(
        value,
        tags=_MARKUP_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def _cleaned_description(value: str) -> str:
    cleaned = clean_markup(value)
    if len(cleaned) > DESCRIPTION_MAX_LENGTH:
        # Escaping (& becomes &amp;) can lengthen the text past what the database holds.
        raise ValueError(f"must be at most {DESCRIPTION_MAX_LENGTH} characters once cleaned")
    return cleaned


Title = Annotated[
    str,
    StringConstraints(
        strict=True, strip_whitespace=True, min_length=1, max_length=TITLE_MAX_LENGTH
    ),
    AfterValidator(single_line),
    ONE_LINE,
]
Description = Annotated[
    str,
    StringConstraints(strict=True, max_length=DESCRIPTION_MAX_LENGTH),
    AfterValidator(multi_line),
    AfterValidator(_cleaned_description),
    MULTI_LINE,
]
Email = Annotated[EmailStr, Field(max_length=EMAIL_MAX_LENGTH)]

_QUERY_INTEGER = re.compile(r"[0-9]{1,20}")


def _decimal_digits(value: object) -> object:
    """A query integer is its digits 0-9 alone: `1.0`, `+5`, ` 5`, `0x5` and digits of other
    scripts are not."""
    if isinstance(value, str):
        if _QUERY_INTEGER.fullmatch(value) is None:
            raise ValueError("must be a whole number written in digits")
        return int(value)
    return value


_DIGITS_ONLY = BeforeValidator(_decimal_digits)
QueryInteger = Annotated[int, Strict(), _DIGITS_ONLY]
"""An integer read from a query string, where every value arrives as text. Bounds go before
the digits rule (as in `Limit`), so that the schema states them as minimum and maximum."""

Limit = Annotated[int, Strict(), Field(ge=1, le=MAX_LIMIT), _DIGITS_ONLY]
Offset = Annotated[int, Strict(), Field(ge=0, le=MAX_OFFSET), _DIGITS_ONLY]

# Names that only ever mean this machine or its private network, whatever DNS says.
_INTERNAL_NAMES = ("localhost", "metadata.google.internal")
_INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Global unicast only; IPv6 forms that carry an IPv4 address are judged by that address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and (address in _NAT64 or int(address) >> 32 == 0):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
        if embedded is not None and not _is_public_address(embedded):
            return False
    return address.is_global and not address.is_multicast


def _is_public_host(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        name = host.rstrip(".").lower()
        internal = name in _INTERNAL_NAMES or name.endswith(_INTERNAL_SUFFIXES)
        return "." in name and not internal
    return _is_public_address(address)


def is_trusted_service_url(url: str) -> bool:
    """Whether the service may fetch secrets or keys from `url`: https with a host, or
    plain http to this machine only (a local secrets agent, a test issuer)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return bool(parts.hostname)
    return parts.scheme == "http" and _is_loopback(parts.hostname or "")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _public_https(url: HttpUrl) -> HttpUrl:
    # The URL parser has already turned 2130706433, 0x7f.1, 0177.0.0.1 and percent-encoded
    # names into their canonical form, so the checks below see what a client would reach.
    if url.username is not None or url.password is not None:
        raise ValueError("must not contain credentials")
    if url.host is None or not _is_public_host(url.host):
        raise ValueError("must point to a public host")
    return url


# Parsing adds the path's "/" to a URL without one: a URL is sent one character short of
# what is stored, so the limit on what is sent is the one the documentation states.
SUBMITTED_URL_MAX_LENGTH = URL_MAX_LENGTH - 1


def _submitted_length(value: object) -> object:
    if isinstance(value, str) and len(value) > SUBMITTED_URL_MAX_LENGTH:
        raise ValueError(f"must be at most {SUBMITTED_URL_MAX_LENGTH} characters")
    return value


PublicHttpsUrl = Annotated[
    HttpUrl,
    UrlConstraints(max_length=URL_MAX_LENGTH, allowed_schemes=["https"]),
    BeforeValidator(_submitted_length),
    AfterValidator(_public_https),
    Field(json_schema_extra={"maxLength": SUBMITTED_URL_MAX_LENGTH}),
]
"""An https URL to a public host: no credentials, no loopback, private, link-local,
multicast, reserved or cloud-metadata address in any spelling. DNS is not consulted: a
service that fetches the URL must check the address it connects to as well."""
