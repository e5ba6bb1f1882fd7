"""Tenant columns: none, since this service has no tenants.

The mixins exist so that the tables are declared once for every tenancy choice; here they
add nothing, and every user belongs to the service itself.
"""

from typing import ClassVar

# Lists of the service's data are filtered on nothing before they are ordered.
LIST_SCOPE: tuple[str, ...] = ()


class TenantOwned:
    """A table of the service's data; without tenants it carries no tenant column."""


class TenantMember:
    """A user of the service; without tenants, no user has a tenant."""

    tenant_id: ClassVar[None] = None
