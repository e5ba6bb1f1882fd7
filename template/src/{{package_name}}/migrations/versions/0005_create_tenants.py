"""Create the tenants table and give every tenant-owned table its tenant_id.

Users belong to one tenant each, except superusers, who are global. Items and attachments
carry their tenant themselves, so each table can be filtered (and, with row-level security,
policed) on its own rows.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TENANT_OWNED_TABLES = ("items", "attachments")


def upgrade() -> None:
    op.create_table(
        "tenants",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name="pk_tenants"),
        sa.UniqueConstraint("name", name="uq_tenants_name"),
    )
    with op.batch_alter_table("users") as users:
        users.add_column(sa.Column("tenant_id", sa.Uuid(), nullable=True))
        users.create_foreign_key(
            "fk_users_tenant_id_tenants", "tenants", ["tenant_id"], ["id"], ondelete="CASCADE"
        )
        users.create_index("ix_users_tenant_id", ["tenant_id"])
        users.create_check_constraint(
            "ck_users_tenant_member", "is_superuser OR tenant_id IS NOT NULL"
        )
    for table in TENANT_OWNED_TABLES:
        with op.batch_alter_table(table) as owned:
            owned.add_column(sa.Column("tenant_id", sa.Uuid(), nullable=False))
            owned.create_foreign_key(
                f"fk_{table}_tenant_id_tenants",
                "tenants",
                ["tenant_id"],
                ["id"],
                ondelete="CASCADE",
            )
            owned.create_index(f"ix_{table}_tenant_id", ["tenant_id"])


def downgrade() -> None:
    for table in TENANT_OWNED_TABLES:
        with op.batch_alter_table(table) as owned:
            owned.drop_index(f"ix_{table}_tenant_id")
            owned.drop_constraint(f"fk_{table}_tenant_id_tenants", type_="foreignkey")
            owned.drop_column("tenant_id")
    with op.batch_alter_table("users") as users:
        users.drop_constraint("ck_users_tenant_member", type_="check")
        users.drop_index("ix_users_tenant_id")
        users.drop_constraint("fk_users_tenant_id_tenants", type_="foreignkey")
        users.drop_column("tenant_id")
    op.drop_table("tenants")
