"""Shared fixtures: both database engines, a seeded demo database, the project root.

Run pytest from the repository root (AppTest reads .streamlit/config.toml from the cwd).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts import auth
from data_access.db import make_engine, make_session_factory, migrate
from tests.support.mariadb import MariaDBServer
from tests.support.postgres import PostgresServer
from tests.support.shared import shared_once

ROOT = Path(__file__).resolve().parent.parent
DEMO_AS_OF = dt.date(2026, 11, 20)

# Tests run the app in demo mode (the demo cookie key is allowed only there).
os.environ["OWNER_DASHBOARD_MODE"] = "demo"
os.environ.pop("OWNER_DASHBOARD_COOKIE_KEY", None)
os.environ.pop("DATABASE_URL", None)
# Charts drawn from cached specs are validated against the Vega-Lite schema (ui.charts.cache).
os.environ["OWNER_DASHBOARD_VALIDATE_CHARTS"] = "1"

# Password hashes written in the test processes (seeds, factories, commands) use bcrypt's lowest
# cost: the cost is stored in each hash, no rule under test depends on it, and at the server's
# cost of 12 every test login took a quarter of a second. The servers the tests start keep 12;
# tests/test_manage.py checks that a user created on the command line gets it.
auth.BCRYPT_ROUNDS = 4

_database_names = (f"test_{n}" for n in itertools.count())
_LONG_FIRST = ("tests/browser/", "tests/bench/")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser and benchmark-harness tests first. They are few but long: started first, the
    two workers (``make test`` keeps this order with ``--no-loadscope-reorder``) share them
    while the many short tests fill the gaps, instead of one worker finishing them alone at
    the end."""
    items.sort(key=lambda item: not item.nodeid.startswith(_LONG_FIRST))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def mariadb_server() -> Iterator[MariaDBServer]:
    """The operational system's kind of database (HC runs on MySQL), started by the tests."""
    server = MariaDBServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database at the newest schema, made once per worker: a test's database
    is a copy of it (milliseconds) rather than a run of every migration (most of a second)."""
    path = tmp_path_factory.mktemp("migrated") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def migrated_postgres_template(postgres_server: PostgresServer) -> str:
    """The PostgreSQL twin of ``migrated_sqlite_template``: a database the tests' databases are
    created from (``CREATE DATABASE … TEMPLATE``); nobody stays connected to it."""
    name = "migrated_template"
    engine = make_engine(postgres_server.create_database(name))
    migrate(engine)
    engine.dispose()
    return name


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database of each engine: empty and not yet migrated, unless the test uses ``engine``
    (directly or through ``session``…): then a copy of a migrated template. The migrations
    themselves are tested from empty databases (tests/data_access/test_db.py)."""
    migrated = "engine" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        if migrated:
            shutil.copy(request.getfixturevalue("migrated_sqlite_template"), path)
        return f"sqlite:///{path}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    template = request.getfixturevalue("migrated_postgres_template") if migrated else None
    return server.create_database(next(_database_names), template=template)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated, empty database of each engine (a copy of the migrated template)."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded demo SQLite database (seed 42, as of DEMO_AS_OF), made once per test run and
    shared by the parallel workers (``shared_once``).

    Tests that write copy it first (``copy_demo_database``).
    """
    import seed

    def build(folder: Path) -> None:
        engine = make_engine(f"sqlite:///{folder / 'demo.db'}")
        migrate(engine)
        seed.populate(
            session_factory=make_session_factory(engine),
            scale="demo",
            seed=42,
            as_of=DEMO_AS_OF,
            media_dir=folder / "media",
        )
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()

    return shared_once(tmp_path_factory, "demo", build) / "demo.db"


@pytest.fixture
def demo_database_copy(demo_database: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the demo database."""
    target = tmp_path / "demo.db"
    with make_engine(f"sqlite:///{demo_database}").connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(demo_database, target)
    return target
