"""The tenant context: which tenant a unit of work acts for, taken from the credential alone.

A context is made from the authenticated principal (`TenantContext.of`), never from a
header, query or body. Superusers are global: they act across tenants, and so do
authentication and the command line, saying so with `ALL_TENANTS` rather than with the
absence of a context. Repositories (repositories.py) hold every statement to the context.
"""

import argparse
import sys
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from sqlalchemy import ColumnElement, true
from sqlalchemy.orm import Session

from ..authorization import Principal
from ..errors import InvalidRequestError, PermissionDeniedError
from ..validation import FromString, RequestModel

if TYPE_CHECKING:
    from ..settings import Settings
from .rows_columns import Tenant, TenantMember, TenantOwned

TenantScoped = TenantOwned | TenantMember


@dataclass(frozen=True)
class TenantContext:
    tenant_id: uuid.UUID | None
    """The one tenant whose rows are visible; None when `all_tenants`."""
    all_tenants: bool = False

    @classmethod
    def of(cls, principal: Principal) -> "TenantContext":
        if principal.is_superuser:
            return ALL_TENANTS
        if principal.tenant_id is None:
            raise PermissionDeniedError("The caller belongs to no tenant.")
        return cls(tenant_id=principal.tenant_id)

    def where(self, model: type[TenantScoped]) -> ColumnElement[bool]:
        """The condition every statement on `model` carries."""
        if self.all_tenants:
            return true()
        return model.tenant_id == self.tenant_id

    def place_new(self, db: Session, row: TenantScoped, requested: uuid.UUID | None) -> None:
        """Give a new row its tenant: the caller's own; a superuser must name an existing one."""
        if not self.all_tenants:
            if requested is not None:
                raise PermissionDeniedError("Only a superuser can choose the tenant.")
            row.tenant_id = self.tenant_id
            return
        if requested is None:
            raise InvalidRequestError(("body", "tenant_id"), "Field required for a superuser.")
        if db.get(Tenant, requested) is None:
            raise InvalidRequestError(("body", "tenant_id"), "No such tenant.")
        row.tenant_id = requested

    @staticmethod
    def place_beside(row: TenantScoped, parent: TenantOwned) -> None:
        """Give a new row the tenant of the row it belongs to."""
        row.tenant_id = parent.tenant_id


ALL_TENANTS = TenantContext(tenant_id=None, all_tenants=True)


class TenantChoice(RequestModel):
    """A body that may name a tenant: only superusers may, everyone else gets 403."""

    tenant_id: Annotated[uuid.UUID, FromString] | None = None

    @property
    def requested_tenant(self) -> uuid.UUID | None:
        return self.tenant_id


@dataclass(frozen=True)
class ClaimedTenant:
    """The tenant an identity provider's token names for its user (OIDC_TENANT_CLAIM)."""

    tenant_id: uuid.UUID | None
    is_superuser: bool

    @classmethod
    def read(cls, db: Session, value: object, *, is_superuser: bool) -> "ClaimedTenant | None":
        """The claim, if it names an existing tenant; None (refused) if a non-superuser's
        token names none. Superusers are global and need no tenant."""
        try:
            tenant_id = uuid.UUID(value) if isinstance(value, str) else None
        except ValueError:
            tenant_id = None
        if tenant_id is not None and db.get(Tenant, tenant_id) is None:
            tenant_id = None
        if tenant_id is None and not is_superuser:
            return None
        return cls(tenant_id=tenant_id, is_superuser=is_superuser)

    def admits(self, user: TenantMember) -> bool:
        """A user's tenant is the one first claimed for them, and stays it."""
        return self.is_superuser or user.tenant_id in (None, self.tenant_id)

    def assign(self, user: TenantMember) -> None:
        if user.tenant_id is None:
            user.tenant_id = self.tenant_id


class TenantOption:
    """`--tenant` of the commands that create accounts: required with a role, refused for
    superusers, who are global."""

    @staticmethod
    def add(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--tenant", type=uuid.UUID, help="the id of the tenant (required with --role)"
        )

    @staticmethod
    def read(args: argparse.Namespace, *, superuser: bool) -> uuid.UUID | None:
        """The tenant named; a usage error for a wrong combination."""
        from ..errors import UsageError

        tenant: uuid.UUID | None = args.tenant
        if superuser == (tenant is not None):
            raise UsageError("--tenant goes with --role, and superusers have no tenant")
        return tenant


def add_tenant_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """`create-tenant`: the first step of a service with tenants, before its users."""
    parser = commands.add_parser("create-tenant", help="create a tenant; print its id")
    parser.add_argument("--name", required=True, help="the tenant's name (1 to 100 characters)")
    parser.set_defaults(run=_create_tenant, log_stream=sys.stderr)


def _create_tenant(settings: "Settings", args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from ..database import standalone_session
    from ..errors import ConflictError, UsageError
    from ..tenants import TenantCreate, TenantService

    try:
        new_tenant = TenantCreate(name=args.name)
    except ValidationError:
        raise UsageError("--name must be 1 to 100 characters on one line") from None
    with standalone_session(settings) as db:
        try:
            tenant = TenantService(db).create(new_tenant)
        except ConflictError as error:
            raise UsageError(error.detail) from None
        print(tenant.id)
    return 0
