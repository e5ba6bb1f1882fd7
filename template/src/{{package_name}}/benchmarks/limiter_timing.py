"""How long one rate-limited request waits for its limiter: the measurement both backends'
benchmarks report."""

import statistics
import time

from limits.storage import Storage

from ..core.rate_limit import RateLimiter, address_key

REQUESTS = 1_000
CLIENTS = 100


def report(label: str, storage: Storage) -> None:
    """Print the median time one `RateLimiter.hit` (window stats included) takes on
    `storage`, over REQUESTS requests from CLIENTS addresses."""
    limiter = RateLimiter(storage, default="1000000/minute", credentials="5/15minutes")
    timings = []
    for n in range(REQUESTS):
        key = address_key(f"192.0.2.{n % CLIENTS}")
        started = time.perf_counter()
        limiter.hit(key)
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    print(f"{label}: {median * 1e6:.1f} µs added per request (median of {REQUESTS} requests)")
