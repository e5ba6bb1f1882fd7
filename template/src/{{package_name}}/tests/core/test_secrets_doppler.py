"""The doppler source against a stand-in of Doppler's API: token, download, fail closed."""

import pytest

from ..fixtures.secrets_doppler import DopplerStandIn
from ..helpers import load_problems

CANARY = "canary-S3cr3t-2c9d"


def test_denied_read_is_named(monkeypatch: pytest.MonkeyPatch, doppler: DopplerStandIn) -> None:
    token = doppler.new_token({"DATABASE_URL": CANARY})
    doppler.tokens_without_access.add(token)
    monkeypatch.setenv("DOPPLER_TOKEN", token)

    assert load_problems() == ["DOPPLER_TOKEN: was refused by Doppler (HTTP 403)"]


def test_wrong_api_is_named(monkeypatch: pytest.MonkeyPatch, doppler: DopplerStandIn) -> None:
    monkeypatch.setenv("DOPPLER_API_URL", f"{doppler.url}/not-doppler")

    assert load_problems() == ["DOPPLER_API_URL: Doppler answered HTTP 404"]


def test_missing_bootstrap_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOPPLER_TOKEN")

    assert load_problems() == ["DOPPLER_TOKEN: is required"]
