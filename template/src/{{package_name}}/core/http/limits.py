"""What the edge refuses before any route runs: request headers and bodies over their
limits, repeated query parameters."""

import re
from collections import Counter
from collections.abc import Iterable
from http import HTTPStatus
from urllib.parse import parse_qsl

from ..attachments import MAX_ATTACHMENT_BYTES
from ..errors import FieldError, Problem, invalid_request

# Uploads: the file and the multipart framing around it. The file's own limit is checked by
# the core, so a file one byte too large gets 413 whether or not it streams.
ATTACHMENTS_PATH = re.compile(r"/api/v1/items/[^/]+/attachments")
MAX_UPLOAD_BODY_BYTES = MAX_ATTACHMENT_BYTES + 64 * 1024

# Request headers: their names and values in all, and how many fields.
MAX_HEADER_BYTES = 16 * 1024
MAX_HEADER_FIELDS = 100
# A connection whose request headers have not all arrived this long after it opened (or
# after its previous response) is closed, so slow clients cannot hold connections open.
HEADER_READ_TIMEOUT_SECONDS = 10.0


def oversized_headers(field_sizes: Iterable[int]) -> Problem | None:
    """A 431 for request headers over their limits, else None.

    `field_sizes` holds, for each header field received, the bytes of its name and value;
    servers measure the raw header section their own way, so the rule counts what every
    adapter can count alike.
    """
    count = total = 0
    for size in field_sizes:
        count += 1
        total += size
    if count <= MAX_HEADER_FIELDS and total <= MAX_HEADER_BYTES:
        return None
    return Problem(
        status=HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
        detail=(
            f"The request headers exceed {MAX_HEADER_BYTES} bytes or {MAX_HEADER_FIELDS} fields."
        ),
    )


def body_limit(path: str, default: int) -> int:
    """The most bytes a request body to `path` may hold (MAX_BODY_BYTES, or the upload's)."""
    return MAX_UPLOAD_BODY_BYTES if ATTACHMENTS_PATH.fullmatch(path) else default


def declared_length_exceeds(content_length: str | None, limit: int) -> bool:
    return content_length is not None and content_length.isdigit() and int(content_length) > limit


def repeated_query(query_string: str) -> Problem | None:
    """A 422 for a query string that repeats a parameter, else None.

    Frameworks silently keep the first or the last of `?limit=5&limit=500`; a proxy or a
    cache in front of the service may pick the other, so the request is ambiguous.
    """
    if not query_string:
        return None
    names = Counter(name for name, _ in parse_qsl(query_string, keep_blank_values=True))
    repeated = sorted(name for name, count in names.items() if count > 1)
    if not repeated:
        return None
    return invalid_request(
        tuple(FieldError(("query", name), "must not be repeated") for name in repeated)
    )
