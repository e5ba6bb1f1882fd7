"""Routes added to the app in tests only, to reach error paths on demand.

The request models are built like the service's own, from the core's validation
primitives, so abusive input sent here proves what the real routes do with it.

The routes themselves are added by the framework's test module (web_<framework>.py), with
the same paths in every framework; what they do is here, once. The plain probes read no
input: a framework registers each as a GET route that answers JSON null unless it raises,
run in a worker thread where the framework runs sync handlers in one.
"""

import uuid
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, NoReturn

from pydantic import BaseModel, Field

from ..core.errors import RateLimitedError
from ..core.request_context import bind_principal
from ..core.validation import (
    DEFAULT_LIMIT,
    Description,
    Email,
    FromString,
    Limit,
    Offset,
    PublicHttpsUrl,
    RequestModel,
    Title,
)

CRASH_MESSAGE = "probe crashed on purpose"
RETRY_AFTER_SECONDS = 30
BOUND_USER = "probe-user"
BOUND_TENANT = "probe-tenant"


class ProbeRole(StrEnum):
    ADMIN = "admin"
    MEMBER = "member"


class ProbeInput(RequestModel):
    name: str = Field(min_length=1, max_length=20)
    count: int = Field(ge=1, le=10)
    title: Title | None = None
    description: Description | None = None
    link: PublicHttpsUrl | None = None
    email: Email | None = None
    password: str | None = Field(default=None, max_length=1024)
    role: Annotated[ProbeRole, FromString] = ProbeRole.MEMBER
    owner_id: Annotated[uuid.UUID, FromString] | None = None


class ProbePage(BaseModel):
    limit: Limit = DEFAULT_LIMIT
    offset: Offset = 0


def crash() -> NoReturn:
    """Fail as a bug would: the service must answer a bare 500 problem."""
    raise RuntimeError(CRASH_MESSAGE)


def bind_a_principal() -> None:
    """Bind a caller as authentication does."""
    bind_principal(BOUND_USER, BOUND_TENANT)


def refuse_as_rate_limited() -> NoReturn:
    """Refuse as a limited route does: the core's 429."""
    raise RateLimitedError("Too many requests.", retry_after=RETRY_AFTER_SECONDS)


PLAIN_PROBES: dict[str, Callable[[], None]] = {
    "/_probe/crash": crash,
    "/_probe/principal": bind_a_principal,
    "/_probe/rate-limited": refuse_as_rate_limited,
}
