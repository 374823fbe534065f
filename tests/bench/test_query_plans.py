"""Every SELECT the pages send — for an owner and a manager, on both engines — has a plan that
reads no big table (work orders and their events, plan tasks, patrol check-ins, ticket events,
ratings) whole: each is found through an index that matches the query (bench/plans.py says how
a plan is judged)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import pages, plans
from bench.databases import Target, seed_demo
from data_access.db import make_engine
from tests.support.postgres import PostgresServer

ROLES = ("owner", "manager")  # the committee's pages are a subset of the manager's


@pytest.fixture(scope="module")
def postgres_demo(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Target:
    """The demo seed on PostgreSQL, once for this module (read only here)."""
    media = tmp_path_factory.mktemp("plans-media")
    url = postgres_server.create_database("query_plans")
    seed_demo(url, media)
    engine = make_engine(url)
    try:  # statistics, as autovacuum gives any real database (a plan without them is a guess)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
    return Target("postgresql", url, media)


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, demo_database_copy: Path, demo_database: Path) -> Target:
    if request.param == "sqlite":
        url = f"sqlite:///{demo_database_copy}"
        return Target("sqlite", url, demo_database.parent / "media")
    postgres_demo: Target = request.getfixturevalue("postgres_demo")
    return postgres_demo


def page_statements(target: Target) -> list[plans.Statement]:
    """The distinct SELECTs of every page of each role (after login)."""
    with pages.app_environment(target):
        apps = {role: pages.logged_in_app(pages.ROLES[role]) for role in ROLES}
        with plans.capture_statements() as capture:
            for role, at in apps.items():
                ids = pages.detail_ids(target, pages.ROLES[role])
                for page in pages.pages_for_role(role):
                    capture.origin = f"{role} {page}"
                    at.switch_page(str(pages.PAGES_DIR / page))
                    at.query_params.pop("id", None)
                    if page in ids:
                        at.query_params["id"] = ids[page]
                    at.run()
                    assert not at.exception, (role, page, [e.value for e in at.exception])
    return list(capture.statements.values())


def test_no_page_reads_a_big_table_whole(target: Target) -> None:
    statements = page_statements(target)
    big = [s for s in statements if any(table in s.sql for table in plans.BIG_TABLES)]
    assert len(big) >= 40  # the capture saw the pages' queries, not just the login

    engine = make_engine(target.url)
    try:
        scans = {
            f"{s.origin}: {' '.join(s.sql.split())[:300]}": found
            for s in big
            if (found := plans.full_scans(engine, s))
        }
    finally:
        engine.dispose()
    assert scans == {}


def test_the_judge_sees_a_full_scan(target: Target) -> None:
    """The checker itself: an unindexed filter on events is a full scan on either engine."""
    engine = make_engine(target.url)
    try:
        with plans.capture_statements() as capture, engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM work_order_events WHERE note = 'x'")
        [statement] = capture.statements.values()
        assert plans.full_scans(engine, statement)
    finally:
        engine.dispose()
