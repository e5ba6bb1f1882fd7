"""What the service expects of its SQLite database URL and engine."""

from typing import Any

DRIVER_NAME = "sqlite"
URL_FORM = "sqlite:///<path to the database file>"

# A file database shared by the server's worker threads; SQLAlchemy pools its connections.
ENGINE_OPTIONS: dict[str, Any] = {}
