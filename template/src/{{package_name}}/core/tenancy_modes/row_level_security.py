"""PostgreSQL row-level security: the database itself holds every query to its tenant.

The migrations enable and force, on every tenant-owned table, a policy that admits a row
(to read or to write) only when its tenant_id is the transaction's `app.tenant_id`, and one
that admits every row to ALL_TENANTS_ROLE alone. No setting widens a transaction's view.

- Every query within a tenant runs as APP_ROLE, which neither owns the tables nor bypasses
  row security: each new connection of DATABASE_URL's login assumes it (SET ROLE).
- A transaction in ALL_TENANTS (superusers, authentication, commands) runs as
  ALL_TENANTS_ROLE, on connections of its own login (DATABASE_ALL_TENANTS_URL), which
  assume that role as they open; the application's login is granted APP_ROLE only, so no
  statement in its sessions can become ALL_TENANTS_ROLE. Without that setting (in
  development) such a transaction assumes the role on DATABASE_URL's login (SET LOCAL
  ROLE), which must then hold it; check-config refuses that in production.
- The others set `app.tenant_id`, local to the transaction, so a pooled connection never
  carries a tenant into another request.
- The migrations create both roles and let the migrating role assume them; the README
  grants each role to its login.
- Outside any context no policy admits anything: a query sees no rows.
"""

from functools import partial
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
# PostgreSQL 16 split membership into INHERIT, SET and ADMIN; before, every member could SET.
SET_OPTION_SINCE = (16,)
# A transaction's role, tenant setting and login are its context's: another context
# needs another transaction.
TRANSACTION_HOLDS_CONTEXT = True


def secure_engine(engine: Engine, *, across_tenants: bool = False) -> None:
    """Every connection assumes APP_ROLE, or ALL_TENANTS_ROLE on the cross-tenant login's."""
    role = ALL_TENANTS_ROLE if across_tenants else APP_ROLE
    event.listen(engine, "connect", partial(_assume_role, role))


def secure_sessions(sessions: "sessionmaker[Session]") -> None:
    event.listen(sessions, "after_begin", _set_tenant)


def can_act_across_tenants(connection: Connection) -> bool:
    """Whether statements on this connection could SET ROLE to ALL_TENANTS_ROLE (a superuser
    can)."""
    if connection.scalar(select(func.to_regrole(ALL_TENANTS_ROLE).is_(None))):
        return False
    since_16 = (connection.dialect.server_version_info or ()) >= SET_OPTION_SINCE
    privilege = "SET" if since_16 else "MEMBER"
    has_role = func.pg_has_role(func.session_user(), ALL_TENANTS_ROLE, privilege)
    return bool(connection.scalar(select(has_role)))


def _assume_role(role: str, dbapi_connection: "psycopg.Connection[Any]", _record: object) -> None:
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        cursor.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
    dbapi_connection.autocommit = autocommit


def _set_tenant(session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
    context = session.info.get(CONTEXT_KEY)
    if not isinstance(context, TenantContext):
        return
    if context.all_tenants:
        # A no-op on the cross-tenant login's connections, which hold the role already.
        connection.execute(select(func.set_config("role", ALL_TENANTS_ROLE, True)))
        return
    tenant = "" if context.tenant_id is None else str(context.tenant_id)
    connection.execute(select(func.set_config("app.tenant_id", tenant, True)))
