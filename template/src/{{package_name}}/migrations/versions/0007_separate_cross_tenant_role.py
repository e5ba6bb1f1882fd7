"""Give cross-tenant access a role of its own, and let an owner with CREATEROLE assume both.

Migration 0006 admitted every row to a transaction that set `app.all_tenants`, a setting
that any session of the service's role can change, injected SQL included. From here each
tenant-owned table's `tenant_isolation` policy admits the rows of `app.tenant_id` only,
and a second policy, `all_tenants`, admits every row to ALL_TENANTS_ROLE alone: the role
that cross-tenant transactions assume (see core/tenancy_modes/row_level_security.py).
APP_ROLE no longer reads the tenants table, so it cannot list other tenants' ids.

Since PostgreSQL 16 a role's creator holds it with ADMIN but neither SET nor INHERIT, so a
migrating role with CREATEROLE could not assume the roles it created: it is granted SET on
both here. No other login gets ALL_TENANTS_ROLE: the application's login must not be able
to assume it, so cross-tenant transactions use a login of their own
(DATABASE_ALL_TENANTS_URL), which the README grants it to.

Revision ID: 0007
Revises: 0006
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op
from psycopg import sql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Named after the service's package (three levels up), as core/tenancy_modes names them.
PACKAGE = Path(__file__).resolve().parents[2].name
APP_ROLE = PACKAGE + "_app"
ALL_TENANTS_ROLE = PACKAGE + "_all_tenants"
TENANT_OWNED_TABLES = ("users", "items", "attachments")
IN_TENANT = sql.SQL("tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid")
SETTING_OR_TENANT = sql.SQL(
    "current_setting('app.all_tenants', true) = 'on'"
    " OR tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid"
)
DML = sql.SQL("SELECT, INSERT, UPDATE, DELETE")
# PostgreSQL 16 split membership into ADMIN, INHERIT and SET options; before, members could SET.
SET_OPTION_SINCE = (16,)


def execute(statement: sql.SQL, **names: str) -> None:
    """Run a statement whose identifiers (and the roles' names as literals) are quoted by
    psycopg: {app}/{app_name} stand for APP_ROLE, {all}/{all_name} for ALL_TENANTS_ROLE."""
    composed = statement.format(
        app=sql.Identifier(APP_ROLE),
        app_name=sql.Literal(APP_ROLE),
        all=sql.Identifier(ALL_TENANTS_ROLE),
        all_name=sql.Literal(ALL_TENANTS_ROLE),
        privileges=DML,
        **{key: sql.Identifier(value) for key, value in names.items()},
    )
    op.execute(composed.as_string())


def current_schema() -> str:
    return str(op.get_bind().scalar(sa.select(sa.func.current_schema())))


def replace_tenant_isolation(table: str, rule: sql.SQL) -> None:
    """Make the table's `tenant_isolation` policy admit the rows of `rule`, to read and write."""
    execute(sql.SQL("DROP POLICY tenant_isolation ON {table}"), table=table)
    statement = sql.SQL(
        "CREATE POLICY tenant_isolation ON {table} USING ({rule}) WITH CHECK ({rule})"
    ).format(table=sql.Identifier(table), rule=rule)
    op.execute(statement.as_string())


def grant_to_migrating_role(role: str) -> None:
    """Let the migrating role SET ROLE to `role`, unless it already can (a superuser can)."""
    if (op.get_bind().dialect.server_version_info or ()) >= SET_OPTION_SINCE:
        assumable, options = "SET", " WITH INHERIT FALSE, SET TRUE"
    else:
        assumable, options = "MEMBER", ""
    statement = sql.SQL(
        """
        DO $$
        BEGIN
            IF NOT pg_has_role(current_user, {role_name}, {assumable}) THEN
                EXECUTE format('GRANT %I TO %I{options}', {role_name}, current_user);
            END IF;
        END
        $$
        """
    ).format(
        role_name=sql.Literal(role), assumable=sql.Literal(assumable), options=sql.SQL(options)
    )
    op.execute(statement.as_string())


def upgrade() -> None:
    execute(
        sql.SQL(
            """
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {all_name}) THEN
                    CREATE ROLE {all} NOLOGIN NOSUPERUSER NOBYPASSRLS;
                END IF;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- Created meanwhile by a concurrent migration of another database.
            END
            $$
            """
        )
    )
    grant_to_migrating_role(APP_ROLE)
    grant_to_migrating_role(ALL_TENANTS_ROLE)
    schema = current_schema()
    execute(sql.SQL("GRANT USAGE ON SCHEMA {schema} TO {all}"), schema=schema)
    execute(sql.SQL("GRANT {privileges} ON ALL TABLES IN SCHEMA {schema} TO {all}"), schema=schema)
    execute(
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT {privileges} ON TABLES TO {all}"
        ),
        schema=schema,
    )
    execute(sql.SQL("REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {all}"))
    execute(sql.SQL("REVOKE ALL ON tenants FROM {app}"))
    for table in TENANT_OWNED_TABLES:
        replace_tenant_isolation(table, IN_TENANT)
        execute(
            sql.SQL("CREATE POLICY all_tenants ON {table} TO {all} USING (true) WITH CHECK (true)"),
            table=table,
        )


def downgrade() -> None:
    for table in TENANT_OWNED_TABLES:
        execute(sql.SQL("DROP POLICY all_tenants ON {table}"), table=table)
        replace_tenant_isolation(table, SETTING_OR_TENANT)
    execute(sql.SQL("GRANT {privileges} ON tenants TO {app}"))
    schema = current_schema()
    execute(
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} REVOKE {privileges} ON TABLES FROM {all}"
        ),
        schema=schema,
    )
    execute(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {all}"), schema=schema)
    execute(sql.SQL("REVOKE USAGE ON SCHEMA {schema} FROM {all}"), schema=schema)
