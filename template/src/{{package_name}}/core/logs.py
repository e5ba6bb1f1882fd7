"""Structured logging: one JSON object per line on stdout, for the service and its libraries.

Every line goes through the same processors, whether it comes from structlog or from a
standard-library logger (uvicorn, alembic): the request's id, user and tenant are added,
credentials are redacted wherever they sit in the event, and the JSON renderer escapes
control characters, so user input (a path with CR/LF, say) cannot start a forged line.
"""

import contextlib
import functools
import logging
import sys
from collections.abc import Mapping, MutableMapping
from typing import TextIO

import structlog

from .request_context import add_request_context

REDACTED = "[REDACTED]"
# Key words that mark a value as a credential, in any case, with `-` or `_` between words.
_SENSITIVE_WORDS = frozenset(
    {"authorization", "cookie", "password", "passwd", "secret", "token", "credential"}
)
_SENSITIVE_KEYS = frozenset({"api_key", "apikey", "x_api_key", "set_cookie"})


# Values that hold no keys, checked first: most of every event.
_SCALARS = (str, int, float, bool, type(None))


def is_sensitive_key(key: object) -> bool:
    if type(key) is str:  # Every key of an event: the rest is for nested values.
        return _is_sensitive_name(key)
    if isinstance(key, bytes):
        key = key.decode("latin-1")
    if not isinstance(key, str):
        return False
    return _is_sensitive_name(key)


@functools.lru_cache(maxsize=1024)
def _is_sensitive_name(key: str) -> bool:
    """Decided once per key name: every log line asks again for the same few names."""
    name = key.lower().replace("-", "_")
    return (
        name in _SENSITIVE_KEYS
        or "api_key" in name
        or bool(_SENSITIVE_WORDS.intersection(name.split("_")))
    )


def _redact(value: object) -> object:
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, Mapping):
        return {
            key: REDACTED if is_sensitive_key(key) else _redact(item) for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        # (name, value) pairs, as in ASGI or HTTP client header lists.
        if len(value) == 2 and is_sensitive_key(value[0]):
            return (value[0], REDACTED)
        return [_redact(item) for item in value]
    return value


def redact_credentials(
    _logger: object, _method: str, event: MutableMapping[str, object]
) -> MutableMapping[str, object]:
    """structlog processor: mask every value whose key names a credential, at any depth."""
    for key, value in event.items():
        if is_sensitive_key(key):
            event[key] = REDACTED
        elif not isinstance(value, _SCALARS):
            event[key] = _redact(value)
    return event


_SHARED_PROCESSORS: list[structlog.typing.Processor] = [
    structlog.contextvars.merge_contextvars,
    add_request_context,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    redact_credentials,
]
_RENDERING: list[structlog.typing.Processor] = [
    structlog.processors.format_exc_info,
    structlog.processors.JSONRenderer(),
]


class _LineWriter:
    """structlog's logger for the service's own lines: each line, rendered once, goes
    straight to the handler's stream under the handler's lock, so it never interleaves
    with library records, and skips the standard library's LogRecord and second pass."""

    def __init__(self, handler: "logging.StreamHandler[TextIO]", name: str) -> None:
        self.handler = handler
        self.name = name  # What add_logger_name reads.

    def msg(self, line: str) -> None:
        with self.handler.lock or contextlib.nullcontext():
            try:
                self.handler.stream.write(line + "\n")
                self.handler.stream.flush()  # The handler's own flush takes its lock again.
            except (OSError, ValueError):
                # A stream that is gone (closed, a full disk) loses the line but never the
                # request that logged it: reported as the standard library's handlers do.
                self.handler.handleError(logging.makeLogRecord({"msg": line}))

    debug = info = warning = error = critical = msg


def configure_logging(level: int = logging.INFO, stream: TextIO | None = None) -> None:
    """Route structlog and standard-library records (uvicorn, alembic) to one JSON stream.

    Lines go to `stream`, by default the process's stdout. Calling it again replaces the
    previous configuration rather than adding handlers.
    """
    handler = logging.StreamHandler(sys.stdout if stream is None else stream)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=_SHARED_PROCESSORS,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                *_RENDERING,
            ],
        )
    )

    def line_writer(name: str = "", *_: object) -> _LineWriter:
        return _LineWriter(handler, name)

    structlog.configure(
        processors=[*_SHARED_PROCESSORS, *_RENDERING],
        logger_factory=line_writer,
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=False,
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    # Alembic reports every step and plugin at INFO: `migrate --verbose` asks for that.
    logging.getLogger("alembic").setLevel(max(level, logging.WARNING))
