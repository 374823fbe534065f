"""The worker runs every job on its own schedule with exactly one runner (issue 18, item 2):
a lease with a fencing token decides who runs; the schedule is in the database."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts.auth import Viewer
from data_access.db import make_engine, make_session_factory, write_session
from data_access.errors import DomainError
from data_access.jobs.lease import LeaseLost, fenced_factory
from data_access.jobs.runs import JobSummary, request_run, summary_text
from data_access.models import (
    Account,
    JobRun,
    RectificationTicket,
    SyncRun,
    WorkerLease,
    WorkOrder,
)
from data_access.sync.sources import HcSource, configured_sources
from data_access.tickets.ticket_commands import request_confirmation
from tests.conftest import ROOT
from tests.connectors.hc.fixture import C1, load_hc
from tests.pages.conftest import DEMO_NOW
from tests.support.mariadb import MariaDBServer
from worker.jobs import Job, standard_jobs
from worker.runner import Worker

T0 = dt.datetime(2026, 11, 20, 12, 0)
MINUTE = dt.timedelta(minutes=1)


class Clock:
    """A clock the test moves by hand (naive UTC)."""

    def __init__(self, now: dt.datetime = T0) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def counting_job(name: str, every: dt.timedelta, log: list[str]) -> Job:
    def run(factory: sessionmaker[Session], now: dt.datetime) -> JobSummary:
        log.append(name)
        return JobSummary("tickets", {"closed": len(log)})

    return Job(name, every, run)


def runs(factory: sessionmaker[Session]) -> list[tuple[str, str, int, str]]:
    with factory() as session:
        rows = session.execute(
            select(JobRun.job, JobRun.holder, JobRun.token, JobRun.status).order_by(JobRun.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_one_worker_of_three_runs_each_job_once_per_interval(engine: Engine) -> None:
    factory = make_session_factory(engine)
    clock, log = Clock(), list[str]()
    jobs = [counting_job("often", MINUTE, log), counting_job("daily", dt.timedelta(days=1), log)]
    workers = [Worker(factory, jobs, holder=f"w{i}", lease_ttl=5 * MINUTE, clock=clock)
               for i in range(3)]  # fmt: skip
    for _ in range(3):  # every worker ticks three times in the same minute
        for worker in workers:
            worker.tick()
    assert log == ["often", "daily"]  # once each: the first worker holds the lease
    clock.now += MINUTE
    for worker in workers:
        worker.tick()
    assert log == ["often", "daily", "often"]  # the next interval: the daily job is not due
    assert {holder for _, holder, _, _ in runs(factory)} == {"w0"}
    assert {status for *_, status in runs(factory)} == {"succeeded"}


def test_when_the_leader_dies_another_takes_over_and_keeps_the_cadence(engine: Engine) -> None:
    factory = make_session_factory(engine)
    clock, log = Clock(), list[str]()
    jobs = [counting_job("often", 2 * MINUTE, log)]
    leader, other = (Worker(factory, jobs, holder=name, lease_ttl=MINUTE, clock=clock)
                     for name in ("leader", "other"))  # fmt: skip
    assert leader.tick() == ["often"] and other.tick() == []
    clock.now += MINUTE / 2
    assert other.tick() == []  # the leader's lease is still alive (it stopped ticking: died)
    clock.now += MINUTE  # past the lease: the other takes over, but the job is not due yet
    assert other.tick() == [] and other.token == 2
    clock.now += MINUTE / 2  # two minutes after the leader's run
    assert other.tick() == ["often"]
    assert runs(factory) == [
        ("often", "leader", 1, "succeeded"),
        ("often", "other", 2, "succeeded"),
    ]


def test_a_worker_that_stalled_past_its_lease_writes_nothing(engine: Engine) -> None:
    """Fencing: the stalled worker's job wakes up after another took over; its writes are
    refused, so nothing it does lands, and it stops."""
    factory = make_session_factory(engine)
    clock = Clock()
    writes: list[str] = []

    def slow_job(jobs_factory: sessionmaker[Session], now: dt.datetime) -> JobSummary:
        clock.now += 10 * MINUTE  # the job stalls; meanwhile the other worker takes over
        assert other.tick() == []  # it holds the lease now; "slow" started 10 min ago: not due
        with write_session(jobs_factory) as session:  # refused: the lease is not ours any more
            session.add(Account(username="written-by-a-zombie", display_name="x", role="owner",
                                community_id=None, password_hash="x"))  # fmt: skip
            writes.append("written")
        return JobSummary("tickets", {"closed": 0})

    job = Job("slow", dt.timedelta(hours=1), slow_job)
    stalled = Worker(factory, [job], holder="stalled", lease_ttl=MINUTE, clock=clock)
    other = Worker(factory, [job], holder="other", lease_ttl=MINUTE, clock=clock)
    assert stalled.tick() == []  # it lost the lease during the job: the round stops
    assert writes == []
    with factory() as session:
        assert (
            session.scalar(select(Account).where(Account.username == "written-by-a-zombie")) is None
        )
        lease = session.get_one(WorkerLease, "jobs")
        assert (lease.holder, lease.token) == ("other", 2)
    assert runs(factory) == [("slow", "stalled", 1, "failed")]  # and says why
    with factory() as session:
        assert session.scalars(select(JobRun.error)).one().startswith("LeaseLost")
    zombie = fenced_factory(factory, holder="stalled", token=1, clock=clock)
    with pytest.raises(LeaseLost), write_session(zombie):  # any later write is refused too
        pass


def test_a_request_runs_a_job_before_its_interval(engine: Engine) -> None:
    factory = make_session_factory(engine)
    clock, log = Clock(), list[str]()
    worker = Worker(factory, [counting_job("sync_hc", dt.timedelta(hours=1), log)], clock=clock)
    worker.tick()
    clock.now += MINUTE
    assert worker.tick() == []
    with write_session(factory) as session:
        assert request_run(session, job="sync_hc", requested_by_id=None, now=clock.now)
        assert not request_run(session, job="sync_hc", requested_by_id=None, now=clock.now)
    assert worker.tick() == ["sync_hc"]
    assert worker.tick() == []  # the request is done


def test_a_failing_job_is_recorded_and_the_others_still_run(engine: Engine) -> None:
    factory = make_session_factory(engine)
    log: list[str] = []

    def broken(jobs_factory: sessionmaker[Session], now: dt.datetime) -> JobSummary:
        raise ValueError("the source said no")

    jobs = [Job("broken", MINUTE, broken), counting_job("fine", MINUTE, log)]
    assert Worker(factory, jobs, clock=Clock()).tick() == ["broken", "fine"]
    with factory() as session:
        failed = session.scalars(select(JobRun).where(JobRun.job == "broken")).one()
    assert (failed.status, failed.error) == ("failed", "ValueError: the source said no")
    assert log == ["fine"]


def test_the_worker_closes_a_long_unconfirmed_ticket_without_any_page_view(
    demo_database_copy: Path,
) -> None:
    """What the pages did on their first run after five minutes, the worker now does alone."""
    factory = make_session_factory(make_engine(f"sqlite:///{demo_database_copy}"))
    with write_session(factory) as session:
        ticket = session.scalars(
            select(RectificationTicket)
            .where(RectificationTicket.status == "in_progress")
            .order_by(RectificationTicket.id)
            .limit(1)
        ).one()
        manager = session.scalars(
            select(Account).where(
                Account.role == "manager", Account.community_id == ticket.community_id
            )
        ).first()
        assert manager is not None
        viewer = Viewer(account_id=manager.id, username=manager.username,
                        display_name=manager.display_name, role="manager",
                        community_id=manager.community_id)  # fmt: skip
        ticket_id = ticket.id
        request_confirmation(session=session, viewer=viewer, ticket_id=ticket_id,
                             now=DEMO_NOW - dt.timedelta(days=8))  # fmt: skip
    worker = Worker(factory, standard_jobs([]), clock=lambda: DEMO_NOW)
    assert worker.tick() == ["tickets", "alerts", "photos", "logins", "polls", "outbox"]
    with factory() as session:
        closed = session.get_one(RectificationTicket, ticket_id)
        assert (closed.status, closed.auto_closed, closed.closed_at) == ("closed", True, DEMO_NOW)
        stored = session.scalars(select(JobRun.summary).where(JobRun.job == "tickets")).one()
    assert summary_text(stored, "zh") == "自动关闭 1 张整改单"
    assert summary_text(stored, "en") == "tickets closed: 1"


def test_three_worker_processes_one_runner_and_a_killed_leader_is_replaced(
    tmp_path: Path, migrated_sqlite_template: Path
) -> None:
    """Real processes (``manage.py worker``) on one database: one runs the jobs; SIGKILL it and
    another takes over within the lease's lifetime, with a new token, keeping the interval."""
    import shutil

    database = tmp_path / "jobs.db"
    shutil.copy(migrated_sqlite_template, database)
    url = f"sqlite:///{database}"
    command = [sys.executable, "manage.py", "--database-url", url, "worker", "--every",
               "tickets=2", "--every", "alerts=2", "--every", "photos=2", "--every", "logins=2",
               "--every", "outbox=2", "--every", "polls=2", "--lease-seconds",
               "3", "--tick", "0.2", "--sources", str(tmp_path / "none.toml")]  # fmt: skip
    env = {**os.environ, "MEDIA_DIR": str(tmp_path / "media")}
    processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) for _ in range(3)]  # fmt: skip
    factory = make_session_factory(make_engine(url))
    try:
        leader = _wait_for(lambda: _holder(factory), timeout=60)
        time.sleep(7)
        before = _starts(factory)
        assert {holder for holder, *_ in before} == {leader}  # one runner only
        _assert_spaced(before, dt.timedelta(seconds=2))
        pid = int(leader.split(":")[1])
        os.kill(pid, signal.SIGKILL)
        successor = _wait_for(lambda: h if (h := _holder(factory)) != leader else None, timeout=30)
        time.sleep(5)
        after = _starts(factory)
        assert {holder for holder, *_ in after} == {leader, successor}
        assert {token for holder, token, *_ in after if holder == successor} == {2}
        _assert_spaced(after, dt.timedelta(seconds=2))
        assert any(h == successor and job == "alerts" for h, _, job, _ in after)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            process.wait(timeout=30)


