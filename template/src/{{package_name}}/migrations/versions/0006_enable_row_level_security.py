"""Enable and force row-level security on every tenant-owned table, for the service's role.

Each table gets one policy, for reading and writing alike: a row is admitted when its
tenant_id is the transaction's `app.tenant_id`, or when the transaction declares
`app.all_tenants` (superusers, authentication, commands). FORCE holds the tables' owner to
the policies too. The service queries as APP_ROLE (see
core/tenancy_modes/row_level_security.py), created here without ownership of anything
and without BYPASSRLS, unless a DBA created it beforehand.

Revision ID: 0006
Revises: 0005
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op
from psycopg import sql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Named after the service's package (three levels up), as core/tenancy_modes names it.
APP_ROLE = Path(__file__).resolve().parents[2].name + "_app"
TENANT_OWNED_TABLES = ("users", "items", "attachments")
IN_TENANT = sql.SQL(
    "current_setting('app.all_tenants', true) = 'on'"
    " OR tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid"
)
DML = sql.SQL("SELECT, INSERT, UPDATE, DELETE")


def execute(statement: sql.SQL, **names: str) -> None:
    """Run a statement whose identifiers (and the role's name as a literal) are quoted by
    psycopg: {role} and {role_name} stand for APP_ROLE, {table} and the like for `names`."""
    composed = statement.format(
        role=sql.Identifier(APP_ROLE),
        role_name=sql.Literal(APP_ROLE),
        rule=IN_TENANT,
        privileges=DML,
        **{key: sql.Identifier(value) for key, value in names.items()},
    )
    op.execute(composed.as_string())


def current_schema() -> str:
    return str(op.get_bind().scalar(sa.select(sa.func.current_schema())))


def upgrade() -> None:
    execute(
        sql.SQL(
            """
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {role_name}) THEN
                    CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS;
                END IF;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- Created meanwhile by a concurrent migration of another database.
            END
            $$
            """
        )
    )
    execute(
        sql.SQL(
            """
            DO $$
            BEGIN
                IF NOT pg_has_role(current_user, {role_name}, 'MEMBER') THEN
                    EXECUTE format('GRANT %I TO %I', {role_name}, current_user);
                END IF;
            END
            $$
            """
        )
    )
    schema = current_schema()
    execute(sql.SQL("GRANT USAGE ON SCHEMA {schema} TO {role}"), schema=schema)
    execute(sql.SQL("GRANT {privileges} ON ALL TABLES IN SCHEMA {schema} TO {role}"), schema=schema)
    execute(
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT {privileges} ON TABLES TO {role}"
        ),
        schema=schema,
    )
    execute(sql.SQL("REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {role}"))
    for table in TENANT_OWNED_TABLES:
        execute(sql.SQL("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"), table=table)
        execute(sql.SQL("ALTER TABLE {table} FORCE ROW LEVEL SECURITY"), table=table)
        execute(
            sql.SQL("CREATE POLICY tenant_isolation ON {table} USING ({rule}) WITH CHECK ({rule})"),
            table=table,
        )


def downgrade() -> None:
    for table in TENANT_OWNED_TABLES:
        execute(sql.SQL("DROP POLICY tenant_isolation ON {table}"), table=table)
        execute(sql.SQL("ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY"), table=table)
        execute(sql.SQL("ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"), table=table)
    schema = current_schema()
    execute(
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} REVOKE {privileges} ON TABLES FROM {role}"
        ),
        schema=schema,
    )
    execute(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}"), schema=schema)
    execute(sql.SQL("REVOKE USAGE ON SCHEMA {schema} FROM {role}"), schema=schema)
