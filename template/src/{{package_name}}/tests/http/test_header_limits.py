"""Request headers are capped: 431 beyond 16 KiB of names and values in all, or beyond 100
fields (core/http/limits.py), whatever the framework."""

import httpx

from ...core.http.limits import MAX_HEADER_BYTES, MAX_HEADER_FIELDS
from ..helpers import assert_problem


def sent(client: httpx.Client, headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    """Every header field the client sends with `headers`, its own included."""
    return client.build_request("GET", "/health", headers=headers).headers.raw


def padded_to(client: httpx.Client, total: int) -> dict[str, str]:
    """One header that brings the request's names and values to `total` bytes."""
    used = sum(len(name) + len(value) for name, value in sent(client, {"x-padding": ""}))
    return {"x-padding": "a" * (total - used)}


def fields_to(client: httpx.Client, count: int) -> dict[str, str]:
    """Distinct headers that bring the request to `count` fields."""
    return {f"x-field-{index}": "1" for index in range(count - len(sent(client, {})))}


def test_headers_of_16_kib_in_all_are_accepted(client: httpx.Client) -> None:
    assert client.get("/health", headers=padded_to(client, MAX_HEADER_BYTES)).status_code == 200


def test_headers_over_16_kib_in_all_are_431_problem(client: httpx.Client) -> None:
    response = client.get("/health", headers=padded_to(client, MAX_HEADER_BYTES + 1))

    assert_problem(response, 431)


def test_100_header_fields_are_accepted(client: httpx.Client) -> None:
    headers = fields_to(client, MAX_HEADER_FIELDS)

    assert len(sent(client, headers)) == MAX_HEADER_FIELDS
    assert client.get("/health", headers=headers).status_code == 200


def test_101_header_fields_are_431_problem(client: httpx.Client) -> None:
    assert_problem(client.get("/health", headers=fields_to(client, MAX_HEADER_FIELDS + 1)), 431)
