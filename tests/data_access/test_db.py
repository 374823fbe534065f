"""Choosing the database, SQLite tuning, migrations = models, constraints on both engines."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    MetaData,
    Table,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from data_access.db import (
    DEFAULT_SQLITE_PATH,
    make_engine,
    make_read_session_factory,
    migrate,
    normalise_url,
    require_current_schema,
    resolve_database_url,
    schema_status,
)
from data_access.errors import DatabaseUnavailable
from data_access.models import Base, Community, LastLook, PlanTask, Rating, ServiceItem
from tests.data_access.factories import minimal_order


def test_url_from_environment_wins(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[connections.ops]\nurl = "sqlite:////tmp/from-secrets.db"\n')
    assert (
        resolve_database_url({"DATABASE_URL": "sqlite:////tmp/env.db"}, secrets)
        == "sqlite:////tmp/env.db"
    )
    assert resolve_database_url({}, secrets) == "sqlite:////tmp/from-secrets.db"
    assert resolve_database_url({}, tmp_path / "missing.toml") == f"sqlite:///{DEFAULT_SQLITE_PATH}"


def test_postgres_urls_use_psycopg3() -> None:
    assert normalise_url("postgresql://u:p@h:5432/d") == "postgresql+psycopg://u:p@h:5432/d"
    assert normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"


@pytest.mark.parametrize("url", ["mysql://u@h/d", "oracle://h/d", "mongodb://h/d"])
def test_unknown_scheme_is_a_clear_error(url: str) -> None:
    with pytest.raises(DatabaseUnavailable) as caught:
        make_engine(url)
    assert caught.value.key == "db.bad_scheme"
    assert "sqlite://" in caught.value.message("zh")


def test_garbage_url_is_a_clear_error() -> None:
    with pytest.raises(DatabaseUnavailable) as caught:
        normalise_url("not a url at all")
    assert caught.value.key == "db.bad_url"


def test_unreachable_database_is_a_clear_error() -> None:
    engine = make_engine("postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(DatabaseUnavailable) as caught:
        schema_status(engine)
    assert caught.value.key == "db.unreachable"
    assert "无法连接数据库" in caught.value.message("zh")


def test_unmigrated_database_is_reported(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(DatabaseUnavailable) as caught:
        require_current_schema(engine)
    assert caught.value.key == "db.needs_migration"


def test_sqlite_connections_are_tuned(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 5000


def test_migrated_schema_equals_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_migrate_twice_keeps_data(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(Community).values(code="KEEP", name="留存小区", city="杭州", address="x")
        )
    status = migrate(engine)
    assert status.is_current
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Community)) == 1


def _rating_row(**overrides: object) -> dict[str, object]:
    now = dt.datetime(2026, 11, 1, 8, 0)
    row: dict[str, object] = dict(
        community_id=1, work_order_id=1, owner_id=1, score_speed=5, score_attitude=5,
        score_quality=5, comment="", created_at=now, updated_at=now, reply_due_at=now,
    )  # fmt: skip
    row.update(overrides)
    return row


def test_constraints_hold_on_every_engine(
    engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    """Scores outside 1–5 and a second rating of the same order by the same owner are refused."""
    with session_factory() as session:
        ids = minimal_order(session)
        session.commit()
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(Rating).values(**_rating_row(**ids, score_quality=6)))
    with engine.begin() as conn:
        conn.execute(insert(Rating).values(**_rating_row(**ids)))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(Rating).values(**_rating_row(**ids)))


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            insert(Rating).values(**_rating_row(community_id=999, work_order_id=999, owner_id=999))
        )


def test_upgrade_from_the_first_revision_keeps_data(database_url: str) -> None:
    """An installation on the initial schema, with data, upgrades to the newest schema intact."""
    from alembic import command

    from data_access.db import alembic_config

    first = "b6b37a070d6f"  # migrations/versions/20261124_b6b37a070d6f_initial_schema.py
    engine = make_engine(database_url)
    with engine.begin() as conn:
        config = alembic_config(database_url)
        config.attributes["connection"] = conn
        command.upgrade(config, first)
    # Rows in the tables the later revisions alter, and rows that point at them.
    statements = [
        "INSERT INTO communities (id, code, name, city, address, time_zone, site_width_m,"
        " site_height_m) VALUES (7, 'OLD', '老小区', '苏州', 'x', 'Asia/Shanghai', 100, 100)",
        "INSERT INTO service_contracts (id, community_id, code, start_date, end_date,"
        " fee_per_m2_month, service_level, target_plan_completion, target_actual_completion,"
        " target_timeliness, target_rectification, target_satisfaction, target_reply_timeliness,"
        " red_line_score, reply_deadline_hours, accept_deadline_hours, fix_deadline_days,"
        " auto_close_days) VALUES (3, 7, 'HT-OLD', '2026-01-01', '2026-12-31', 2.5, '一级',"
        " .95, .98, .9, .9, 4.5, .95, 2, 24, 24, 7, 7)",
        "INSERT INTO service_items (id, contract_id, code, name, tier, category, standard,"
        " recurrence, times_per_day, weekdays, month_days, window_start, window_end,"
        " expected_minutes, valid_from) VALUES (5, 3, 'CL', '大堂保洁', 'basic', 'cleaning',"
        " '干净', 'daily', 1, '', '', '08:00:00', '09:00:00', 30, '2026-01-01')",
        "INSERT INTO plan_tasks (id, community_id, item_id, due_date, seq, window_start_at,"
        " window_end_at, status, note) VALUES (9, 7, 5, '2026-10-01', 0,"
        " '2026-10-01 00:00:00', '2026-10-01 01:00:00', 'planned', '')",
    ]
    with engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    assert not schema_status(engine).is_current
    assert migrate(engine).is_current
    with engine.connect() as conn:
        assert conn.execute(select(Community.code, Community.name)).all() == [("OLD", "老小区")]
        assert conn.execute(select(ServiceItem.id, ServiceItem.name)).all() == [(5, "大堂保洁")]
        assert conn.execute(select(PlanTask.id, PlanTask.item_id)).all() == [(9, 5)]
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # back on


def _sqlite_pragma(conn: Connection, pragma: str) -> None:
    """Run ``pragma`` on the sqlite3 connection itself (outside SQLAlchemy's transaction)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute(pragma)


def _run_alembic(engine: Engine, move: str, revision: str) -> None:
    """``alembic upgrade|downgrade revision`` on ``engine``, as ``db.migrate`` runs it (SQLite
    rebuilds tables with its foreign keys off)."""
    from alembic import command

    from data_access.db import alembic_config

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            _sqlite_pragma(conn, "PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                getattr(command, move)(config, revision)
                if sqlite:
                    assert conn.exec_driver_sql("PRAGMA foreign_key_check").first() is None
        finally:
            if sqlite:
                _sqlite_pragma(conn, "PRAGMA foreign_keys=ON")


def test_order_views_move_into_last_looks_and_back(database_url: str) -> None:
    """The revision that made ``last_looks`` the one "last seen" table keeps every look: order
    views become looks of scope "order" at the order, and the downgrade puts them back."""
    before = "ea0dc9fde8bf"  # the revision with order_views
    engine = make_engine(database_url)
    _run_alembic(engine, "upgrade", before)
    with engine.begin() as conn:  # rows as that revision's tables have them (not the models')
        community = _insert_as_they_are(conn, "communities", code="OLD", time_zone="Asia/Shanghai")
        owner = _insert_as_they_are(conn, "accounts", community_id=community, role="owner")
        order = _insert_as_they_are(
            conn, "work_orders", community_id=community, order_type="repair", category="plumbing",
            priority="normal", visibility="public",
        )  # fmt: skip
    t1, t2, t3 = (dt.datetime(2026, 11, 1, hour, 0) for hour in (1, 2, 3))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO order_views (account_id, work_order_id, seen_at) VALUES (:a, :o, :t)"
            ),
            {"a": owner, "o": order, "t": t1},
        )
        conn.execute(
            text("INSERT INTO last_looks (account_id, scope, seen_at) VALUES (:a, :s, :t)"),
            [{"a": owner, "s": "notifications", "t": t2}, {"a": owner, "s": "console", "t": t3}],
        )

    assert migrate(engine).is_current
    looks = select(LastLook.account_id, LastLook.scope, LastLook.subject_id, LastLook.seen_at)
    with engine.connect() as conn:
        assert [tuple(r) for r in conn.execute(looks.order_by(LastLook.scope))] == [
            (owner, "console", 0, t3),
            (owner, "notifications", 0, t2),
            (owner, "order", order, t1),
        ]
        assert "order_views" not in inspect(conn).get_table_names()

    _run_alembic(engine, "downgrade", before)
    views = text("SELECT account_id, work_order_id, seen_at FROM order_views")
    lists = text("SELECT account_id, scope, seen_at FROM last_looks ORDER BY scope")
    with engine.connect() as conn:
        assert [tuple(r) for r in conn.execute(views.columns(seen_at=DateTime))] == [
            (owner, order, t1)
        ]
        assert [tuple(r) for r in conn.execute(lists.columns(seen_at=DateTime))] == [
            (owner, "console", t3),
            (owner, "notifications", t2),
        ]
        columns = {c["name"] for c in inspect(conn).get_columns("last_looks")}
        assert columns == {"account_id", "scope", "seen_at"}
        assert inspect(conn).get_pk_constraint("last_looks")["constrained_columns"] == [
            "account_id",
            "scope",
        ]
    assert migrate(engine).is_current  # and up again
    engine.dispose()


