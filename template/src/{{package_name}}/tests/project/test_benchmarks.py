"""The benchmarks serve the service from a shell that names its servers (the database,
Redis) and holds none of the tests' settings: what they add to its environment, the
mode's member credentials, is all that it needs."""

from ..conftest import SETTING_NAMES
from ..options import member_credentials
from ..served import cli_environment, run_cli


def test_the_benchmarks_environment_is_a_valid_configuration(
    database_url: str, rate_limit_settings: dict[str, object]
) -> None:
    shell = {name: value for name, value in cli_environment().items() if name not in SETTING_NAMES}
    servers = {name.upper(): str(value) for name, value in rate_limit_settings.items()}
    with member_credentials() as (environment, _):
        completed = run_cli(
            "check-config",
            env={**shell, **environment, **servers, "DATABASE_URL": database_url},
        )

    assert completed.returncode == 0, completed.stderr
