"""Throughput of the protected request path against a bare endpoint of the same framework.

Serves the service as `serve` does (the framework's production server and settings) on a
real database, seeds a tenant, a member and items, and serves beside it a bare app of the
same framework doing the same SQLAlchemy read on the same database (bare_<framework>.py).
A load generator (load.py) then drives both in interleaved rounds, and the script prints
requests/s of `GET /api/v1/items` against the bare list and of `GET /health` against a
bare health answer, with their ratios. The target is a ratio of at least 0.80 for both.
It also prints the server CPU time each request took (the servers and their workers, from
psutil) and that ratio: on a busy machine, where other programs take the servers' core
from time to time, it is the steadier of the two.

On a machine with two cores or more, the servers run on one core and the load generator
on another. The database is a SQLite file in a temporary directory, or the one in
DATABASE_URL when set (required for PostgreSQL: its data is added to, never removed).
With rate_limit_backend=redis, REDIS_URL names the Redis the service counts in.
Run from the project root, with the project installed (`pip install -e '.[dev]'`):
python -m <package>.benchmarks.throughput [--seconds 5] [--rounds 3] [--connections 16]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

from ..core.choices import dialect
from ..tests.helpers import free_port
from ..tests.options import create_first_tenant, member_credentials
from ..tests.served import PACKAGE, cli_environment, run_cli, wait_until_serving
from ..web import create_app
from .bare_read import HEALTH_PATH, ITEMS_PATH, MEMBER_ID_VARIABLE
from .load import drive

# The adapter package the app comes from: web/<framework>/app.py.
FRAMEWORK = create_app.__module__.split(".")[-2]
HOST = "127.0.0.1"
ITEMS = 20
TARGET = 0.80
# With two cores or more, the servers keep to the first and the load generator to the second.
CORES = sorted(os.sched_getaffinity(0))
PINNED = len(CORES) >= 2


def _pin_to_server_core() -> None:
    os.sched_setaffinity(0, {CORES[0]})


@dataclass(frozen=True)
class Served:
    address: tuple[str, int]
    process: psutil.Process

    def _processes(self) -> list[psutil.Process]:
        return [self.process, *self.process.children(recursive=True)]

    def cpu_seconds(self) -> float:
        """CPU time the server and its workers have used so far."""
        return sum(sum(process.cpu_times()[:2]) for process in self._processes())

    def rss_bytes(self) -> int:
        """Resident memory of the server and its workers."""
        return sum(process.memory_info().rss for process in self._processes())


@contextmanager
def served(arguments: list[str], env: dict[str, str]) -> Iterator[Served]:
    """A server process started with `python -m <arguments> --host H --port P`."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 (this interpreter, the service's own modules)
        [sys.executable, "-m", *arguments, "--host", HOST, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_pin_to_server_core if PINNED else None,
    )
    try:
        wait_until_serving(f"http://{HOST}:{port}")
        yield Served((HOST, port), psutil.Process(process.pid))
    finally:
        process.terminate()
        process.wait(timeout=10)


def _database_url(directory: Path) -> str:
    configured = os.environ.get("DATABASE_URL")
    if configured:
        return configured
    if dialect.DRIVER_NAME != "sqlite":
        raise SystemExit(f"set DATABASE_URL to a scratch database ({dialect.URL_FORM})")
    return f"sqlite:///{directory / 'benchmark.db'}"


def _seed(base_url: str, headers: dict[str, str]) -> str:
    """ITEMS items of the member's; the member's id."""
    with httpx.Client(base_url=base_url, headers=headers) as client:
        for n in range(ITEMS):
            client.post("/api/v1/items", json={"title": f"item {n}"}).raise_for_status()
        me = client.get("/api/v1/users/me")
        me.raise_for_status()
        return str(me.json()["id"])


@dataclass(frozen=True)
class Figure:
    requests_per_second: float
    cpu_per_request: float


Target = Callable[[], Figure]


def _target(
    server: Served, path: str, headers: dict[str, str], connections: int, seconds: float
) -> Target:
    def run() -> Figure:
        cpu_before = server.cpu_seconds()
        result = drive(server.address, path, headers, connections=connections, seconds=seconds)
        if set(result.statuses) != {200}:
            raise SystemExit(f"GET {path} answered {dict(result.statuses)}")
        cpu = server.cpu_seconds() - cpu_before
        return Figure(result.requests_per_second, cpu / sum(result.statuses.values()))

    return run


