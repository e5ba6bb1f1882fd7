"""Checks on the project's files themselves: no raw SQL, no committed secrets."""

import ast
from pathlib import Path

import pytest

from ..conftest import SETTING_NAMES
from ..helpers import service_sources

PROJECT_DIR = Path(__file__).resolve().parents[4]
RAW_SQL_ENTRY_POINTS = {"text", "exec_driver_sql", "literal_column"}


def raw_sql_uses(source: Path) -> list[str]:
    """Names through which a module could send hand-built SQL to the database."""
    tree = ast.parse(source.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            found += [alias.name for alias in node.names if alias.name in RAW_SQL_ENTRY_POINTS]
        elif isinstance(node, ast.Attribute) and node.attr in RAW_SQL_ENTRY_POINTS:
            found.append(node.attr)
    return found


@pytest.mark.parametrize(
    "source",
    service_sources(),
    ids=lambda path: str(path.relative_to(PROJECT_DIR)),
)
def test_no_hand_built_sql(source: Path) -> None:
    assert raw_sql_uses(source) == []


def test_dotenv_is_git_ignored() -> None:
    ignored = (PROJECT_DIR / ".gitignore").read_text(encoding="utf-8").splitlines()

    assert ".env" in ignored


def test_env_example_holds_settings_with_placeholders_only() -> None:
    lines = (PROJECT_DIR / ".env.example").read_text(encoding="utf-8").splitlines()
    entries = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))

    assert set(entries) <= SETTING_NAMES
    assert entries["APP_ENV"] == "development"
    # The only credential a setting holds so far is the database password.
    assert all("@" not in value or ":change-me@" in value for value in entries.values())
