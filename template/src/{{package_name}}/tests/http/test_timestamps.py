"""Every timestamp a response carries is RFC 3339 with its UTC offset, on every database."""

import re
from datetime import UTC, datetime, timedelta

import httpx

from ..principals import Kind, PrincipalFactory

# RFC 3339 date-time: the offset is required (Z or +00:00 here, since the service keeps UTC).
RFC3339_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)")


def timestamps(document: object) -> list[str]:
    """The values of every `*_at` field, at any depth."""
    if isinstance(document, list):
        return [stamp for entry in document for stamp in timestamps(entry)]
    if not isinstance(document, dict):
        return []
    found = [value for name, value in document.items() if name.endswith("_at") and value]
    return found + [stamp for value in document.values() for stamp in timestamps(value)]


def test_timestamps_carry_their_utc_offset(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    member = make_principal(Kind.MEMBER)
    created = api.post("/api/v1/items", json={"title": "stamped"}, headers=member.headers)
    path = f"/api/v1/items/{created.json()['id']}"
    answers = [
        created,
        api.patch(path, json={"title": "stamped again"}, headers=member.headers),
        api.get(path, headers=member.headers),
        api.get("/api/v1/items", headers=member.headers),
        api.get("/api/v1/users/me", headers=member.headers),
    ]

    stamps = [stamp for answer in answers for stamp in timestamps(answer.json())]

    assert len(stamps) >= 8
    for stamp in stamps:
        assert RFC3339_UTC.fullmatch(stamp), stamp
        assert abs(datetime.fromisoformat(stamp) - datetime.now(UTC)) < timedelta(hours=1)
