"""The benchmark's databases: the demo seed (as of 2026-11-20) on SQLite or PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from data_access.db import make_engine, make_session_factory, migrate

DEMO_AS_OF = dt.date(2026, 11, 20)
# The seeded demo's "now": 20:00 in Shanghai on DEMO_AS_OF (naive UTC, as stored).
DEMO_NOW = dt.datetime(2026, 11, 20, 12, 0)


@dataclass(frozen=True)
class Target:
    engine_name: str  # "sqlite" | "postgresql"
    url: str
    media_dir: Path


def seed_demo(url: str, media_dir: Path) -> None:
    """Migrate and fill an empty database with the demo seed (seed 42, as of DEMO_AS_OF)."""
    import seed

    engine = make_engine(url)
    try:
        migrate(engine)
        seed.populate(
            session_factory=make_session_factory(engine),
            scale="demo",
            seed=42,
            as_of=DEMO_AS_OF,
            media_dir=media_dir,
        )
    finally:
        engine.dispose()


@contextmanager
def demo_target(
    engine_name: str, workdir: Path, database_url: str | None = None
) -> Iterator[Target]:
    """A seeded demo database of ``engine_name`` in ``workdir`` (or ``database_url`` as given,
    assumed already seeded); a PostgreSQL server is started and stopped around it."""
    media_dir = workdir / "media"
    if database_url:
        yield Target(engine_name, database_url, media_dir)
        return
    if engine_name == "sqlite":
        url = f"sqlite:///{workdir / 'demo.db'}"
        if not (workdir / "demo.db").exists():
            seed_demo(url, media_dir)
        yield Target("sqlite", url, media_dir)
        return
    if engine_name != "postgresql":
        raise ValueError(f"unknown engine {engine_name!r}")
    from tests.support.postgres import PostgresServer

    server = PostgresServer().start()
    try:
        url = server.create_database("bench_demo")
        seed_demo(url, media_dir)
        yield Target("postgresql", url, media_dir)
    finally:
        server.stop()


def engine_for(target: Target) -> Engine:
    return make_engine(target.url)