def _holder(factory: sessionmaker[Session]) -> str | None:
    with factory() as session:
        lease = session.get(WorkerLease, "jobs")
        return lease.holder if lease is not None else None


def _starts(factory: sessionmaker[Session]) -> list[tuple[str, int, str, dt.datetime]]:
    """(holder, token, job, started) of every run so far."""
    with factory() as session:
        rows = session.execute(
            select(JobRun.holder, JobRun.token, JobRun.job, JobRun.started_at).order_by(JobRun.id)
        )
        return [(r.holder, r.token, r.job, r.started_at) for r in rows]


def _assert_spaced(rows: list[tuple[str, int, str, dt.datetime]], every: dt.timedelta) -> None:
    """Every job ran more than once, and never twice within its interval (what a second
    runner would cause)."""
    times: dict[str, list[dt.datetime]] = {}
    for _, _, job, started in rows:
        times.setdefault(job, []).append(started)
    for job, starts in times.items():
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        assert len(starts) >= 2 and all(gap >= every for gap in gaps), (job, gaps)


def _wait_for(probe, timeout: float):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_a_configured_hc_source_is_synced_by_the_worker(
    mariadb_server: MariaDBServer, engine: Engine, tmp_path: Path
) -> None:
    """``[sources.hc]`` in the secrets file: the worker syncs it on its interval, records the
    run, and a failing source fails its run without stopping the other jobs."""
    _, source = load_hc(mariadb_server)
    config = tmp_path / "secrets.toml"
    config.write_text(
        f'[sources.hc]\nurl = "{source}"\ncommunities = {{ "{C1}" = "CUIHU" }}\n'
        "every_seconds = 600\n",
        encoding="utf-8",
    )
    sources = configured_sources(config)
    assert [(s.communities, s.every) for s in sources] == [
        ({C1: "CUIHU"}, dt.timedelta(minutes=10))
    ]
    factory = make_session_factory(engine)
    clock = Clock(dt.datetime.now(dt.UTC).replace(tzinfo=None))
    worker = Worker(factory, standard_jobs(sources), clock=clock)
    assert worker.tick() == ["tickets", "alerts", "photos", "logins", "polls", "outbox", "sync_hc"]
    with factory() as session:
        run = session.scalars(select(JobRun).where(JobRun.job == "sync_hc")).one()
        assert (run.status, summary_text(run.summary)) == ("succeeded", "全量对账:CUIHU")
        assert session.scalars(select(SyncRun.status)).all() == ["succeeded"]
        assert (session.scalar(select(func.count()).select_from(WorkOrder)) or 0) > 0
    clock.now += dt.timedelta(minutes=5)
    assert worker.tick() == [
        "tickets",
        "alerts",
        "polls",
        "outbox",
    ]  # sync_hc every 10 min, photos daily, logins hourly
    clock.now += dt.timedelta(minutes=5)

    unreachable = HcSource(url=source.replace(f":{mariadb_server.port}/", ":1/"))
    worker = Worker(factory, standard_jobs([unreachable]), clock=clock)
    assert worker.tick() == ["tickets", "alerts", "polls", "outbox", "sync_hc"]
    with factory() as session:
        failed = session.scalars(
            select(JobRun).where(JobRun.job == "sync_hc").order_by(JobRun.id.desc()).limit(1)
        ).one()
    assert failed.status == "failed" and "Cannot reach the source database" in failed.error


@pytest.mark.parametrize(
    ("text", "setting"),
    [
        ('[sources.hc]\ncommunities = { "1" = "A" }\n', "sources.hc.url"),
        ('[sources.hc]\nurl = "mysql+pymysql://r@h/db"\ncommunities = ["A"]\n', "sources.hc.communities"),
        ('[sources.hc]\nurl = "mysql+pymysql://r@h/db"\nevery_seconds = 1\n', "sources.hc.every_seconds"),
        ('[sources.hc]\nurl = "mysql+pymysql://r@h/db"\nphoto_hosts = "a.example"\n', "sources.hc.photo_hosts"),
    ],
)  # fmt: skip
def test_a_malformed_source_is_refused_by_name(tmp_path: Path, text: str, setting: str) -> None:
    config = tmp_path / "secrets.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(DomainError) as refused:
        configured_sources(config)
    assert refused.value.params["setting"] == setting
    assert configured_sources(tmp_path / "missing.toml") == []