def _insert_as_they_are(conn: Connection, table_name: str, **values: object) -> int:
    """Insert a row into the table as it is in the database now (an older revision may lack
    the models' newer columns): ``values``, plus a placeholder for every other required
    column. Returns the new id."""
    table = Table(table_name, MetaData(), autoload_with=conn)
    row = dict(values)
    for column in table.columns:
        required = not column.nullable and column.server_default is None
        if column.name in row or column.primary_key or not required:
            continue
        python_type = column.type.python_type
        row[column.name] = {
            str: "x", int: 0, bool: False, float: 0.0,
            dt.datetime: dt.datetime(2026, 1, 1), dt.date: dt.date(2026, 1, 1),
            dt.time: dt.time(0, 0),
        }.get(python_type, 0)  # fmt: skip
    inserted = conn.execute(table.insert().values(row)).inserted_primary_key
    assert inserted is not None
    return int(inserted[0])


def test_writers_of_one_process_take_their_turns_in_order() -> None:
    """The first to ask is the first served: the writer that started waiting first gets the
    SQLite write lock next, so a steady stream of writes cannot starve one of them."""
    import threading
    import time

    from data_access.db import FairTurns

    turns = FairTurns()
    served: list[str] = []

    def writer(name: str) -> None:
        with turns:
            served.append(name)

    with turns:  # the lock is held; three writers queue in a known order
        threads = []
        for name in ("first", "second", "third"):
            thread = threading.Thread(target=writer, args=(name,))
            thread.start()
            threads.append(thread)
            time.sleep(0.05)  # each is waiting before the next arrives
    for thread in threads:
        thread.join(timeout=5)
    assert served == ["first", "second", "third"]


