"""Time in UTC, the only time zone the service stores."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """The time in UTC; a time without a zone is one stored in UTC (SQLite drops zones)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
