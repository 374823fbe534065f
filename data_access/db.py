"""Which database, how to connect, and bringing its schema up to date.

The URL comes from ``DATABASE_URL``, else ``[connections.ops] url`` in ``.streamlit/secrets.toml``,
else an embedded SQLite file under ``data/``. SQLite is tuned for several writers (WAL, busy
timeout, foreign keys, and ``BEGIN IMMEDIATE`` for write transactions so that a read-then-write
never fails with "database is locked"); PostgreSQL runs with its defaults through psycopg 3.
"""

from __future__ import annotations

import functools
import os
import threading
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

import data_access.data_versions  # noqa: F401  (its hooks bump versions on every commit)
from data_access.errors import DatabaseUnavailable

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "dashboard.db"
SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000
SUPPORTED_SCHEMES = ("sqlite", "postgresql")
_WRITE_OPTION = "ops_write"  # execution option that makes a SQLite transaction BEGIN IMMEDIATE


def resolve_database_url(
    env: Mapping[str, str] | None = None, secrets_path: Path = SECRETS_PATH
) -> str:
    """The configured database URL, normalised (postgres:// → postgresql+psycopg://)."""
    url = _configured_url("DATABASE_URL", "ops", env, secrets_path)
    return normalise_url(url or f"sqlite:///{DEFAULT_SQLITE_PATH}")


def resolve_read_url(
    env: Mapping[str, str] | None = None, secrets_path: Path = SECRETS_PATH
) -> str:
    """The read replica's URL (``DATABASE_READ_URL``, else ``[connections.replica] url``), or ""
    when reads go to the primary like everything else."""
    url = _configured_url("DATABASE_READ_URL", "replica", env, secrets_path)
    return normalise_url(url) if url else ""


def _configured_url(
    variable: str, connection: str, env: Mapping[str, str] | None, secrets_path: Path
) -> str:
    """``variable`` from the environment, else ``[connections.<connection>] url`` of the
    secrets file, else ""."""
    env = os.environ if env is None else env
    url = env.get(variable, "").strip()
    if not url and secrets_path.exists():
        secrets = secrets_file(secrets_path, secrets_path.stat().st_mtime_ns)
        url = str(secrets.get("connections", {}).get(connection, {}).get("url", "")).strip()
    return url


@functools.lru_cache(maxsize=4)
def secrets_file(path: Path, mtime_ns: int) -> dict[str, Any]:
    """The secrets file, parsed once per version of it (every page run asks for the URL and
    the settings). Callers only read what it gives."""
    del mtime_ns  # only keys the cache: an edited file is read again
    with path.open("rb") as f:
        return tomllib.load(f)


@functools.lru_cache(maxsize=16)
def normalise_url(url: str) -> str:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnavailable("db.bad_url", url=_redact(url)) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in SUPPORTED_SCHEMES:
        raise DatabaseUnavailable("db.bad_scheme", scheme=parsed.drivername)
    return parsed.render_as_string(hide_password=False)


def _redact(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1]


