"""Latency the rate limiter adds to each request, memory backend: median over 1,000 requests.

Times what a request pays for its limit (one `RateLimiter.hit`, window stats included) on
the storage the service builds. Run from the project root, with the project installed
(`pip install -e '.[dev]'`): python -m <package>.benchmarks.ratelimit_memory
"""

import statistics
import time

from ..core.rate_limit import RateLimiter, address_key
from ..core.rate_limit_storage import StorageSettings, create_storage

REQUESTS = 1_000
CLIENTS = 100


def median_seconds_per_hit(limiter: RateLimiter) -> float:
    timings = []
    for n in range(REQUESTS):
        key = address_key(f"192.0.2.{n % CLIENTS}")
        started = time.perf_counter()
        limiter.hit(key)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    storage = create_storage(StorageSettings(), production=False)
    limiter = RateLimiter(storage, default="1000000/minute", credentials="5/15minutes")
    median = median_seconds_per_hit(limiter)
    print(f"memory: {median * 1e6:.1f} µs added per request (median of {REQUESTS} requests)")


if __name__ == "__main__":
    main()
