"""What the service expects of its PostgreSQL database URL and engine."""

from typing import Any

from sqlalchemy import Engine

DRIVER_NAME = "postgresql+psycopg"
URL_FORM = "postgresql+psycopg://<user>:<password>@<host>:<port>/<database>"

# Drop dead pooled connections before use, and give up on an unreachable server quickly
# so readiness probes answer instead of hanging.
ENGINE_OPTIONS: dict[str, Any] = {
    "pool_pre_ping": True,
    "connect_args": {"connect_timeout": 5},
}


def configure_engine(_engine: Engine) -> None:
    """Nothing to add: PostgreSQL's row locks let concurrent writers wait their turn."""
