"""The tenant context of a service without tenants: every principal works on all its data.

It has the interface of the tenant contexts of the other tenancy choices, so services and
repositories are written once; here it filters nothing and assigns nothing.
"""

import argparse
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, true
from sqlalchemy.orm import Session

from ..authorization import Principal
from ..validation import RequestModel
from .single_columns import TenantMember, TenantOwned

TenantScoped = TenantOwned | TenantMember


@dataclass(frozen=True)
class TenantContext:
    tenant_id: None = None
    all_tenants: bool = True

    @classmethod
    def of(cls, _principal: Principal) -> "TenantContext":
        return ALL_TENANTS

    def where(self, _model: type[TenantScoped]) -> ColumnElement[bool]:
        return true()

    def place_new(self, _db: Session, _row: TenantScoped, _requested: uuid.UUID | None) -> None:
        """Rows belong to the service itself."""

    @staticmethod
    def place_beside(_row: TenantScoped, _parent: TenantOwned) -> None:
        """Rows belong to the service itself."""


ALL_TENANTS = TenantContext()


class TenantChoice(RequestModel):
    """No tenants: a body naming one is refused like any unknown field (422)."""

    @property
    def requested_tenant(self) -> None:
        return None


@dataclass(frozen=True)
class ClaimedTenant:
    """Without tenants, whatever a token claims places its user in the service itself."""

    @classmethod
    def read(cls, _db: Session, _value: object, *, is_superuser: bool) -> "ClaimedTenant | None":
        return cls()

    def admits(self, _user: TenantMember) -> bool:
        return True

    def assign(self, _user: TenantMember) -> None:
        """Users belong to the service itself."""


class TenantOption:
    """Without tenants, commands that create accounts name none."""

    @staticmethod
    def add(_parser: argparse.ArgumentParser) -> None:
        """No option to add."""

    @staticmethod
    def read(_args: argparse.Namespace, *, superuser: bool) -> None:
        return None


def add_tenant_commands(_: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Without tenants, no command creates one."""
