"""Scale-out rounds (issue 21): the front door, writes under load, the read replica, a soak.

Every round serves the app the way ``make serve`` does — HAProxy in front of app processes
(``deploy/cluster.py``) — and is driven by ``bench.concurrent``'s simulated users (websocket
clients speaking Streamlit's protocol; each visit = connect, Overview, work-order board, close).

- **front door**: 300 users at once through HAProxy with two app processes, and the same load
  on the framework floor (``bench/floor_two_pages.py``: the same two URL paths, one line each)
  behind the same HAProxy, measured in the same run.
- **mixed**: 100 owners browsing for 40 s (each in one tab: a page, 5–15 s of reading, a click
  to the other page, …), read-only, then with the work-order simulator writing every second,
  three times in a row; the median of the pairs' p95 ratios (with writes ÷ read-only).
- **replica**: the mixed round's browsing on PostgreSQL, reads on a streaming replica.
- **soak**: 20 new owner visits every 10 s for ``--soak-minutes`` (60), the simulator writing
  every second; RSS, threads and open files of the app processes each minute, page p95 per
  minute, and the database's size and login rows.

``python -m bench.scale_out --write`` runs all and writes bench/SCALE_OUT.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select, text

from bench.concurrent import (
    BOARD_PATH,
    FLOOR_APP,
    OVERVIEW_PATH,
    PAGE_TIMEOUT_S,
    PageLoad,
    _Connection,
    _load,
    login_cookies,
    server_env,
    simulate_user,
    total_rss_mb,
)
from bench.stats import percentile
from data_access.db import make_engine
from data_access.models import LoginAttempt, LoginSession
from data_access.settings import COOKIE_NAME
from deploy.cluster import Cluster, free_port, running_cluster

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "SCALE_OUT.md"
MIXED_TARGET = 1.5  # mixed p95 ≤ 1.5 × read-only p95
SOAK_RSS_TARGET_MB = 10.0  # growth after the first 5 minutes
SOAK_DRIFT_TARGET = 0.10  # p95 drift


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def p95(loads: Sequence[PageLoad]) -> float:
    times = [load.ms for load in loads if load.ms is not None and load.error is None]
    return percentile(times, 95) if times else float("nan")


def errors(loads: Sequence[PageLoad]) -> int:
    return sum(1 for load in loads if load.error is not None)


def error_kinds(loads: Sequence[PageLoad], top: int = 3) -> list[tuple[str, int]]:
    """The commonest error texts (digits folded, so that "after 60 s" and ids group)."""
    texts = Counter(
        re.sub(r"\d+", "#", load.error)[:160] for load in loads if load.error is not None
    )
    return texts.most_common(top)


@contextmanager
def cluster_on(
    database_url: str, media_dir: Path, app_count: int, *, script: Path | None = None,
    read_url: str = "",
) -> Iterator[Cluster]:  # fmt: skip
    """HAProxy + ``app_count`` processes of the app (or of ``script``) on a demo database."""
    env = server_env(database_url, media_dir)
    if read_url:
        env["DATABASE_READ_URL"] = read_url
    quiet = ("--browser.gatherUsageStats", "false")
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as logs, running_cluster(
        app_count=app_count, port=free_port(), env=env, logs=Path(logs), with_worker=False,
        script=script, streamlit_args=quiet,
    ) as cluster:  # fmt: skip
        yield cluster


def app_pids(cluster: Cluster) -> list[int]:
    return [app.pid for app in cluster.apps]


@contextmanager
def simulator_writing(
    database_url: str, media_dir: Path, pace_s: float = 1.0, community: str | None = None
) -> Iterator[None]:
    """``manage.py simulate`` in its own process: a write every ``pace_s`` seconds (in every
    community, or in ``community`` only)."""
    command = [sys.executable, "manage.py", "--database-url", database_url, "simulate",
               "--pace", str(pace_s), "--seed", "7", "--media-dir", str(media_dir),
               "--orders-per-tick", "1"]  # fmt: skip
    if community:
        command += ["--community", community]
    process = subprocess.Popen(
        command, cwd=ROOT, env=server_env(database_url, media_dir),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


# --- the front door -------------------------------------------------------------------------
@dataclass
class BurstResult:
    name: str
    users: int
    p95_overview_ms: float
    p95_board_ms: float
    errors: int
    wall_s: float
    error_kinds: list[tuple[str, int]] = field(default_factory=list)


async def _burst(port: int, cookies: Sequence[str]) -> list[dict[str, PageLoad]]:
    outcomes = await asyncio.gather(*(simulate_user(port, cookie) for cookie in cookies))
    return [{"connect": o.connect, **o.loads} for o in outcomes]


def burst(name: str, cluster: Cluster, cookies: Sequence[str]) -> BurstResult:
    asyncio.run(_burst(port_of(cluster.url), cookies[:2]))  # warm-up, untimed
    start = time.perf_counter()
    visits = asyncio.run(_burst(port_of(cluster.url), cookies))
    wall = time.perf_counter() - start
    loads = [load for visit in visits for load in visit.values()]
    return BurstResult(
        name=name, users=len(cookies),
        p95_overview_ms=p95([v[OVERVIEW_PATH] for v in visits]),
        p95_board_ms=p95([v[BOARD_PATH] for v in visits]),
        errors=errors(loads), wall_s=wall, error_kinds=error_kinds(loads),
    )  # fmt: skip


def front_door_round(database_url: str, media_dir: Path, users: int) -> list[BurstResult]:
    cookies = login_cookies(database_url, users)
    with cluster_on(database_url, media_dir, 2, script=FLOOR_APP) as floor:
        floor_result = burst("floor, 2 processes behind HAProxy", floor, cookies)
    with cluster_on(database_url, media_dir, 2) as cluster:
        app_result = burst("app, 2 processes behind HAProxy", cluster, cookies)
    return [floor_result, app_result]


# --- browsing, with and without writes -------------------------------------------------------
WARM_UP_S = 20.0  # untimed browsing before the read-only half


ARRIVALS_S = 10.0  # owners arrive spread over this long (or the whole half, when shorter)


async def _browse(
    port: int, cookie: str, until: float, seen: list[PageLoad], arrivals_s: float
) -> None:
    """One owner: arrives within ``arrivals_s``, opens the app, then reads a page for 5–15 s
    and clicks to the other one, until ``until`` (one websocket session, as a browser tab)."""
    from websockets.asyncio.client import connect
    from websockets.typing import Subprotocol

    rng = random.Random(cookie)
    await asyncio.sleep(rng.uniform(0, arrivals_s))  # spread out, not in one burst
    async with connect(
        f"ws://127.0.0.1:{port}/_stcore/stream",
        additional_headers={"Cookie": f"{COOKIE_NAME}={cookie}"},
        subprotocols=[Subprotocol("streamlit")], max_size=None, ping_interval=None,
        open_timeout=PAGE_TIMEOUT_S,
    ) as ws:  # fmt: skip
        conn = _Connection(ws)
        seen.append(await _load(conn, OVERVIEW_PATH, first=True))
        pages = [BOARD_PATH, OVERVIEW_PATH]
        while time.perf_counter() < until:
            reading = rng.uniform(5, 15)
            if time.perf_counter() + reading >= until:
                break  # the half ends before this owner's next click: do not wait for it
            await asyncio.sleep(reading)
            seen.append(await _load(conn, pages[0], first=False))
            pages.reverse()


def browse(cluster: Cluster, cookies: Sequence[str], seconds: float) -> list[PageLoad]:
    seen: list[PageLoad] = []
    until = time.perf_counter() + seconds

    async def everyone() -> None:
        arrivals_s = min(ARRIVALS_S, seconds)
        await asyncio.gather(
            *(_browse(port_of(cluster.url), c, until, seen, arrivals_s) for c in cookies)
        )

    asyncio.run(everyone())
    return seen


@dataclass
class MixedPair:
    """One read-only half and the half with writes that follows it."""

    read_only_p95_ms: float
    mixed_p95_ms: float
    read_only_loads: int
    mixed_loads: int

    @property
    def ratio(self) -> float:
        return self.mixed_p95_ms / self.read_only_p95_ms


@dataclass
class MixedResult:
    name: str
    users: int
    seconds: float
    pairs: list[MixedPair]
    errors: int
    error_kinds: list[tuple[str, int]] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """The median of the pairs' ratios: one pair's swung 0.3× to 6× for the same code."""
        return statistics.median(pair.ratio for pair in self.pairs)

    @property
    def read_only_p95_ms(self) -> float:
        return statistics.median(pair.read_only_p95_ms for pair in self.pairs)

    @property
    def mixed_p95_ms(self) -> float:
        return statistics.median(pair.mixed_p95_ms for pair in self.pairs)

    @property
    def met(self) -> bool:
        return self.ratio <= MIXED_TARGET and self.errors == 0


SIMULATOR_START_S = 5.0  # the simulator's own start (imports, first writes) before a busy half
SETTLE_S = 15.0  # untimed browsing after a busy half, before the next read-only one


def mixed_round(
    name: str,
    database_url: str,
    media_dir: Path,
    users: int,
    seconds: float,
    read_url: str = "",
    warm_up_s: float = WARM_UP_S,
    pairs: int = 3,
    simulator_start_s: float = SIMULATOR_START_S,
    settle_s: float = SETTLE_S,
) -> MixedResult:
    """Browsing read-only, then while the simulator writes, ``pairs`` times in a row on one
    cluster; the ratio is the median of the pairs'. Every half begins with every owner's new
    session (a reconnect), on caches the untimed warm-up filled: without it the read-only
    half's p95 was its first wave of 100 sessions on cold caches (430 ms to 6.9 s from run to
    run of the same code, and once above the half with writes). A single pair's ratio still
    swung 0.3× to 6× between runs of the same code (the floor's p95 stayed within 47–49 ms), so
    the halves alternate and the median is reported. The simulator starts
    ``simulator_start_s`` before its half: its process start is not the writes' cost; after
    it, ``settle_s`` of untimed browsing lets the read-only half begin on settled figures."""
    cookies = login_cookies(database_url, users)
    measured: list[MixedPair] = []
    every: list[PageLoad] = []
    with cluster_on(database_url, media_dir, 2, read_url=read_url) as cluster:
        browse(cluster, cookies, warm_up_s)  # untimed: the evening has begun
        for _ in range(pairs):
            quiet = browse(cluster, cookies, seconds)
            with simulator_writing(database_url, media_dir):
                time.sleep(simulator_start_s)
                busy = browse(cluster, cookies, seconds)
            # Untimed: the next read-only half should not pay for the figures these writes
            # changed (the first views after them recompute their communities' figures).
            browse(cluster, cookies, settle_s)
            measured.append(MixedPair(p95(quiet), p95(busy), len(quiet), len(busy)))
            every += [*quiet, *busy]
    return MixedResult(
        name=name, users=users, seconds=seconds, pairs=measured, errors=errors(every),
        error_kinds=error_kinds(every),
    )  # fmt: skip


def floor_browsing_p95(database_url: str, media_dir: Path, users: int, seconds: float) -> float:
    """The same browsing on the framework floor behind the same HAProxy (cookies unused)."""
    cookies = login_cookies(database_url, users)
    with cluster_on(database_url, media_dir, 2, script=FLOOR_APP) as floor:
        return p95(browse(floor, cookies, seconds))


# --- the soak -------------------------------------------------------------------------------
@dataclass
class SoakMinute:
    minute: int
    visits: int
    p95_ms: float
    errors: int
    rss_mb: float
    threads: int
    open_files: int
    database_mb: float
    login_sessions: int
    login_attempts: int


@dataclass
class SoakResult:
    minutes: list[SoakMinute] = field(default_factory=list)

    def window(self, start: int, end: int) -> list[SoakMinute]:
        return [m for m in self.minutes if start <= m.minute < end]

    @property
    def rss_growth_mb(self) -> float:
        """RSS at the end minus RSS at minute 5 (after warm-up)."""
        settled = self.window(5, 6) or self.minutes[:1]
        return self.minutes[-1].rss_mb - settled[0].rss_mb

    @property
    def rss_trend_mb_per_hour(self) -> float:
        """The least-squares slope of RSS over the minutes from minute 5, per hour: what is
        still growing, whatever one minute's sample swung (the end-minus-minute-5 rule above
        reads two single samples)."""
        settled = [m for m in self.minutes if m.minute >= 5]
        if len(settled) < 2:
            return float("nan")
        slope = statistics.linear_regression([m.minute for m in settled],
                                             [m.rss_mb for m in settled]).slope  # fmt: skip
        return slope * 60

    @property
    def p95_drift(self) -> float:
        """Median per-minute p95 of the last ten minutes against minutes 5–15."""
        early = [m.p95_ms for m in self.window(5, 15)] or [self.minutes[0].p95_ms]
        late = [m.p95_ms for m in self.minutes[-10:]]
        return statistics.median(late) / statistics.median(early) - 1


def _threads_and_files(pids: Sequence[int]) -> tuple[int, int]:
    threads = files = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Threads:"):
                threads += int(line.split()[1])
        files += len(os.listdir(f"/proc/{pid}/fd"))
    return threads, files


def _database_mb(database_url: str) -> float:
    if database_url.startswith("sqlite"):
        path = Path(database_url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 2**20
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return float(conn.scalar(text("SELECT pg_database_size(current_database())"))) / 2**20
    finally:
        engine.dispose()


def _login_rows(database_url: str) -> tuple[int, int]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            sessions = conn.scalar(select(func.count()).select_from(LoginSession)) or 0
            attempts = conn.scalar(select(func.count()).select_from(LoginAttempt)) or 0
            return int(sessions), int(attempts)
    finally:
        engine.dispose()


def soak(
    database_url: str, media_dir: Path, minutes: int, say: Callable[[str], None] = print
) -> SoakResult:
    """20 new owner visits every 10 s; one login per visit, as 20 owners logging in would."""
    result = SoakResult()
    with (
        cluster_on(database_url, media_dir, 2) as cluster,
        simulator_writing(database_url, media_dir),
    ):
        pids = app_pids(cluster)
        port = port_of(cluster.url)

        async def run() -> None:
            pending: set[asyncio.Task[None]] = set()
            minute_loads: list[PageLoad] = []

            async def visit(cookie: str) -> None:
                outcome = await simulate_user(port, cookie)
                minute_loads.extend(outcome.loads.values())

            start = time.perf_counter()
            for wave in range(minutes * 6):
                cookies = await asyncio.to_thread(login_cookies, database_url, 20)
                for cookie in cookies:
                    task = asyncio.create_task(visit(cookie))
                    pending.add(task)
                    task.add_done_callback(pending.discard)
                await asyncio.sleep(max(0.0, start + 10 * (wave + 1) - time.perf_counter()))
                if (wave + 1) % 6 == 0:
                    threads, files = _threads_and_files(pids)
                    sessions, attempts = await asyncio.to_thread(_login_rows, database_url)
                    minute = SoakMinute(
                        minute=(wave + 1) // 6, visits=len(minute_loads) // 2,
                        p95_ms=p95(minute_loads), errors=errors(minute_loads),
                        rss_mb=total_rss_mb(pids), threads=threads, open_files=files,
                        database_mb=_database_mb(database_url), login_sessions=sessions,
                        login_attempts=attempts,
                    )  # fmt: skip
                    result.minutes.append(minute)
                    minute_loads.clear()
                    say(f"  soak minute {minute.minute}: {minute}")
            await asyncio.gather(*pending)

        asyncio.run(run())
    return result


# --- the report -----------------------------------------------------------------------------


def _error_lines(rounds: Sequence[tuple[str, list[tuple[str, int]]]]) -> list[str]:
    """What went wrong, per round that had errors (the commonest texts, with their counts)."""
    lines = []
    for name, kinds in rounds:
        if kinds:
            said = "; ".join(f"{count} × `{text}`" for text, count in kinds)
            lines += ["", f"Errors of *{name}*: {said}."]
    return lines


def report(
    bursts: list[BurstResult],
    mixed: list[MixedResult],
    soaked: SoakResult | None,
    when: str,
    floor_browsing_ms: float = float("nan"),
) -> str:
    lines = [
        "# Scale-out rounds (issue 21)",
        "",
        f"Measured {when} on this machine ({os.cpu_count()} cores) by "
        "`python -m bench.scale_out --write` (part of `make bench`). Each round is served as "
        "`make serve` serves: HAProxy in front of two app processes.",
        "",
        "## 300 users at once through the front door",
        "",
        "| what | users | p95 Overview | p95 board | errors | wall |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for b in bursts:
        lines.append(f"| {b.name} | {b.users} | {b.p95_overview_ms:,.0f} ms | "
                     f"{b.p95_board_ms:,.0f} ms | {b.errors} | {b.wall_s:.1f} s |")  # fmt: skip
    lines += _error_lines([(b.name, b.error_kinds) for b in bursts])
    if len(bursts) == 2:
        floor, app = bursts
        lines += [
            "",
            f"App ÷ floor (p95 Overview): **{app.p95_overview_ms / floor.p95_overview_ms:.1f}×**.",
        ]
    lines += [
        "",
        "## Browsing while writes arrive (target: mixed p95 ≤ 1.5 × read-only p95)",
        "",
        "Each round alternates a read-only half and a half with a write every second, several "
        "times on one cluster; the ratio is the median of the pairs' ratios (one pair's swung "
        "from 0.3× to 6× between runs of the same code).",
        "",
        f"The same browsing on the framework floor, in the same run: p95 {floor_browsing_ms:,.0f} ms.",
        "",
        "| round | users | pairs: read-only → with writes (ratio) | median read-only p95 | ÷ floor | median ratio | errors | met |",
        "|---|---:|---|---:|---:|---:|---:|---|",
    ]
    for row in mixed:
        said = "; ".join(f"{pair.read_only_p95_ms:,.0f} → {pair.mixed_p95_ms:,.0f} ms "
                         f"({pair.ratio:.2f}×)" for pair in row.pairs)  # fmt: skip
        lines.append(f"| {row.name} | {row.users} | {said} | {row.read_only_p95_ms:,.0f} ms | "
                     f"{row.read_only_p95_ms / floor_browsing_ms:.1f}× | "
                     f"**{row.ratio:.2f}×** | {row.errors} | "
                     f"{'yes' if row.met else '**no**'} |")  # fmt: skip
    lines += _error_lines([(row.name, row.error_kinds) for row in mixed])
    if soaked and soaked.minutes:
        last = soaked.minutes[-1]
        rss_ok = soaked.rss_growth_mb <= SOAK_RSS_TARGET_MB
        drift_ok = soaked.p95_drift <= SOAK_DRIFT_TARGET
        lines += [
            "",
            f"## Soak: {len(soaked.minutes)} minutes, 20 new owner visits every 10 s, "
            "the simulator writing every second",
            "",
            f"- RSS growth after minute 5: **{soaked.rss_growth_mb:+.1f} MB** "
            f"(target ≤ {SOAK_RSS_TARGET_MB:.0f} MB: {'met' if rss_ok else '**not met**'})",
            f"- RSS trend from minute 5 (least squares): {soaked.rss_trend_mb_per_hour:+.1f} MB "
            "per hour",
            f"- p95 drift (last 10 minutes vs minutes 5–15): **{soaked.p95_drift:+.1%}** "
            f"(target ≤ {SOAK_DRIFT_TARGET:.0%}: {'met' if drift_ok else '**not met**'})",
            f"- errors: {sum(m.errors for m in soaked.minutes)}; visits: "
            f"{sum(m.visits for m in soaked.minutes):,}",
            f"- at the end: {last.threads} threads, {last.open_files} open files, database "
            f"{last.database_mb:.1f} MB, {last.login_sessions:,} login sessions "
            f"(one per visit: each is a login, alive 7 days; the worker removes them a day "
            f"after they end), {last.login_attempts:,} login attempts",
            "",
            "| minute | visits | p95 | errors | RSS MB | threads | files | database MB | login sessions |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for minute in soaked.minutes:
            lines.append(f"| {minute.minute} | {minute.visits} | {minute.p95_ms:,.0f} ms | {minute.errors} | "
                         f"{minute.rss_mb:.0f} | {minute.threads} | {minute.open_files} | {minute.database_mb:.1f} | "
                         f"{minute.login_sessions:,} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_out", description=__doc__)
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.name}")
    parser.add_argument("--users", type=int, default=300, help="front-door burst (300)")
    parser.add_argument("--browsers", type=int, default=100, help="mixed round (100)")
    parser.add_argument("--seconds", type=float, default=40, help="each half of mixed (40)")
    parser.add_argument("--pairs", type=int, default=3, help="mixed halves alternated (3)")
    parser.add_argument("--soak-minutes", type=int, default=60)
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["door", "mixed", "replica", "soak"]
    )
    args = parser.parse_args(argv)
    from bench.databases import seed_demo
    from tests.support.postgres import PostgresServer

    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    bursts: list[BurstResult] = []
    mixed: list[MixedResult] = []
    soaked: SoakResult | None = None
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as folder:
        media = Path(folder) / "media"
        template = Path(folder) / "demo.db"
        seed_demo(f"sqlite:///{template}", media)

        def fresh_sqlite(name: str) -> str:
            copy = Path(folder) / f"{name}.db"
            shutil.copy(template, copy)
            return f"sqlite:///{copy}"

        if "door" not in args.skip:
            print(f"front door: {args.users} users, floor then app …", flush=True)
            bursts = front_door_round(fresh_sqlite("door"), media, args.users)
        floor_ms = float("nan")
        if "mixed" not in args.skip or "replica" not in args.skip:
            print("floor: the same browsing on the two-page floor …", flush=True)
            floor_ms = floor_browsing_p95(fresh_sqlite("floor"), media, args.browsers, args.seconds)
        if "mixed" not in args.skip:
            print(
                f"mixed: {args.browsers} browsing, {args.seconds:.0f} s + {args.seconds:.0f} s …",
                flush=True,
            )
            mixed.append(
                mixed_round(
                    "SQLite",
                    fresh_sqlite("mixed"),
                    media,
                    args.browsers,
                    args.seconds,
                    pairs=args.pairs,
                )
            )
        if "replica" not in args.skip:
            primary = PostgresServer().start()
            replica = None
            try:
                url = primary.create_database("demo")
                seed_demo(url, media)
                replica = primary.start_replica()
                replica.wait_caught_up(primary)
                print(
                    "replica: the mixed round on PostgreSQL, primary only then replica …",
                    flush=True,
                )
                mixed.append(
                    mixed_round(
                        "PostgreSQL, primary only",
                        url,
                        media,
                        args.browsers,
                        args.seconds,
                        pairs=args.pairs,
                    )
                )
                replica.wait_caught_up(primary)
                mixed.append(mixed_round("PostgreSQL, reads on the replica", url, media,
                                         args.browsers, args.seconds, read_url=replica.url("demo"),
                                         pairs=args.pairs))  # fmt: skip
            finally:
                if replica is not None:
                    replica.stop()
                primary.stop()
        if "soak" not in args.skip:
            print(f"soak: {args.soak_minutes} minutes …", flush=True)
            soaked = soak(fresh_sqlite("soak"), media, args.soak_minutes)
    text_report = report(bursts, mixed, soaked, when, floor_ms)
    print(text_report)
    if args.write:
        RESULTS.write_text(text_report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
