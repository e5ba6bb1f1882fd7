"""The memory backend counts per process: production with several workers is warned about."""

import json

import pytest

from ..adapter import build_app
from ..conftest import SettingsFactory


def warnings(output: str) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    return [line for line in lines if line["event"] == "rate_limit_not_shared"]


@pytest.mark.parametrize(
    ("app_env", "workers", "warned"),
    [
        ("production", 2, True),
        ("production", 1, False),
        ("test", 4, False),
    ],
)
def test_memory_limits_warn_in_production_with_several_workers(
    make_settings: SettingsFactory,
    capsys: pytest.CaptureFixture[str],
    app_env: str,
    workers: int,
    warned: bool,
) -> None:
    build_app(make_settings(app_env=app_env, web_concurrency=workers))

    assert bool(warnings(capsys.readouterr().out)) is warned
