"""A database error names the statement, never the values a client submitted."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ...core.database import create_database_engine
from ..conftest import SettingsFactory

CANARY = "canary-submitted-value-5e1d"


def test_database_errors_hide_the_parameters(make_settings: SettingsFactory) -> None:
    engine = create_database_engine(make_settings())
    try:
        with engine.connect() as connection, pytest.raises(DBAPIError) as raised:
            connection.execute(
                text("SELECT * FROM no_such_table WHERE name = :name"), {"name": CANARY}
            )
    finally:
        engine.dispose()

    assert "no_such_table" in str(raised.value)
    assert CANARY not in str(raised.value)
