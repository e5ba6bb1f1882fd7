"""A bare FastAPI app (bare_read.py) under the service's uvicorn settings, for throughput.py."""

from fastapi import FastAPI

from ..core.items import ItemOut
from ..core.pagination import PageOut
from ..web.asgi.server import serve_with_uvicorn
from .bare_read import HEALTH_PATH, ITEMS_PATH, BareRead, HealthOut, server_options


def create_bare_app() -> FastAPI:
    read = BareRead()
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get(HEALTH_PATH)
    async def health() -> HealthOut:
        return HealthOut()

    @app.get(ITEMS_PATH)
    def items() -> PageOut[ItemOut]:
        return read.items()

    return app


def main() -> None:
    serve_with_uvicorn(create_bare_app(), **server_options())


if __name__ == "__main__":
    main()
