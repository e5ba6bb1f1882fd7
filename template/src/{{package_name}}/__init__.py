"""A secure HTTP API service: a framework-independent core (core/) behind a web adapter (web/)."""

# The project's name: its package name with hyphens, as project names have no underscores.
SERVICE_NAME = __name__.replace("_", "-")
