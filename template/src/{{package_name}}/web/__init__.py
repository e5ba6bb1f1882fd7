"""FastAPI adapter: turns the core into HTTP. Keep it thin; rules belong in the core."""
