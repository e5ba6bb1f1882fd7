"""Capture the service's log output as the process would print it, JSON line by line.

Open the capture after the app exists (building the app configures logging afresh):

    def test_something(client: httpx.Client) -> None:
        with LogCapture() as logs:
            client.post(...)
        assert secret not in logs.text
        assert any(line["event"] == "login_failed" for line in logs.lines())
"""

import io
import json
from types import TracebackType
from typing import Any

from ..core.logs import configure_logging


class LogCapture:
    def __init__(self) -> None:
        self._stream = io.StringIO()

    def __enter__(self) -> "LogCapture":
        configure_logging(stream=self._stream)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        configure_logging()

    @property
    def text(self) -> str:
        return self._stream.getvalue()

    def lines(self) -> list[dict[str, Any]]:
        """Every line, parsed: a line that is not one JSON object fails the test here."""
        parsed = [json.loads(line) for line in self.text.splitlines()]
        assert all(isinstance(line, dict) for line in parsed)
        return parsed

    def events(self, name: str) -> list[dict[str, Any]]:
        return [line for line in self.lines() if line["event"] == name]