def test_a_sqlite_write_session_queues_and_postgres_does_not(tmp_path: Path) -> None:
    from data_access.db import FairTurns, _writer_turn

    sqlite = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    assert isinstance(_writer_turn(sqlite), FairTurns)
    assert _writer_turn(sqlite) is _writer_turn(make_engine(f"sqlite:///{tmp_path / 'a.db'}"))
    assert _writer_turn(make_engine(f"sqlite:///{tmp_path / 'b.db'}")) is not _writer_turn(sqlite)
    postgres = make_engine("postgresql://nobody@127.0.0.1:1/none")
    assert not isinstance(_writer_turn(postgres), FairTurns)


def test_a_read_session_never_writes(engine: Engine) -> None:
    """Page reads run in read sessions: an object added to one is refused at the flush, and
    nothing reaches the database (on PostgreSQL their statements autocommit)."""
    with make_read_session_factory(engine)() as session:
        session.add(Community(code="READ", name="只读", city="杭州", address="某路 1 号"))
        with pytest.raises(RuntimeError, match="never writes"):
            session.flush()
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Community)) == 0


def test_a_read_session_on_postgresql_runs_each_statement_on_its_own(engine: Engine) -> None:
    """Autocommit on PostgreSQL (no BEGIN and ROLLBACK round trips): each statement is its own
    transaction, so a statement's start is its transaction's; SQLite keeps one transaction."""
    query = text("SELECT now() = statement_timestamp()")
    with make_read_session_factory(engine)() as session:
        if engine.dialect.name != "postgresql":
            assert session.connection().in_transaction()
            return
        session.execute(text("SELECT 1"))
        time.sleep(0.01)
        assert session.scalar(query) is True
    with Session(engine) as session:  # in a transaction the two differ after the first
        session.execute(text("SELECT 1"))
        time.sleep(0.01)
        assert session.scalar(query) is False
