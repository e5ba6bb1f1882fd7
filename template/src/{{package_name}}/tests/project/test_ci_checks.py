"""The CI system the service was generated for runs every check, on the locked dependencies
(fixtures/ci_<system>.py reads its commands)."""

import pytest

from ..helpers import CI_CHECKS


@pytest.mark.parametrize("check", CI_CHECKS)
def test_ci_runs_the_check(ci_commands: list[str], check: str) -> None:
    assert any(check in command for command in ci_commands)


def test_ci_installs_the_locked_dependencies(ci_commands: list[str]) -> None:
    installs = [command for command in ci_commands if "uv sync" in command]

    assert installs
    assert all("--locked" in install for install in installs)
