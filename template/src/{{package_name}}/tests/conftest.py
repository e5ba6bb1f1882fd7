"""Shared fixtures. Tests speak HTTP to the app built by the `app` fixture and nothing else,
so the same tests hold for every web framework the service could be built on."""

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from ..core.settings import Settings, SettingsError, load_settings
from ..migrations import upgrade_to_head
from .adapter import App, build_app, client_for
from .helpers import GENEROUS_RATE_LIMITS, SettingsRefusal

# The fixtures of this service's options: the generated project holds those of its own
# choices only (database, secrets source, tenancy, authentication, rate-limit backend).
FIXTURE_MODULES = sorted(
    path.stem
    for path in (Path(__file__).parent / "fixtures").glob("*.py")
    if path.stem != "__init__"
)
pytest_plugins = [
    f"{__package__}.principals",
    *(f"{__package__}.fixtures.{module}" for module in FIXTURE_MODULES),
]

SettingsFactory = Callable[..., Settings]
SETTING_NAMES = frozenset(name.upper() for name in Settings.model_fields)


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the caller's settings and any .env file out of every test."""
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def database_url(new_database_url: Callable[[], str]) -> str:
    """A migrated database shared by the session's tests."""
    url = new_database_url()
    upgrade_to_head(url)
    return url


@pytest.fixture
def database_in_env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    """DATABASE_URL for the commands a test runs in its own process (`main([...])`)."""
    monkeypatch.setenv("DATABASE_URL", database_url)


@pytest.fixture
def make_settings(
    database_url: str, auth_settings: dict[str, object], rate_limit_settings: dict[str, object]
) -> SettingsFactory:
    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "app_env": "test",
            "database_url": database_url,
            **auth_settings,
            **rate_limit_settings,
            **GENEROUS_RATE_LIMITS,
            **overrides,
        }
        # Validated directly, so nothing comes from the environment.
        return Settings.model_validate(values)

    return make


@pytest.fixture
def settings(request: pytest.FixtureRequest, make_settings: SettingsFactory) -> Settings:
    """Test settings; parametrize indirectly with a dict of overrides to change them."""
    overrides: dict[str, object] = getattr(request, "param", {})
    return make_settings(**overrides)


@pytest.fixture
def app(settings: Settings) -> App:
    return build_app(settings, probes=True)


@pytest.fixture
def client(app: App) -> Iterator[httpx.Client]:
    with client_for(app) as test_client:
        yield test_client


@pytest.fixture
def settings_refusal(monkeypatch: pytest.MonkeyPatch, database_in_env: None) -> SettingsRefusal:
    """Why the service refuses to start with these settings and a working database."""

    def refusal(**values: str) -> SettingsError:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        with pytest.raises(SettingsError) as raised:
            load_settings()
        return raised.value

    return refusal