@dataclass(frozen=True)
class Service:
    server: Served
    env: dict[str, str]
    member_headers: dict[str, str]

    @property
    def base_url(self) -> str:
        return "http://{}:{}".format(*self.server.address)


@contextmanager
def serving_a_member() -> Iterator[Service]:
    """The service served as `serve` does, in production mode on a migrated database, with
    a member's credential; the servers keep to their core from here on."""
    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        auth_environment, first_member = stack.enter_context(member_credentials())
        env = cli_environment(
            APP_ENV="production",
            DATABASE_URL=_database_url(directory),
            ATTACHMENTS_DIR=str(directory / "attachments"),
            # Counted as always, never reached. Per second: a moving window keeps an entry
            # per hit it allows, so a real limit's holds at most its amount, where a minute
            # of this benchmark's load would hold over a hundred thousand.
            RATE_LIMIT_DEFAULT="1000000000/second",
            **auth_environment,
        )
        migrated = run_cli("migrate", env=env)
        if migrated.returncode != 0:
            raise SystemExit(migrated.stderr)
        server = stack.enter_context(served([PACKAGE, "serve"], env))
        base_url = "http://{}:{}".format(*server.address)
        headers = first_member(env, create_first_tenant(env), base_url)
        yield Service(server, env, headers)


def pin_load_to_its_core() -> None:
    if PINNED:
        os.sched_setaffinity(0, {CORES[1]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of one run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved runs of each")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections")
    arguments = parser.parse_args()

    with ExitStack() as stack:
        running = stack.enter_context(serving_a_member())
        service, env, headers = running.server, running.env, running.member_headers
        env[MEMBER_ID_VARIABLE] = _seed(running.base_url, headers)
        bare = stack.enter_context(served([f"{PACKAGE}.benchmarks.bare_{FRAMEWORK}"], env))
        pin_load_to_its_core()

        def target(server: Served, path: str, sent: dict[str, str]) -> Target:
            return _target(server, path, sent, arguments.connections, arguments.seconds)

        pairs = {
            "GET /api/v1/items": (
                target(service, "/api/v1/items", headers),
                target(bare, ITEMS_PATH, {}),
            ),
            "GET /health": (target(service, "/health", {}), target(bare, HEALTH_PATH, {})),
        }
        for protected, plain in pairs.values():  # Warm both up: imports, pools, caches.
            protected()
            plain()
        figures: dict[str, tuple[list[Figure], list[Figure]]] = {name: ([], []) for name in pairs}
        for _ in range(arguments.rounds):
            for name, (protected, plain) in pairs.items():
                figures[name][0].append(protected())
                figures[name][1].append(plain())

    cores = "server and load on separate cores" if PINNED else "one core for all"
    # What else ran meanwhile: with a load far above the cores, trust the CPU ratios.
    load = ", ".join(f"{average:.1f}" for average in os.getloadavg())
    print(
        f"{FRAMEWORK}, {dialect.DRIVER_NAME}, {arguments.connections} connections, {cores}, "
        f"load average {load} (1, 5, 15 min) on {os.cpu_count()} cores"
    )
    for name, (protected_runs, plain_runs) in figures.items():
        protected_rate = statistics.median(run.requests_per_second for run in protected_runs)
        plain_rate = statistics.median(run.requests_per_second for run in plain_runs)
        protected_cpu = statistics.median(run.cpu_per_request for run in protected_runs)
        plain_cpu = statistics.median(run.cpu_per_request for run in plain_runs)
        ratio = protected_rate / plain_rate
        verdict = "ok" if ratio >= TARGET else f"below {TARGET:.2f}"
        print(
            f"{name}: {protected_rate:,.0f} req/s, bare {plain_rate:,.0f} req/s, "
            f"ratio {ratio:.2f} ({verdict}); server CPU per request "
            f"{protected_cpu * 1e6:,.0f} us, bare {plain_cpu * 1e6:,.0f} us, "
            f"ratio {plain_cpu / protected_cpu:.2f}"
        )


if __name__ == "__main__":
    main()
