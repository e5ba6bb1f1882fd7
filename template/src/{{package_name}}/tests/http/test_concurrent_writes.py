"""Concurrent writers are served in turn, never refused, whatever the database."""

from concurrent.futures import ThreadPoolExecutor

import httpx

from ..principals import Kind, PrincipalFactory

WRITERS = 20
ROUNDS = 5


def test_twenty_concurrent_writers_are_all_served(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    member = make_principal(Kind.MEMBER)

    def write(writer: int) -> list[int]:
        statuses = []
        for _ in range(ROUNDS):
            created = api.post(
                "/api/v1/items", json={"title": f"writer {writer}"}, headers=member.headers
            )
            statuses.append(created.status_code)
            # A read and then a write in one transaction: what SQLite refused at once when
            # another writer had moved on since the read.
            changed = api.patch(
                f"/api/v1/items/{created.json().get('id')}",
                json={"title": "changed"},
                headers=member.headers,
            )
            statuses.append(changed.status_code)
        return statuses

    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = [status for writes in pool.map(write, range(WRITERS)) for status in writes]

    assert statuses == [201, 200] * WRITERS * ROUNDS
