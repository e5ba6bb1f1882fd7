"""Users of the service: who they are, their role, and who may manage them."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .authorization import Principal
from .errors import ConflictError, NotFoundError, PermissionDeniedError
from .models import Attachment, Item, Role, User
from .pagination import Page, PageRequest
from .repositories import Repository
from .tenancy import TenantChoice
from .validation import Email, FromString, RequestModel


def normalize_email(email: str) -> str:
    """One spelling per address, so lookups and uniqueness ignore case and spaces."""
    return email.strip().lower()


class UserOut(BaseModel):
    """A user as the API shows it: explicit fields, never a credential."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    role: Role
    is_superuser: bool
    is_active: bool
    created_at: datetime


class UserCreate(TenantChoice):
    email: Email
    role: Annotated[Role, FromString] = Role.MEMBER


class UserUpdate(RequestModel):
    role: Annotated[Role, FromString] | None = None
    is_active: bool | None = None


class UserService:
    """User operations on behalf of a principal; route policies have already admitted it.

    Users are reached through the session's tenant context: a tenant's admins manage the
    users of their tenant, superusers those of every tenant.
    """

    def __init__(self, db: Session, principal: Principal) -> None:
        self.db = db
        self.principal = principal
        self.users = Repository(db, User)

    def me(self) -> User:
        return self._get(self.principal.user_id)

    def list_users(self, page: PageRequest) -> Page[User]:
        return self.users.page(page)

    def create(self, new_user: UserCreate) -> User:
        """A new user; emails are unique across the service, since login names no tenant."""
        user = self.users.add(
            User(email=normalize_email(new_user.email), role=new_user.role),
            new_user.requested_tenant,
        )
        try:
            self.db.flush()
        except IntegrityError:
            self.db.rollback()
            raise ConflictError("A user with this email already exists.") from None
        self.db.commit()
        return user

    def update(self, user_id: uuid.UUID, changes: UserUpdate) -> User:
        user = self._manageable(user_id)
        if changes.is_active is False:
            self._keep_another_superuser(user)
        for field, value in changes.model_dump(exclude_unset=True, exclude_none=True).items():
            setattr(user, field, value)
        self.db.commit()
        return user

    def delete(self, user_id: uuid.UUID) -> list[str]:
        """Delete the user with their items; return the stored names of those items'
        attachments, for the caller to remove the files once the rows are gone."""
        user = self._manageable(user_id)
        self._keep_another_superuser(user)
        attachments = Repository(self.db, Attachment)
        stored_names = self.db.scalars(
            select(Attachment.stored_name)
            .join(Item, Item.id == Attachment.item_id)
            .where(attachments.visible(), Item.owner_id == user.id)
        ).all()
        self.db.delete(user)
        self.db.commit()
        return list(stored_names)

    def _get(self, user_id: uuid.UUID) -> User:
        user = self.users.get(user_id)
        if user is None:
            raise NotFoundError("The user does not exist.")
        return user

    def _keep_another_superuser(self, leaving: User) -> None:
        """Refuse to delete or disable the last active superuser: the last way in. The
        active superusers' rows are locked, so two of them cannot remove each other at once."""
        if not (leaving.is_superuser and leaving.is_active):
            return
        others = self.db.scalars(
            select(User.id)
            .where(User.is_superuser, User.is_active, User.id != leaving.id)
            .with_for_update()
        ).all()
        if not others:
            raise ConflictError("The last active superuser cannot be deleted or disabled.")

    def _manageable(self, user_id: uuid.UUID) -> User:
        """Only superusers manage superusers, so an admin cannot lock one out."""
        user = self._get(user_id)
        if user.is_superuser and not self.principal.is_superuser:
            raise PermissionDeniedError("Only a superuser can manage a superuser.")
        return user


def add_account(db: Session, user: User, tenant_id: uuid.UUID | None) -> User:
    """Add a user made by the command line, which acts across tenants: superusers belong to
    no tenant; anyone else to `tenant_id`, which must exist where there are tenants."""
    if user.is_superuser:
        db.add(user)
    else:
        Repository(db, User).add(user, tenant_id)
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
        raise ConflictError("A user with this email already exists.") from None
    return user
