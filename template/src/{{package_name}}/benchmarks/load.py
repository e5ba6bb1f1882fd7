"""A small HTTP/1.1 load generator: keep-alive connections that each send one request after
another for a fixed time, counting the answers by status.

wrk is faster but not always installed; this one is pure asyncio, and on its own core it
sends several times what one service process answers.
"""

import asyncio
import time
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    seconds: float
    statuses: Counter[int]

    @property
    def requests_per_second(self) -> float:
        return sum(self.statuses.values()) / self.seconds


def _request(host: str, port: int, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _content_length(head: bytes) -> int:
    for line in head.lower().split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name == b"content-length":
            return int(value)
    raise RuntimeError("the benchmark needs responses with a Content-Length")


async def _connection(
    host: str, port: int, request: bytes, deadline: float, statuses: Counter[int]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            await reader.readexactly(_content_length(head))
            statuses[int(head[9:12])] += 1
    finally:
        writer.close()


async def _drive(
    host: str, port: int, path: str, headers: dict[str, str], connections: int, seconds: float
) -> Run:
    request = _request(host, port, path, headers)
    statuses: Counter[int] = Counter()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(_connection(host, port, request, deadline, statuses) for _ in range(connections))
    )
    return Run(seconds=time.perf_counter() - started, statuses=statuses)


def drive(
    base: tuple[str, int],
    path: str,
    headers: dict[str, str],
    *,
    connections: int,
    seconds: float,
) -> Run:
    """Send GET `path` over `connections` keep-alive connections for `seconds`."""
    host, port = base
    return asyncio.run(_drive(host, port, path, headers, connections, seconds))
