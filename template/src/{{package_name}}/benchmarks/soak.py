"""Steady mixed load for a while, the data growing: is the service steady?

Serves the service as `serve` does (throughput.py's server, production settings, a
SQLite file in a temporary directory or the database of DATABASE_URL) and drives it with
keep-alive connections (load.py) that list items, read one, create items and upload
attachments in turn, so that the items and attachments grow all the time. Every interval
it prints requests/s, the 99th percentile latency, the answers by status and the server's
resident memory (its workers' included). It ends with the verdict: steady when the last
interval keeps at least 85 % of the first's throughput, and the memory at the end is
within 1.2 times its level after the first minute (the warm-up: imports, pools, caches).
Run from the project root, with the project installed (`pip install -e '.[dev]'`):
python -m <package>.benchmarks.soak [--seconds 300] [--interval 30] [--connections 20]
"""

import argparse
import json
from dataclasses import dataclass

import httpx

from .load import Run, drive_mix, request
from .throughput import FRAMEWORK, Service, pin_load_to_its_core, serving_a_member

KEPT_THROUGHPUT = 0.85
MEMORY_GROWTH = 1.2
WARM_UP_SECONDS = 60.0
MIB = 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17
BOUNDARY = "soak-boundary"


def _upload_body() -> bytes:
    return (
        (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="file"; filename="soak.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + PNG
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def mixed_requests(service: Service) -> list[bytes]:
    """Reads and writes in turn: the first page, an item, a new item, a new attachment."""
    base, headers = service.server.address, service.member_headers
    with httpx.Client(base_url=service.base_url, headers=headers) as client:
        created = client.post("/api/v1/items", json={"title": "soak"})
        created.raise_for_status()
    item = f"/api/v1/items/{created.json()['id']}"
    as_json = {**headers, "Content-Type": "application/json"}
    as_form = {**headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    return [
        request(base, "GET", "/api/v1/items", headers),
        request(base, "GET", item, headers),
        request(base, "POST", "/api/v1/items", as_json, json.dumps({"title": "soak"}).encode()),
        request(base, "GET", "/api/v1/items?offset=20", headers),
        request(base, "POST", f"{item}/attachments", as_form, _upload_body()),
    ]


@dataclass(frozen=True)
class Interval:
    ended: float
    run: Run
    rss_bytes: int


def verdict(intervals: list[Interval]) -> tuple[bool, str]:
    """Steady or not, and the figures that say so."""
    first, last = intervals[0], intervals[-1]
    warm = next((i for i in intervals if i.ended >= WARM_UP_SECONDS), intervals[0])
    kept = last.run.requests_per_second / first.run.requests_per_second
    growth = last.rss_bytes / warm.rss_bytes
    steady = kept >= KEPT_THROUGHPUT and growth <= MEMORY_GROWTH
    return steady, (
        f"throughput kept {kept:.0%} (at least {KEPT_THROUGHPUT:.0%}), memory "
        f"{growth:.2f}x its level at {warm.ended:.0f} s (at most {MEMORY_GROWTH}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--seconds", type=float, default=300.0, help="length of the soak")
    parser.add_argument("--interval", type=float, default=30.0, help="length of one interval")
    parser.add_argument("--connections", type=int, default=20, help="keep-alive connections")
    arguments = parser.parse_args()

    intervals: list[Interval] = []
    with serving_a_member() as service:
        requests = mixed_requests(service)
        pin_load_to_its_core()
        print(f"{FRAMEWORK}, {arguments.connections} connections, {len(requests)} kinds of request")
        elapsed = 0.0
        while elapsed < arguments.seconds:
            run = drive_mix(
                service.server.address,
                requests,
                connections=arguments.connections,
                seconds=arguments.interval,
            )
            elapsed += run.seconds
            intervals.append(Interval(elapsed, run, service.server.rss_bytes()))
            print(
                f"{elapsed:6.0f} s: {run.requests_per_second:7,.0f} req/s, "
                f"p99 {run.p99 * 1000:6.1f} ms, RSS {intervals[-1].rss_bytes / MIB:6.1f} MiB, "
                f"answers {dict(sorted(run.statuses.items()))}",
                flush=True,
            )
    steady, figures = verdict(intervals)
    print(f"{'steady' if steady else 'NOT steady'}: {figures}")
    if not steady:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
