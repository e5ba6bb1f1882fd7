"""The app's routes, as the edge's route table reads them (core/http/routes.py)."""

import re
from collections.abc import Iterator

from flask import Flask

from ...core.http.routes import Route

_RULE_VARIABLE = re.compile(r"<(?:\w+:)?(\w+)>")


def openapi_path(rule: str) -> str:
    """A Flask rule's path with `{parameter}` segments, as OpenAPI writes it."""
    return _RULE_VARIABLE.sub(r"{\1}", rule)


def route_methods(app: Flask) -> Iterator[Route]:
    """Every (method, path) the app declares, the docs included; HEAD and OPTIONS are the
    edge's."""
    for rule in app.url_map.iter_rules():
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            yield method, openapi_path(rule.rule)
