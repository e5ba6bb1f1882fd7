"""The work of the bare endpoints the throughput benchmark compares the service with: the
protected list's database read, with nothing around it (no credential, limit or edge).

Every framework's bare app (bare_<framework>.py) serves these two answers; the read is the
one `GET /api/v1/items` makes, on the same engine and sessions, for the same member.
"""

import argparse
import os
import uuid
from typing import TypedDict

from pydantic import BaseModel
from sqlalchemy import Engine

from ..core.authorization import Principal
from ..core.database import SessionFactory, create_database_engine, create_session_factory
from ..core.http.limits import HEADER_READ_TIMEOUT_SECONDS
from ..core.items import ItemOut
from ..core.models import Item, User
from ..core.pagination import PageOut, PageRequest
from ..core.repositories import Repository, enter_tenant_context
from ..core.settings import load_settings
from ..core.tenancy import ALL_TENANTS, TenantContext

# The member whose items the bare list reads, set by the benchmark.
MEMBER_ID_VARIABLE = "BENCHMARK_MEMBER_ID"
HEALTH_PATH = "/health"
ITEMS_PATH = "/items"


class HealthOut(BaseModel):
    status: str = "ok"


class BareRead:
    def __init__(self) -> None:
        self.engine: Engine = create_database_engine(load_settings())
        self.sessions: SessionFactory = create_session_factory(self.engine)
        with self.sessions() as db:
            enter_tenant_context(db, ALL_TENANTS)
            member = db.get(User, uuid.UUID(os.environ[MEMBER_ID_VARIABLE]))
        if member is None:
            raise SystemExit(f"{MEMBER_ID_VARIABLE} names no user")
        self.context = TenantContext.of(Principal.of(member))

    def items(self) -> PageOut[ItemOut]:
        with self.sessions() as db:
            enter_tenant_context(db, self.context)
            return PageOut[ItemOut].of(Repository(db, Item).page(PageRequest()))


class ServerOptions(TypedDict):
    host: str
    port: int
    header_read_timeout: float


def server_options() -> ServerOptions:
    """Where a bare app is told to listen, and the service's own server limits."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    arguments = parser.parse_args()
    return ServerOptions(
        host=arguments.host, port=arguments.port, header_read_timeout=HEADER_READ_TIMEOUT_SECONDS
    )
