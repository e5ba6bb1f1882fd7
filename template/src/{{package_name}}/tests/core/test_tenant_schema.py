"""The database itself keeps users in tenants: only superusers belong to none."""

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ...core.models import Role, User
from ..principals import unique_email


def test_only_superusers_belong_to_no_tenant(db_sessions: sessionmaker[Session]) -> None:
    """The database itself refuses a user outside every tenant, whatever the code does."""
    with db_sessions() as db:
        db.add(User(email=unique_email("superuser"), role=Role.ADMIN, is_superuser=True))
        db.commit()
        db.add(User(email=unique_email("orphan"), role=Role.MEMBER))
        with pytest.raises(IntegrityError, match="ck_users_tenant_member"):
            db.commit()
