"""Row-level security is not used by this service: the repositories alone hold every query
to its tenant (tenancy=row), or there are no tenants. tenancy=row_rls adds PostgreSQL's
row-level security, set up here, for a database that enforces the tenant itself."""

from pydantic_settings import BaseSettings
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

# The context is the repositories' condition on each statement, not a state of the
# transaction: a transaction may go on into another context.
TRANSACTION_HOLDS_CONTEXT = False


class TenancySettings(BaseSettings):
    """No setting of its own: every transaction logs in as DATABASE_URL says."""

    @property
    def across_tenants_database_url(self) -> str | None:
        return None

    def production_warnings(self) -> dict[str, str]:
        return {}


def secure_engine(_engine: Engine, *, across_tenants: bool = False) -> None:
    """Connections keep the role DATABASE_URL logs in as."""


def secure_sessions(_sessions: "sessionmaker[Session]") -> None:
    """Transactions need no setting: repositories filter every statement."""


def can_act_across_tenants(_connection: Connection) -> bool:
    """Without row-level security the database holds no session to a tenant."""
    return True
