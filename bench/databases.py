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


@dataclass(frozen=True)
class SeedStats:
    """How the large dataset was made (None figures: an existing database was reused)."""

    rows: int
    seconds: float | None

    @property
    def rows_per_second(self) -> float | None:
        return self.rows / self.seconds if self.seconds else None


def seed_large(
    url: str, media_dir: Path, *, communities: int, months: int, progress: bool = True
) -> SeedStats:
    """Migrate and fill an empty database with ``seed --scale large`` (as of DEMO_AS_OF)."""
    import time

    from seed.large import populate_large

    engine = make_engine(url)
    try:
        migrate(engine)
        started = time.perf_counter()
        counts = populate_large(
            make_session_factory(engine),
            communities=communities,
            months=months,
            seed=42,
            as_of=DEMO_AS_OF,
            media_dir=media_dir,
            progress=(lambda message: print(f"    {message}", flush=True)) if progress else None,
        )
        return SeedStats(sum(counts.values()), time.perf_counter() - started)
    finally:
        engine.dispose()


def _community_count(url: str) -> int:
    from sqlalchemy import func, select

    from data_access.models import Community

    engine = make_engine(url)
    try:
        migrate(engine)
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(Community)) or 0)
    finally:
        engine.dispose()


@contextmanager
def large_target(
    engine_name: str,
    workdir: Path,
    *,
    database_url: str | None = None,
    media_dir: Path | None = None,
    sqlite_path: Path,
    communities: int = 100,
    months: int = 36,
) -> Iterator[tuple[Target, SeedStats]]:
    """A large database of ``engine_name``: ``database_url`` as given (already seeded), else
    SQLite at ``sqlite_path`` (seeded once, reused by later runs) or a temporary PostgreSQL
    server seeded for this run. ``media_dir``: the photos of ``database_url``."""
    if database_url:
        photos = media_dir or workdir / "large-media"
        yield Target(engine_name, database_url, photos), SeedStats(row_count(database_url), None)
        return
    if engine_name == "sqlite":
        url = f"sqlite:///{sqlite_path}"
        media_dir = sqlite_path.parent / "large-media"
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        if sqlite_path.exists() and _community_count(url) == communities:
            yield Target("sqlite", url, media_dir), SeedStats(row_count(url), None)
            return
        sqlite_path.unlink(missing_ok=True)
        stats = seed_large(url, media_dir, communities=communities, months=months)
        yield Target("sqlite", url, media_dir), stats
        return
    from tests.support.postgres import PostgresServer

    media_dir = workdir / "large-media"
    server = PostgresServer().start()
    try:
        url = server.create_database("bench_large")
        stats = seed_large(url, media_dir, communities=communities, months=months)
        yield Target("postgresql", url, media_dir), stats
    finally:
        server.stop()


def row_count(url: str) -> int:
    """Rows in every table (the size of a reused database)."""
    from sqlalchemy import func, select

    from data_access.models import Base

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return sum(
                int(conn.scalar(select(func.count()).select_from(table)) or 0)
                for table in Base.metadata.sorted_tables
            )
    finally:
        engine.dispose()
