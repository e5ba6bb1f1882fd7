"""The vault source against a real OpenBao server: AppRole or token login, KV v2, fail closed."""

import pytest

from ...core.settings import load_settings
from ..fixtures.secrets_vault import MOUNT, OpenBao
from ..helpers import load_problems

CANARY = "canary-S3cr3t-7b41"


def test_denied_read_is_named(monkeypatch: pytest.MonkeyPatch, openbao: OpenBao) -> None:
    openbao.admin().secrets.kv.v2.create_or_update_secret(
        path="other-service/settings", secret={"DATABASE_URL": CANARY}, mount_point=MOUNT
    )
    monkeypatch.setenv("VAULT_PATH", "other-service/settings")

    assert load_problems() == ["VAULT_PATH: may not be read with these credentials"]


def test_missing_secret_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAULT_PATH", "services/does-not-exist")

    assert load_problems() == ["VAULT_PATH: names no secret in VAULT_MOUNT"]


@pytest.mark.parametrize(
    ("unset", "named"),
    [
        ("VAULT_ADDR", "VAULT_ADDR"),
        ("VAULT_PATH", "VAULT_PATH"),
        ("VAULT_SECRET_ID", "VAULT_SECRET_ID"),
        ("VAULT_ROLE_ID", "VAULT_TOKEN"),  # neither AppRole nor a token
    ],
)
def test_missing_bootstrap_variable_is_named(
    monkeypatch: pytest.MonkeyPatch, unset: str, named: str
) -> None:
    monkeypatch.delenv(unset)

    assert load_problems() == [f"{named}: is required"]


def test_refused_token_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VAULT_ROLE_ID")
    monkeypatch.setenv("VAULT_TOKEN", CANARY)

    assert load_problems() == ["VAULT_TOKEN: was refused by Vault"]


class TestRootToken:
    @pytest.fixture(autouse=True)
    def root_token(
        self, monkeypatch: pytest.MonkeyPatch, openbao: OpenBao, database_in_env: None
    ) -> None:
        monkeypatch.delenv("VAULT_ROLE_ID")
        monkeypatch.setenv("VAULT_TOKEN", openbao.root_token)

    @pytest.mark.parametrize("app_env", [None, "production"])
    def test_refused_in_production(
        self, monkeypatch: pytest.MonkeyPatch, app_env: str | None
    ) -> None:
        if app_env is not None:
            monkeypatch.setenv("APP_ENV", app_env)

        assert load_problems() == [
            "VAULT_TOKEN: is a root token, refused in production: use AppRole"
        ]

    def test_accepted_in_development(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("APP_ENV", "development")

        assert load_settings().is_development
