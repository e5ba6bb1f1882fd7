"""Index the items list: its tenant filter (where there are tenants) and its order.

A page of `GET /items` and its total are then read off one index, so listing stays cheap
as the table grows, instead of sorting every row of the tenant for each page.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEX = "ix_items_list_order"


def upgrade() -> None:
    columns = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("items")}
    scope = ["tenant_id"] if "tenant_id" in columns else []
    op.create_index(INDEX, "items", [*scope, "created_at", "id"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="items")
