"""Liveness and readiness over HTTP."""

import httpx
import pytest

from ...core.settings import Settings
from ..conftest import SettingsFactory
from ..helpers import assert_problem


def test_health_is_ok(client: httpx.Client) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_is_ok_when_the_database_answers(client: httpx.Client) -> None:
    response = client.get("/health/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


class TestUnreachableDatabase:
    @pytest.fixture
    def settings(self, make_settings: SettingsFactory, unreachable_database_url: str) -> Settings:
        return make_settings(database_url=unreachable_database_url)

    def test_ready_is_503_problem(self, client: httpx.Client) -> None:
        body = assert_problem(client.get("/health/ready"), 503)

        assert body["detail"] == "The database is not reachable."

    def test_health_stays_ok(self, client: httpx.Client) -> None:
        assert client.get("/health").status_code == 200
