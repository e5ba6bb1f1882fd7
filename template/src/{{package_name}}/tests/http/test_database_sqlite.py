"""SQLite under concurrent writers: a write waits for the lock instead of being refused."""

import sqlite3
import threading
from urllib.parse import urlsplit

import httpx

from ..principals import Kind, PrincipalFactory

# Long enough that a write refused at once would be seen; that the service waits longer
# than the driver's default (5 s) is read off its connections (tests/core).
HELD_SECONDS = 1.0


def test_a_write_waits_for_a_long_held_write_lock(
    api: httpx.Client, make_principal: PrincipalFactory, database_url: str
) -> None:
    member = make_principal(Kind.MEMBER)
    assert api.get("/api/v1/items", headers=member.headers).status_code == 200
    holder = sqlite3.connect(
        urlsplit(database_url).path, isolation_level=None, check_same_thread=False
    )
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Timer(HELD_SECONDS, holder.rollback)
    released.start()
    try:
        response = api.post("/api/v1/items", json={"title": "patient"}, headers=member.headers)
    finally:
        released.join()
        holder.close()

    assert response.status_code == 201, response.text
