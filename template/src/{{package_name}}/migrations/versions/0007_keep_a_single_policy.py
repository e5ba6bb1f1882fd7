"""Keep the database's policies as they are: this service has no row-level security.

Services with tenancy=row_rls move their cross-tenant access from a setting to a role of
its own at this step. Every service has the same chain of revisions whatever its options,
so a migration added later names the same parent everywhere.

Revision ID: 0007
Revises: 0006
"""

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: no policy admits rows by a setting."""


def downgrade() -> None:
    """Nothing was changed."""
