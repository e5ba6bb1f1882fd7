"""PostgreSQL row-level security: the database holds every query to its tenant by itself.

These tests go around the repositories on purpose, with hand-written SQL through the
service's own engine and sessions: whatever a query forgets to filter, the policies must
still admit only the rows of the transaction's tenant. The `db_sessions` fixture logs in as
the test server's superuser, which bypasses row security: it only arranges and inspects.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from sqlalchemy import Engine, TextClause, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from ...core.database import (
    create_database_engine,
    create_session_factory,
)
from ...core.models import Attachment, Item, User
from ...core.repositories import enter_tenant_context
from ...core.settings import Settings
from ...core.tenancy import ALL_TENANTS, TenantContext
from ...core.tenancy_modes.row_level_security import APP_ROLE
from ...core.tenancy_modes.rows_columns import Tenant

INSUFFICIENT_PRIVILEGE = "42501"
KNOWN_TENANT_OWNED_TABLES = {"users", "items", "attachments"}
COUNTS = {
    "users": text("SELECT count(*) FROM users"),
    "items": text("SELECT count(*) FROM items"),
    "attachments": text("SELECT count(*) FROM attachments"),
}
COUNTS_IN_TENANT = {
    "users": text("SELECT count(*) FROM users WHERE tenant_id = :tenant"),
    "items": text("SELECT count(*) FROM items WHERE tenant_id = :tenant"),
    "attachments": text("SELECT count(*) FROM attachments WHERE tenant_id = :tenant"),
}
TENANT_SETTINGS = text(
    "SELECT current_setting('app.tenant_id', true), current_setting('app.all_tenants', true)"
)
BACKEND = text("SELECT pg_backend_pid()")
TENANT_OWNED_TABLES = text(
    """
    SELECT c.table_name
    FROM information_schema.columns AS c
    JOIN information_schema.tables AS t
        ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = current_schema()
        AND c.column_name = 'tenant_id'
        AND t.table_type = 'BASE TABLE'
    """
)


@dataclass(frozen=True)
class TenantRows:
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    item_id: uuid.UUID
    counts: dict[str, int]


@dataclass(frozen=True)
class TwoTenants:
    a: TenantRows
    b: TenantRows


def add_tenant(db: Session, users: int, items: int, attachments: int) -> TenantRows:
    tenant = Tenant(name=f"rls-{uuid.uuid4().hex[:12]}")
    db.add(tenant)
    db.flush()
    people = [
        User(email=f"rls-{uuid.uuid4().hex[:12]}@example.com", tenant_id=tenant.id)
        for _ in range(users)
    ]
    db.add_all(people)
    db.flush()
    things = [
        Item(title="an item", owner_id=people[0].id, tenant_id=tenant.id) for _ in range(items)
    ]
    db.add_all(things)
    db.flush()
    db.add_all(
        Attachment(
            item_id=things[0].id,
            tenant_id=tenant.id,
            stored_name=uuid.uuid4().hex,
            content_type="text/plain",
            size=1,
        )
        for _ in range(attachments)
    )
    db.flush()
    return TenantRows(
        tenant_id=tenant.id,
        user_id=people[0].id,
        item_id=things[0].id,
        counts={"users": users, "items": items, "attachments": attachments},
    )


@pytest.fixture(scope="module")
def two_tenants(db_sessions: sessionmaker[Session]) -> Iterator[TwoTenants]:
    """Two fresh tenants with different numbers of rows in every tenant-owned table."""
    with db_sessions() as db:
        tenants = TwoTenants(
            a=add_tenant(db, users=2, items=3, attachments=1),
            b=add_tenant(db, users=1, items=2, attachments=2),
        )
        db.commit()
    yield tenants
    with db_sessions() as db:
        for rows in (tenants.a, tenants.b):
            # The database cascades the deletion to the tenant's rows.
            db.delete(db.get_one(Tenant, rows.tenant_id))
        db.commit()


@pytest.fixture
def service_engine(settings: Settings) -> Iterator[Engine]:
    engine = create_database_engine(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def service_sessions(service_engine: Engine) -> sessionmaker[Session]:
    """Sessions exactly as the service makes them: as its role, tenant set per transaction."""
    return create_session_factory(service_engine)


def counts(
    db: Session, statements: dict[str, TextClause] = COUNTS, **params: object
) -> dict[str, int]:
    return {table: db.scalar(statement, params) for table, statement in statements.items()}


def sqlstate(error: DBAPIError) -> str | None:
    assert isinstance(error.orig, psycopg.Error)
    return error.orig.sqlstate


def tenant_owned_tables(db: Session) -> set[str]:
    return set(db.scalars(TENANT_OWNED_TABLES))


def test_service_role_sees_no_rows_without_a_tenant(
    two_tenants: TwoTenants,
    service_sessions: sessionmaker[Session],
    db_sessions: sessionmaker[Session],
) -> None:
    with db_sessions() as db:
        everything = counts(db)
    with service_sessions() as db:
        outside_any_tenant = counts(db)
        enter_tenant_context(db, TenantContext(tenant_id=two_tenants.a.tenant_id))
        in_a = counts(db)
        enter_tenant_context(db, TenantContext(tenant_id=two_tenants.b.tenant_id))
        in_b = counts(db)
        enter_tenant_context(db, ALL_TENANTS)
        across_tenants = counts(db)

    assert outside_any_tenant == {"users": 0, "items": 0, "attachments": 0}
    assert in_a == two_tenants.a.counts
    assert in_b == two_tenants.b.counts
    assert across_tenants == everything
    for table, count in everything.items():
        assert count >= two_tenants.a.counts[table] + two_tenants.b.counts[table]


def violation(
    sessions: sessionmaker[Session], context: TenantContext, statement: TextClause, **params: object
) -> DBAPIError:
    """Run `statement` in `context`, expecting the database to refuse it."""
    with sessions() as db:
        enter_tenant_context(db, context)
        with pytest.raises(DBAPIError) as refused:
            db.execute(statement, params)
    return refused.value


def test_insert_for_another_tenant_violates_the_policy(
    two_tenants: TwoTenants,
    service_sessions: sessionmaker[Session],
    db_sessions: sessionmaker[Session],
) -> None:
    a, b = two_tenants.a, two_tenants.b
    in_a = TenantContext(tenant_id=a.tenant_id)

    inserted = violation(
        service_sessions,
        in_a,
        text(
            "INSERT INTO items (id, tenant_id, owner_id, title) VALUES (:id, :tenant, :owner, 'x')"
        ),
        id=uuid.uuid4(),
        tenant=b.tenant_id,
        owner=b.user_id,
    )
    moved = violation(
        service_sessions,
        in_a,
        text("UPDATE items SET tenant_id = :tenant WHERE id = :id"),
        tenant=b.tenant_id,
        id=a.item_id,
    )
    with service_sessions() as db:
        enter_tenant_context(db, in_a)
        # B's rows are out of reach of A's updates and deletes: they match nothing.
        renamed = db.scalars(
            text("UPDATE items SET title = 'taken' WHERE id = :id RETURNING id"), {"id": b.item_id}
        ).all()
        deleted = db.scalars(
            text("DELETE FROM users WHERE id = :id RETURNING id"), {"id": b.user_id}
        ).all()
        db.commit()
    with db_sessions() as db:
        item_a, item_b = db.get_one(Item, a.item_id), db.get_one(Item, b.item_id)
        user_b = db.get(User, b.user_id)
        after = counts(db, COUNTS_IN_TENANT, tenant=b.tenant_id)

    assert sqlstate(inserted) == INSUFFICIENT_PRIVILEGE
    assert "row-level security" in str(inserted.orig)
    assert sqlstate(moved) == INSUFFICIENT_PRIVILEGE
    assert "row-level security" in str(moved.orig)
    assert renamed == []
    assert deleted == []
    assert item_a.tenant_id == a.tenant_id
    assert item_b.title == "an item"
    assert user_b is not None
    assert after == b.counts


def test_every_tenant_owned_table_forces_row_level_security(
    db_sessions: sessionmaker[Session],
) -> None:
    """Every table with a tenant_id column, found in the catalog rather than listed, so a
    tenant-owned table added without a policy fails here."""
    with db_sessions() as db:
        # As the tables' owner: information_schema shows it every table.
        tables = tenant_owned_tables(db)
        protection = {
            table: db.execute(
                text(
                    """
                    SELECT c.relrowsecurity, c.relforcerowsecurity, count(p.policyname) > 0
                    FROM pg_class AS c
                    LEFT JOIN pg_policies AS p
                        ON p.schemaname = current_schema()
                        AND p.tablename = c.relname
                        AND p.qual IS NOT NULL
                        AND p.with_check IS NOT NULL
                        AND p.permissive = 'PERMISSIVE'
                    WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = :table
                    GROUP BY c.relrowsecurity, c.relforcerowsecurity
                    """
                ),
                {"table": table},
            ).one()
            for table in tables
        }

    assert tables >= KNOWN_TENANT_OWNED_TABLES
    assert {table: tuple(row) for table, row in protection.items()} == dict.fromkeys(
        tables, (True, True, True)
    )


def test_service_role_neither_owns_tables_nor_bypasses_row_security(
    service_sessions: sessionmaker[Session],
) -> None:
    with service_sessions() as db:
        current_user = db.scalar(text("SELECT current_user"))
        role = db.execute(
            text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        ).one()
        # Owning a table, or being able to become its owner, would allow turning RLS off.
        owned = set(
            db.scalars(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                    " AND pg_has_role(current_user, tableowner, 'MEMBER')"
                )
            )
        )
        tables = tenant_owned_tables(db)

    assert current_user == APP_ROLE
    assert tuple(role) == (False, False)
    assert owned == set()
    assert tables >= KNOWN_TENANT_OWNED_TABLES


def test_tenant_setting_ends_with_its_transaction(
    two_tenants: TwoTenants, service_sessions: sessionmaker[Session]
) -> None:
    """A connection goes back to the pool with no tenant: the next transaction on it,
    outside any context, sees none of the previous transaction's rows."""
    seen = []
    for context in (TenantContext(tenant_id=two_tenants.a.tenant_id), ALL_TENANTS):
        with service_sessions() as db:
            enter_tenant_context(db, context)
            during = (db.scalar(BACKEND), tuple(db.execute(TENANT_SETTINGS).one()))
            db.commit()
        with service_sessions() as db:
            after = (db.scalar(BACKEND), tuple(db.execute(TENANT_SETTINGS).one()), counts(db))
        seen.append((during, after))

    (in_a, after_a), (across_tenants, after_all) = seen
    # One pooled connection served all four transactions.
    assert {in_a[0], after_a[0], across_tenants[0], after_all[0]} == {in_a[0]}
    assert in_a[1] == (str(two_tenants.a.tenant_id), "off")
    assert across_tenants[1] == ("", "on")
    for after in (after_a, after_all):
        assert after[1] in {("", ""), (None, None)}
        assert after[2] == {"users": 0, "items": 0, "attachments": 0}


def test_migrations_run_as_owner_and_service_as_app_role(
    database_url: str, service_sessions: sessionmaker[Session]
) -> None:
    """The tables belong to the role that migrated them (the login role of DATABASE_URL);
    the service, logging in as that same role, still queries as the app role."""
    with service_sessions() as db:
        owners: dict[str, str] = dict(
            db.execute(
                text(
                    "SELECT tablename, tableowner FROM pg_tables"
                    " WHERE schemaname = current_schema()"
                )
            ).all()
        )
        login, current = db.execute(text("SELECT session_user, current_user")).one()

    migrating_role = make_url(database_url).username
    assert login == migrating_role
    assert current == APP_ROLE
    assert {owners[table] for table in KNOWN_TENANT_OWNED_TABLES} == {migrating_role}
