"""A bare Litestar app (bare_read.py) under the service's uvicorn settings, for throughput.py."""

from litestar import Litestar, get

from ..core.items import ItemOut
from ..core.pagination import PageOut
from ..web.asgi.server import serve_with_uvicorn
from .bare_read import HEALTH_PATH, ITEMS_PATH, BareRead, HealthOut, server_options


def create_bare_app() -> Litestar:
    read = BareRead()

    @get(HEALTH_PATH)
    async def health() -> HealthOut:
        return HealthOut()

    @get(ITEMS_PATH, sync_to_thread=True)
    def items() -> PageOut[ItemOut]:
        return read.items()

    return Litestar([health, items], openapi_config=None)


def main() -> None:
    serve_with_uvicorn(create_bare_app(), **server_options())


if __name__ == "__main__":
    main()
