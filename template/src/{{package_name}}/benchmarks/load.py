"""A small HTTP/1.1 load generator: keep-alive connections that each send one request after
another for a fixed time, counting the answers by status and timing each.

wrk is faster but not always installed; this one is pure asyncio, and on its own core it
sends several times what one service process answers.
"""

import asyncio
import math
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    seconds: float
    statuses: Counter[int]
    latencies: list[float]

    @property
    def requests_per_second(self) -> float:
        return sum(self.statuses.values()) / self.seconds

    @property
    def p99(self) -> float:
        """The 99th percentile of the answers' latencies, in seconds."""
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(len(ordered) * 0.99) - 1)] if ordered else math.nan


def request(
    base: tuple[str, int],
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes = b"",
) -> bytes:
    """The bytes of one HTTP/1.1 request, its body's length stated."""
    host, port = base
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _content_length(head: bytes) -> int:
    for line in head.lower().split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name == b"content-length":
            return int(value)
    raise RuntimeError("the benchmark needs responses with a Content-Length")


async def _connection(
    base: tuple[str, int], requests: Sequence[bytes], first: int, deadline: float, run: Run
) -> None:
    reader, writer = await asyncio.open_connection(*base)
    sent = first
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(requests[sent % len(requests)])
            head = await reader.readuntil(b"\r\n\r\n")
            await reader.readexactly(_content_length(head))
            run.latencies.append(time.perf_counter() - started)
            run.statuses[int(head[9:12])] += 1
            sent += 1
    finally:
        writer.close()


async def _drive(
    base: tuple[str, int], requests: Sequence[bytes], connections: int, seconds: float
) -> Run:
    run = Run(seconds=seconds, statuses=Counter(), latencies=[])
    started = time.perf_counter()
    deadline = started + seconds
    # Each connection starts at its own place in the mix, so that every kind is under way.
    await asyncio.gather(
        *(_connection(base, requests, n, deadline, run) for n in range(connections))
    )
    return Run(time.perf_counter() - started, run.statuses, run.latencies)


def drive_mix(
    base: tuple[str, int], requests: Sequence[bytes], *, connections: int, seconds: float
) -> Run:
    """Send `requests` in turn over `connections` keep-alive connections for `seconds`."""
    return asyncio.run(_drive(base, requests, connections, seconds))


def drive(
    base: tuple[str, int],
    path: str,
    headers: dict[str, str],
    *,
    connections: int,
    seconds: float,
) -> Run:
    """Send GET `path` over `connections` keep-alive connections for `seconds`."""
    return drive_mix(
        base, [request(base, "GET", path, headers)], connections=connections, seconds=seconds
    )
