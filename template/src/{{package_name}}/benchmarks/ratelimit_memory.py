"""Latency the rate limiter adds to each request, memory backend: median over 1,000 requests.

Times what a request pays for its limit (one `RateLimiter.hit`, window stats included) on
the storage the service builds. Run from the project root, with the project installed
(`pip install -e '.[dev]'`): python -m <package>.benchmarks.ratelimit_memory
"""

from ..core.choices import rate_limit_backend
from .limiter_timing import report


def main() -> None:
    report(
        "memory",
        rate_limit_backend.create_storage(rate_limit_backend.StorageSettings(), production=False),
    )


if __name__ == "__main__":
    main()
