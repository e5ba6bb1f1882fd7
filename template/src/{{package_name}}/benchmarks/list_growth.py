"""Latency of the items list as the table grows: 1,000, 10,000 and then 100,000 rows.

Seeds one tenant's member with items (in bulk) and times a page of `GET /items` as the
service reads it: the page and its total, through the tenant context, first and last page.
Run from the project root, with the project installed, against a scratch database (it
keeps the rows it adds): DATABASE_URL=... python -m <package>.benchmarks.list_growth
"""

import os
import statistics
import time
import uuid
from collections.abc import Callable

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ..core.authorization import Principal
from ..core.base import Base
from ..core.database import session_across_tenants
from ..core.items import ItemService
from ..core.models import Item, Role, User
from ..core.pagination import PageRequest
from ..core.repositories import enter_tenant_context
from ..core.tenancy import ALL_TENANTS, TenantContext
from ..migrations import upgrade_to_head

SIZES = (1_000, 10_000, 100_000)
BATCH = 5_000
REPEATS = 50


def seed_member(db: Session) -> Principal:
    """A member (of a new tenant, where there are tenants), inserted directly."""
    tables = Base.metadata.tables
    tenant_id = uuid.uuid4() if "tenants" in tables else None
    if tenant_id is not None:
        db.execute(insert(tables["tenants"]).values(id=tenant_id, name=f"bench-{tenant_id.hex}"))
    user_id = uuid.uuid4()
    user = {"id": user_id, "email": f"bench-{user_id.hex}@example.com", "role": Role.MEMBER}
    if "tenant_id" in tables["users"].c:
        user["tenant_id"] = tenant_id
    db.execute(insert(User).values(user))
    db.commit()
    return Principal(user_id=user_id, role=Role.MEMBER, is_superuser=False, tenant_id=tenant_id)


def grow(db: Session, principal: Principal, rows: int) -> None:
    """Add items for the member until it owns `rows`."""
    owned = db.scalar(select(func.count()).where(Item.owner_id == principal.user_id)) or 0
    tenant = {"tenant_id": principal.tenant_id} if "tenant_id" in Item.__table__.c else {}
    while owned < rows:
        count = min(BATCH, rows - owned)
        db.execute(
            insert(Item),
            [{"owner_id": principal.user_id, "title": f"item {n}", **tenant} for n in range(count)],
        )
        db.commit()
        owned += count


def median_ms(call: Callable[[], object]) -> float:
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def report(items: ItemService, rows: int) -> None:
    first = median_ms(lambda: items.list_items(PageRequest()))
    last = median_ms(lambda: items.list_items(PageRequest(offset=rows - 20)))
    print(f"{rows:>7} rows: first page {first:.2f} ms, last page {last:.2f} ms")


def main() -> None:
    database_url = os.environ["DATABASE_URL"]
    upgrade_to_head(database_url)
    with session_across_tenants(database_url) as db:
        principal = seed_member(db)
        for rows in SIZES:
            enter_tenant_context(db, ALL_TENANTS)
            grow(db, principal, rows)
            enter_tenant_context(db, TenantContext.of(principal))
            report(ItemService(db, principal), rows)


if __name__ == "__main__":
    main()
