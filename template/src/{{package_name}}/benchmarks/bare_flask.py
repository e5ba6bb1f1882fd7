"""A bare Flask app (bare_read.py) under the service's gunicorn settings, for throughput.py."""

from flask import Flask, Response, jsonify

from ..web.wsgi.server import serve_with_gunicorn
from .bare_read import HEALTH_PATH, ITEMS_PATH, BareRead, HealthOut, server_options


def create_bare_app(read: BareRead) -> Flask:
    app = Flask(__name__, static_folder=None)

    @app.get(HEALTH_PATH)
    def health() -> Response:
        return jsonify(HealthOut().model_dump(mode="json"))

    @app.get(ITEMS_PATH)
    def items() -> Response:
        return jsonify(read.items().model_dump(mode="json"))

    return app


def main() -> None:
    read = BareRead()
    serve_with_gunicorn(create_bare_app(read), read.engine, **server_options())


if __name__ == "__main__":
    main()
