"""PostgreSQL row-level security: the database itself holds every query to its tenant.

The migrations enable and force, on every tenant-owned table, a policy that admits a row
(to read or to write) only when its tenant_id is the transaction's `app.tenant_id`, and one
that admits every row to ALL_TENANTS_ROLE alone. No setting widens a transaction's view.

- Every query runs as APP_ROLE, which neither owns the tables nor bypasses row security:
  each new connection assumes it (SET ROLE), whatever role DATABASE_URL logs in as.
- A transaction in ALL_TENANTS (superusers, authentication, commands) assumes
  ALL_TENANTS_ROLE for itself (SET LOCAL ROLE); the others set `app.tenant_id`. Both are
  local to the transaction, so a pooled connection never carries a tenant, or the view of
  every tenant, into another request.
- The migrations create both roles and let the migrating role assume them; grant both to
  the service's login role if that is another one.
- Outside any context no policy admits anything: a query sees no rows.
"""

from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Connection, Engine, event, func, select
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from ..base import CONTEXT_KEY
from .rows import TenantContext

# Named after the service's package, so that services sharing a server keep their roles apart.
APP_ROLE = __name__.partition(".")[0] + "_app"
ALL_TENANTS_ROLE = __name__.partition(".")[0] + "_all_tenants"


def secure_engine(engine: Engine) -> None:
    event.listen(engine, "connect", _assume_app_role)


def secure_sessions(sessions: "sessionmaker[Session]") -> None:
    event.listen(sessions, "after_begin", _set_tenant)


def _assume_app_role(dbapi_connection: "psycopg.Connection[Any]", _record: object) -> None:
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        cursor.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(APP_ROLE)))
    dbapi_connection.autocommit = autocommit


def _set_tenant(session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
    context = session.info.get(CONTEXT_KEY)
    if not isinstance(context, TenantContext):
        return
    if context.all_tenants:
        connection.execute(select(func.set_config("role", ALL_TENANTS_ROLE, True)))
        return
    tenant = "" if context.tenant_id is None else str(context.tenant_id)
    connection.execute(select(func.set_config("app.tenant_id", tenant, True)))
