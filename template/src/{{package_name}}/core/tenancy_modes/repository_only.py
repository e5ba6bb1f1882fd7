"""Row-level security is not used by this service: the repositories alone hold every query
to its tenant (tenancy=row), or there are no tenants. tenancy=row_rls adds PostgreSQL's
row-level security, set up here, for a database that enforces the tenant itself."""

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker


def secure_engine(_engine: Engine) -> None:
    """Connections keep the role DATABASE_URL logs in as."""


def secure_sessions(_sessions: "sessionmaker[Session]") -> None:
    """Transactions need no setting: repositories filter every statement."""
