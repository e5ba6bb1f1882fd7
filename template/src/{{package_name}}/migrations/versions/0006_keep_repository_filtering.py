"""Leave row-level security off: repositories filter every query (or there are no tenants).

Services with tenancy=row_rls enable PostgreSQL row-level security at this step. Every
service has the same chain of revisions whatever its options, so a migration added later
names the same parent everywhere.

Revision ID: 0006
Revises: 0005
"""

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the database enforces no policy of its own."""


def downgrade() -> None:
    """Nothing was changed."""
