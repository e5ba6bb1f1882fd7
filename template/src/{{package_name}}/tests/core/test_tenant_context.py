"""Entering a tenant context never loses a write, and never lets a transaction that holds
its context (row-level security) run on into another."""

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from ...core.database import create_service_engines
from ...core.models import Role, User
from ...core.repositories import enter_tenant_context
from ...core.settings import Settings
from ...core.tenancy import ALL_TENANTS, ROW_SECURITY
from ..principals import unique_email


@pytest.fixture
def service_sessions(settings: Settings) -> Iterator[sessionmaker[Session]]:
    engines = create_service_engines(settings)
    yield engines.sessions()
    engines.dispose()


def _new_superuser(db: Session) -> User:
    return User(email=unique_email("context"), role=Role.ADMIN, is_superuser=True)


def _pending(db: Session) -> str:
    user = _new_superuser(db)
    db.add(user)
    return user.email


def _flushed(db: Session) -> str:
    email = _pending(db)
    db.flush()
    return email


def _by_statement(db: Session) -> str:
    email = _flushed(db)
    db.commit()
    enter_tenant_context(db, ALL_TENANTS)
    changed = f"changed-{email}"
    db.execute(update(User).where(User.email == email).values(email=changed))
    return changed


@pytest.mark.parametrize(
    "write", [_pending, _flushed, _by_statement], ids=["pending", "flushed", "statement"]
)
def test_entering_a_context_commits_what_the_transaction_wrote(
    service_sessions: sessionmaker[Session],
    db_sessions: sessionmaker[Session],
    write: Callable[[Session], str],
) -> None:
    db = service_sessions()
    try:
        enter_tenant_context(db, ALL_TENANTS)
        email = write(db)

        enter_tenant_context(db, ALL_TENANTS)

        assert not db.in_transaction()
    finally:
        db.close()  # Rolls back whatever was not committed.
    with db_sessions() as elsewhere:
        assert elsewhere.scalar(select(User.id).where(User.email == email)) is not None


def test_a_transaction_that_only_read_goes_on_where_it_does_not_hold_its_context(
    service_sessions: sessionmaker[Session],
) -> None:
    with service_sessions() as db:
        enter_tenant_context(db, ALL_TENANTS)
        db.scalar(select(User.id).limit(1))
        assert db.in_transaction()

        enter_tenant_context(db, ALL_TENANTS)

        assert db.in_transaction() is not ROW_SECURITY.TRANSACTION_HOLDS_CONTEXT
