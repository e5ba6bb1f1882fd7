"""Tenants: created and listed by superusers, who alone act across them."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .errors import ConflictError
from .pagination import Page, PageRequest
from .tenancy_modes.rows_columns import Tenant
from .validation import ONE_LINE, RequestModel, single_line

TenantName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(single_line),
    ONE_LINE,
]


class TenantCreate(RequestModel):
    name: TenantName


class TenantOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    created_at: datetime


class TenantService:
    """The route policy (superuser) has admitted the caller before a service is made."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def create(self, new_tenant: TenantCreate) -> Tenant:
        tenant = Tenant(name=new_tenant.name)
        self.db.add(tenant)
        try:
            self.db.commit()
        except IntegrityError:
            self.db.rollback()
            raise ConflictError("A tenant with this name already exists.") from None
        return tenant

    def list_tenants(self, page: PageRequest) -> Page[Tenant]:
        total = self.db.scalar(select(func.count()).select_from(Tenant)) or 0
        tenants = self.db.scalars(
            select(Tenant)
            .order_by(Tenant.created_at, Tenant.id)
            .limit(page.limit)
            .offset(page.offset)
        ).all()
        return Page(items=tenants, total=total, limit=page.limit, offset=page.offset)
