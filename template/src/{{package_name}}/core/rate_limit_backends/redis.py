"""Rate-limit counters in Redis (or Valkey), shared by every instance of the service.

Connection errors surface as `limits` storage errors, which the policy turns into 503
(fail closed). Short timeouts keep an unreachable server from holding requests.
"""

from limits.storage import RedisStorage, Storage
from pydantic import SecretStr
from pydantic_settings import BaseSettings

TIMEOUT_SECONDS = 1.0


class StorageSettings(BaseSettings):
    redis_url: SecretStr


def create_storage(settings: StorageSettings, *, production: bool) -> Storage:
    """Connect lazily: the first request, not the start, finds out whether Redis answers."""
    return RedisStorage(
        settings.redis_url.get_secret_value(),
        wrap_exceptions=True,
        socket_connect_timeout=TIMEOUT_SECONDS,
        socket_timeout=TIMEOUT_SECONDS,
    )
