"""Keep a single factor: the credentials of the auth mode are all this service stores.

Services with a second factor create its tables at this step. Every
service has the same chain of revisions whatever its options, so a migration added later
names the same parent everywhere.

Revision ID: 0009
Revises: 0008
"""

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the credentials of the auth mode are complete."""


def downgrade() -> None:
    """Nothing was changed."""