def make_engine(url: str) -> Engine:
    """An engine for ``url``; for SQLite, with the pragmas and begin handling described above."""
    url = normalise_url(url)
    parsed = make_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
            _tune_sqlite(engine)
            return engine
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    except NoSuchModuleError:
        raise DatabaseUnavailable("db.bad_scheme", scheme=parsed.drivername) from None


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, emit BEGIN (see "begin" below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_write_connection(connection: Any) -> bool:
    """Whether ``connection`` runs a ``write_session``'s transaction."""
    return bool(connection.get_execution_options().get(_WRITE_OPTION, False))


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


_READ_ONLY = "read_only"  # in a read session's ``info``


def make_read_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that only read (the app's page reads and login checks): a flush in one raises.

    On PostgreSQL each statement runs on its own (autocommit). At READ COMMITTED, the default,
    a transaction gives a read nothing more than its statements' own snapshots, and its BEGIN
    and the ROLLBACK at its end were two of a short read's four round trips to the server (with
    the pool's ping and the query itself): each one gives up the interpreter lock and waits to
    get it back (issue 25). SQLite keeps its transaction: one snapshot for all of a read's
    statements, and nothing travels."""
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="AUTOCOMMIT")
    return sessionmaker(engine, expire_on_commit=False, info={_READ_ONLY: True})


@event.listens_for(Session, "before_flush")
def _reads_never_write(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(_READ_ONLY):
        raise RuntimeError("a read session never writes: writes go through write_session")


class FairTurns:
    """A lock that serves its waiters first come, first served.

    SQLite lets one writer in at a time and its busy handler polls at growing intervals, so
    under a steady stream of writes one unlucky writer can keep losing the race until its busy
    timeout runs out ("database is locked", seen with twenty writers on two busy cores). The
    writers of one process — every session of a Streamlit server — therefore queue here for
    their turn; the busy timeout is left for writers of other processes (the worker)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._next_ticket = 0
        self._serving = 0

    def __enter__(self) -> None:
        with self._changed:
            ticket = self._next_ticket
            self._next_ticket += 1
            while ticket != self._serving:
                self._changed.wait()

    def __exit__(self, *_exc: object) -> None:
        with self._changed:
            self._serving += 1
            self._changed.notify_all()


_SQLITE_WRITER_TURNS: dict[str, FairTurns] = {}
_TURNS_LOCK = threading.Lock()


def _writer_turn(bind: Any) -> AbstractContextManager[None]:
    """The queue for writers of this SQLite database (one per file); no queue for PostgreSQL,
    whose row locks let writers of different rows through at once."""
    if not isinstance(bind, Engine) or bind.dialect.name != "sqlite":
        return nullcontext()
    with _TURNS_LOCK:
        return _SQLITE_WRITER_TURNS.setdefault(str(bind.url), FairTurns())


@contextmanager
def write_session(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for a command: one transaction, committed at the end, rolled back on error.

    On SQLite the transaction takes the write lock at BEGIN, so it cannot deadlock later, and
    the writers of this process take their turns in order (``FairTurns``). Like every
    session's commit, it bumps the data versions of the communities it touched
    (``data_versions``).
    """
    with factory() as session, _writer_turn(session.get_bind()):
        session.connection(execution_options={_WRITE_OPTION: True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# --- schema -----------------------------------------------------------------------------------
def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_current_head()
    assert head is not None, "migrations/ has no revisions"
    return head


@dataclass(frozen=True)
class SchemaStatus:
    current: str | None
    head: str

    @property
    def is_empty(self) -> bool:
        return self.current is None

    @property
    def is_current(self) -> bool:
        return self.current == self.head


def schema_status(engine: Engine) -> SchemaStatus:
    """Where the database's schema stands; raises ``DatabaseUnavailable`` if it cannot connect."""
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as exc:
        raise DatabaseUnavailable("db.unreachable", detail=_first_line(exc)) from exc
    return SchemaStatus(current=current, head=head_revision())


def migrate(engine: Engine) -> SchemaStatus:
    """Bring the database to the newest schema (no-op when it is current). Data is kept."""
    status = schema_status(engine)
    if not status.is_current:
        config = alembic_config(engine.url.render_as_string(hide_password=False))
        with engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                # SQLite alters a table by copying it; with foreign keys on, dropping the old
                # copy fails while other tables point at it. The pragma only works outside a
                # transaction, hence on the driver connection before SQLAlchemy begins one.
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
            try:
                with conn.begin():
                    config.attributes["connection"] = conn
                    command.upgrade(config, "head")
                    if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                        raise RuntimeError("migration left rows with broken foreign keys")
            finally:
                if sqlite:
                    conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
    return schema_status(engine)


def require_current_schema(engine: Engine) -> None:
    status = schema_status(engine)
    if not status.is_current:
        raise DatabaseUnavailable(
            "db.needs_migration", current=status.current or "—", head=status.head
        )


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


def describe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return _redact(url)


# Every write session bumps the data versions it touched and queues the messages of the events it
# wrote, just before it commits: the hooks live in these modules, imported here so that no code
# path that writes can miss them.
from data_access import data_versions as _data_versions  # noqa: E402, F401
from data_access.outbox import enqueue as _outbox_enqueue  # noqa: E402, F401
