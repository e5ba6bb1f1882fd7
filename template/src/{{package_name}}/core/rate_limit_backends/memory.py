"""Rate-limit counters in the memory of the process: right for one instance only.

Every process counts on its own, so N workers or replicas allow N times each limit. The
service warns at start when production is configured with more than one worker.
"""

import structlog
from limits.storage import MemoryStorage, Storage
from pydantic import Field
from pydantic_settings import BaseSettings

logger = structlog.get_logger(__name__)


class StorageSettings(BaseSettings):
    # Read from the variable uvicorn and most process managers use for the worker count.
    web_concurrency: int = Field(default=1, gt=0)


def create_storage(settings: StorageSettings, *, production: bool) -> Storage:
    if production and settings.web_concurrency > 1:
        logger.warning(
            "rate_limit_not_shared",
            workers=settings.web_concurrency,
            detail="memory rate limits are per process; choose the redis backend to share them",
        )
    return MemoryStorage()
