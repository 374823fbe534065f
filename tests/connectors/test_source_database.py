"""The source-database harness the connector tests stand on: a real MariaDB server started by
the suite, and a read-only user like the one a company gives the connector."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from tests.support.mariadb import MariaDBServer


def test_the_read_only_user_reads_and_cannot_write(mariadb_server: MariaDBServer) -> None:
    with mariadb_server.connect() as owner, owner.cursor() as cursor:
        cursor.execute("CREATE DATABASE hc_harness CHARACTER SET utf8mb4")
        cursor.execute(
            "CREATE TABLE hc_harness.r_repair_pool (repair_id VARCHAR(30), state VARCHAR(4))"
        )
        cursor.execute("INSERT INTO hc_harness.r_repair_pool VALUES ('822026120100001', '1000')")
    reader = f"hc_reader_{mariadb_server.port}"
    with mariadb_server.connect() as owner, owner.cursor() as cursor:
        cursor.execute(f"CREATE USER '{reader}'@'127.0.0.1' IDENTIFIED BY 'read-only'")
        cursor.execute(f"GRANT SELECT ON hc_harness.* TO '{reader}'@'127.0.0.1'")
    url = f"mysql+pymysql://{reader}:read-only@127.0.0.1:{mariadb_server.port}/hc_harness"
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT repair_id, state FROM r_repair_pool")).all()
            assert rows == [("822026120100001", "1000")]
            with pytest.raises(OperationalError, match="command denied"):
                connection.execute(text("DELETE FROM r_repair_pool"))
    finally:
        engine.dispose()
