"""The README's first hour: from an empty database to a created item, with the commands
the README gives for this service's options, against a served app."""

from collections.abc import Callable

import httpx

from ..helpers import FirstMember, FirstTenant
from ..served import cli_environment, run_cli, serving, wait_until_serving


def test_the_readme_commands_reach_a_created_item(
    new_database_url: Callable[[], str],
    auth_process_environment: dict[str, str],
    first_tenant: FirstTenant,
    first_member: FirstMember,
) -> None:
    env = cli_environment(DATABASE_URL=new_database_url(), **auth_process_environment)
    migrated = run_cli("migrate", env=env)
    assert migrated.returncode == 0, migrated.stderr
    tenant = first_tenant(env)

    with serving(env) as (base_url, _):
        assert wait_until_serving(base_url).status_code == 200
        headers = first_member(env, tenant, base_url)
        created = httpx.post(
            f"{base_url}/api/v1/items", json={"title": "My first item"}, headers=headers
        )

    assert created.status_code == 201, created.text
    assert created.json()["title"] == "My first item"
