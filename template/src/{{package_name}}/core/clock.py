"""Time in UTC, the only time zone the service stores."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite returns stored UTC times without their zone: put it back before comparing."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
