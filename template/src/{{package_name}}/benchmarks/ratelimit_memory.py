"""Latency the rate limiter adds to each request, memory backend: median over 1,000 requests.

Times what a request pays for its limit (one `RateLimiter.hit`, window stats included) on
the storage the service builds. Run from the project root, with the project installed
(`pip install -e '.[dev]'`): python -m <package>.benchmarks.ratelimit_memory
"""

from ..core.rate_limit_storage import StorageSettings, create_storage
from .limiter_timing import report


def main() -> None:
    report("memory", create_storage(StorageSettings(), production=False))


if __name__ == "__main__":
    main()
