"""The service's command line run as real processes: its commands, and `serve` on a free
port of the loopback interface."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from .helpers import free_port

# The service's import package: the tests live inside it.
PACKAGE = __name__.partition(".")[0]
SRC_DIR = Path(__file__).resolve().parents[2]


def cli_environment(**settings: str) -> dict[str, str]:
    """The current environment (already stripped of settings), plus the project's sources."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC_DIR), env.get("PYTHONPATH")]))
    env.update(settings)
    return env


def run_cli(
    *args: str, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", PACKAGE, *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# `serve` as the command runs it, but with the header-read timeout the test chooses.
_SERVE_WITH_HEADER_READ_TIMEOUT = """
import sys
from {package}.core.settings import load_settings
from {package}.web import serve
serve(load_settings(), host="127.0.0.1", port=int(sys.argv[1]),
      header_read_timeout=float(sys.argv[2]))
"""


@contextmanager
def serving(
    env: dict[str, str], *, header_read_timeout: float | None = None
) -> Iterator[tuple[str, "subprocess.Popen[str]"]]:
    """`serve` running in its own process; yields its base URL and the process."""
    port = free_port()
    if header_read_timeout is None:
        command = ["-m", PACKAGE, "serve", "--host", "127.0.0.1", "--port", str(port)]
    else:
        script = _SERVE_WITH_HEADER_READ_TIMEOUT.format(package=PACKAGE)
        command = ["-c", script, str(port), str(header_read_timeout)]
    process = subprocess.Popen(
        [sys.executable, *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_until_serving(base_url: str, timeout: float = 60.0) -> httpx.Response:
    """The first answer of /health once the server listens. Only a refused connection is
    tried again: a request that reached the server counted against its rate limit."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(f"{base_url}/health", timeout=10.0)
        except httpx.ConnectError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
