"""Who is calling and what they may do: principals, roles and the policies routes declare.

Every route of every adapter declares one `Policy`; the adapter authenticates the caller,
then asks the policy. Object-level rules (owner or admin) live in the services.
"""

import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import RowMapping

from .errors import PermissionDeniedError, Problem
from .models import Role, User


@dataclass(frozen=True)
class Principal:
    """The authenticated caller, as every service sees it.

    `tenant_id` is the tenant of the credential's user (None for superusers, who are
    global, and in a service without tenants): the only source of the tenant context.
    """

    user_id: uuid.UUID
    role: Role
    is_superuser: bool
    tenant_id: uuid.UUID | None = None
    # The login session (refresh family) the credential belongs to, where there is one.
    session_id: uuid.UUID | None = None
    # What the caller must still set up (the 403 every other route answers): until then,
    # only `Policy.ACCOUNT` routes admit them.
    pending_setup: Problem | None = None

    @classmethod
    def of(cls, user: User, session_id: uuid.UUID | None = None) -> "Principal":
        return cls(
            user_id=user.id,
            role=user.role,
            is_superuser=user.is_superuser,
            tenant_id=None if user.is_superuser else user.tenant_id,
            session_id=session_id,
        )

    @classmethod
    def of_columns(cls, user: RowMapping, session_id: uuid.UUID | None = None) -> "Principal":
        """The principal of a user read as PRINCIPAL_COLUMNS (models.py), without the
        whole row: what authentication reads on every request."""
        return cls(
            user_id=user["id"],
            role=user["role"],
            is_superuser=user["is_superuser"],
            tenant_id=None if user["is_superuser"] else user.get("tenant_id"),
            session_id=session_id,
        )

    @property
    def is_admin(self) -> bool:
        """Admin operations are open to admins and to superusers."""
        return self.is_superuser or self.role is Role.ADMIN


class Policy(StrEnum):
    """What a route requires of its caller."""

    PUBLIC = "public"
    """Anyone, without a credential (health, login, refresh)."""
    AUTHENTICATED = "authenticated"
    """Any active principal."""
    ACCOUNT = "account"
    """Any active principal, on what they need to see and secure their own account
    (users/me, logout, and what sets the account up), even before its setup is done."""
    MEMBER = "member"
    """A member or admin of the service; superusers are global and own no items."""
    ADMIN = "admin"
    """An admin or a superuser."""
    SUPERUSER = "superuser"
    """A superuser only: operations on the service as a whole, such as its tenants."""

    def allows(self, principal: Principal) -> bool:
        if self is Policy.MEMBER:
            return not principal.is_superuser
        if self is Policy.ADMIN:
            return principal.is_admin
        if self is Policy.SUPERUSER:
            return principal.is_superuser
        return True

    @property
    def refusal(self) -> str:
        """Why the policy refuses a caller: the rule, which the API's documentation states
        too, and nothing about the caller or the object."""
        if self is Policy.MEMBER:
            return "Superusers own no items: do this as an admin or a member."
        if self is Policy.ADMIN:
            return "This needs the admin role."
        return "This needs a superuser."

    def check(self, principal: Principal) -> None:
        if not self.allows(principal):
            raise PermissionDeniedError(self.refusal)
