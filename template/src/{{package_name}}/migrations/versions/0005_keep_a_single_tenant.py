"""Keep one organisation per deployment: a service without tenants adds no tenant columns.

Services with tenants create their tenants table at this step. Every service has the
same chain of revisions whatever its options, so a migration added later names the same
parent everywhere.

Revision ID: 0005
Revises: 0004
"""

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the schema of a single organisation is complete."""


def downgrade() -> None:
    """Nothing was changed."""
