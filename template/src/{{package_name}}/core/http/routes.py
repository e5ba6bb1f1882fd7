"""Which methods a path answers, decided once for every framework.

The edge matches each request's path against the app's routes, a literal segment before a
parameter at every position (`/users/me` before `/users/{user_id}`, whatever the order the
routes were declared in), and answers what frameworks answer each their own way: HEAD by
the GET route without its body, OPTIONS and 405 with the route's complete Allow list, 404
for a path no route has.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from http import HTTPStatus

from ..errors import Problem

# A route as the adapters list it: its method, and its path with `{parameter}` segments.
Route = tuple[str, str]
# The order Allow lists methods in.
METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
# A path pattern: its segments, None where a parameter matches any non-empty segment.
Pattern = tuple[str | None, ...]


class Answer(Enum):
    ROUTE = "route"  # The route answers the method itself.
    ROUTE_WITHOUT_BODY = "head"  # HEAD: the GET route answers, the edge drops its body.
    ALLOWED_METHODS = "options"  # OPTIONS: 204 with Allow.
    METHOD_NOT_ALLOWED = "405"
    NOT_FOUND = "404"


@dataclass(frozen=True)
class Decision:
    answer: Answer
    allow: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Allow": self.allow} if self.allow else {}

    def problem(self) -> Problem:
        """The refusal, for METHOD_NOT_ALLOWED and NOT_FOUND."""
        status = (
            HTTPStatus.METHOD_NOT_ALLOWED
            if self.answer is Answer.METHOD_NOT_ALLOWED
            else HTTPStatus.NOT_FOUND
        )
        return Problem(status=status, detail=status.phrase)


def _pattern(path: str) -> Pattern:
    return tuple(
        None if segment.startswith("{") and segment.endswith("}") else segment
        for segment in path.split("/")
    )


def _matches(pattern: Pattern, segments: list[str]) -> bool:
    return len(pattern) == len(segments) and all(
        segment if expected is None else expected == segment
        for expected, segment in zip(pattern, segments, strict=True)
    )


def allow_list(methods: Iterable[str]) -> str:
    """The Allow header of a route declaring `methods`: HEAD with GET, OPTIONS always."""
    allowed = {*methods, "OPTIONS"}
    if "GET" in allowed:
        allowed.add("HEAD")
    return ", ".join(method for method in METHOD_ORDER if method in allowed)


class RouteTable:
    def __init__(self, routes: Iterable[Route]) -> None:
        methods: dict[Pattern, set[str]] = {}
        for method, path in routes:
            methods.setdefault(_pattern(path), set()).add(method.upper())
        # Literal segments sort before parameters, position by position.
        self._routes = sorted(
            ((pattern, frozenset(declared)) for pattern, declared in methods.items()),
            key=lambda route: [segment is None for segment in route[0]],
        )

    def methods(self, path: str) -> frozenset[str] | None:
        """The methods of the route `path` matches, or None when it matches none."""
        segments = path.split("/")
        for pattern, declared in self._routes:
            if _matches(pattern, segments):
                return declared
        return None

    def decide(self, method: str, path: str) -> Decision:
        declared = self.methods(path)
        if declared is None:
            return Decision(Answer.NOT_FOUND)
        if method in declared:
            return Decision(Answer.ROUTE)
        allow = allow_list(declared)
        if method == "OPTIONS":
            return Decision(Answer.ALLOWED_METHODS, allow)
        if method == "HEAD" and "GET" in declared:
            return Decision(Answer.ROUTE_WITHOUT_BODY)
        return Decision(Answer.METHOD_NOT_ALLOWED, allow)
