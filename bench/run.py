"""``python -m bench.run [--quick]``: on each engine asked for, seed the demo and (unless
``--quick``) the large dataset, measure pages, queries, the naive baseline and (large, unless
``--no-concurrent``) concurrent sessions against a running server; write bench/RESULTS.md,
results.json and the chart.

Run from the repository root (AppTest reads .streamlit/config.toml from the working directory).
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

from bench import naive, pages, queries, report
from bench.databases import SeedStats, Target, demo_target, large_target
from data_access.db import make_engine

BENCH_DIR = Path(__file__).resolve().parent
LARGE_SQLITE = BENCH_DIR.parent / "data" / "bench" / "large.db"  # seeded once, reused
NAIVE_RUNS_LARGE = 3  # the naive baseline reads millions of rows per run
ROLES = tuple(pages.ROLES)


def quiet_streamlit() -> None:
    """AppTest and cache clearing outside a server log a warning per call."""
    import os

    from streamlit import config, logger

    os.environ["STREAMLIT_LOGGER_LEVEL"] = "error"  # AppTest re-reads the config
    config.set_option("logger.level", "error")
    logger.set_log_level("error")
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def server_version(target: Target) -> str:
    engine = make_engine(target.url)
    try:
        with engine.connect() as conn:
            if target.engine_name == "sqlite":
                return "SQLite " + str(conn.exec_driver_sql("select sqlite_version()").scalar())
            full = str(conn.exec_driver_sql("show server_version").scalar())
            return "PostgreSQL " + full.split()[0]
    finally:
        engine.dispose()


def fresh_floor_ms() -> float:
    from streamlit.testing.v1 import AppTest

    samples = []
    for _ in range(3):
        start = time.perf_counter()
        AppTest.from_file(pages.FLOOR_APP, default_timeout=pages.TIMEOUT_S).run()
        samples.append((time.perf_counter() - start) * 1000)
    return sorted(samples)[1]


def bench_target(
    target: Target,
    *,
    scale: str,
    runs: int,
    roles: tuple[str, ...] = ROLES,
    page_names: list[str] | None = None,
    query_names: list[str] | None = None,
    progress: bool = True,
    naive_runs: int | None = None,
) -> report.EngineResults:
    """Every measurement on one seeded database."""
    with pages.app_environment(target):
        floor = pages.measure_floor(runs)
        results = report.EngineResults(
            engine=target.engine_name,
            scale=scale,
            server_version=server_version(target),
            runs=runs,
            floor=floor,
            fresh_floor_ms=fresh_floor_ms(),
        )
        if progress:
            print(f"[{target.engine_name}] floor warm {floor.warm.median:.1f} ms", flush=True)
        with tempfile.TemporaryDirectory(prefix="owner-dashboard-bench-app-") as folder:
            for role in roles:
                app_floor = pages.measure_app_floor(role, runs, Path(folder))
                results.app_floors[role] = app_floor
                if progress:
                    print(f"  {role:<9} app floor warm {app_floor.warm.median:.1f} ms", flush=True)
                results.pages += pages.measure_role(
                    target, role, runs, page_names, progress=progress
                )
    engine = make_engine(target.url)
    try:
        viewer = pages.viewer_of(target, pages.ROLES["manager"])
        results.queries = queries.measure_queries(engine, viewer, runs, query_names)
        if progress:
            for q in results.queries:
                print(f"  query {q.name:<48} {q.timing.median:7.1f} ms", flush=True)
        results.naive = naive.compare(engine, viewer, naive_runs or runs)
        if progress:
            for n in results.naive:
                print(f"  naive {n.name:<40} ×{n.speedup:.1f} equal={n.equal}", flush=True)
    finally:
        engine.dispose()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="demo scale only (< 5 min)")
    parser.add_argument(
        "--engine", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite"],
        help="one or both engines (PostgreSQL: a temporary server is started)",
    )  # fmt: skip
    parser.add_argument("--runs", type=int, default=10, help="runs per figure (default 10)")
    parser.add_argument("--database-url", help="an already seeded demo database to use instead")
    parser.add_argument(
        "--large-database-url", nargs="+", default=[], metavar="[ENGINE=]URL",
        help="already seeded large database(s) to use: a URL, or ENGINE=URL per engine",
    )  # fmt: skip
    parser.add_argument(
        "--large-media-dir", nargs="+", default=[], metavar="[ENGINE=]DIR",
        help="the photo folder of each --large-database-url (as seeded)",
    )  # fmt: skip
    parser.add_argument("--communities", type=int, default=100, help="large scale (default 100)")
    parser.add_argument("--months", type=int, default=36, help="large scale (default 36)")
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--settle", type=float, default=120.0, help="seconds after sessions")
    parser.add_argument(
        "--processes", type=int, nargs="+", default=[1, 2],
        help="server processes for the concurrent sessions, one run each (default 1 and 2)",
    )  # fmt: skip
    parser.add_argument("--no-concurrent", action="store_true", help="skip concurrent sessions")
    parser.add_argument("--roles", nargs="+", choices=ROLES, default=list(ROLES))
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "RESULTS.md")
    args = parser.parse_args(argv)
    quiet_streamlit()
    if args.database_url and len(args.engine) > 1:
        parser.error("--database-url goes with a single --engine")
    large_urls = large_database_urls(args.large_database_url, args.engine)
    large_media = large_database_urls(args.large_media_dir, args.engine)
    if large_urls is None or large_media is None:
        parser.error("--large-database-url: give ENGINE=URL for each engine when there are two")
    started = time.perf_counter()
    all_results: list[report.EngineResults] = []
    with tempfile.TemporaryDirectory(prefix="owner-dashboard-bench-") as workdir:
        for engine_name in args.engine:
            folder = Path(workdir) / engine_name
            folder.mkdir()
            with demo_target(engine_name, folder, args.database_url) as target:
                print(f"[{engine_name}] demo database ready", flush=True)
                all_results.append(
                    bench_target(target, scale="demo", runs=args.runs, roles=tuple(args.roles))
                )
            if args.quick:
                continue
            print(f"[{engine_name}] large database (seeding takes ~10 min if needed)", flush=True)
            with large_target(
                engine_name, folder, database_url=large_urls.get(engine_name),
                media_dir=Path(large_media[engine_name]) if engine_name in large_media else None,
                sqlite_path=LARGE_SQLITE, communities=args.communities, months=args.months,
            ) as (target, seeded):  # fmt: skip
                print(f"[{engine_name}] large database ready: {describe_seed(seeded)}", flush=True)
                results = bench_target(
                    target, scale="large", runs=args.runs, roles=tuple(args.roles),
                    naive_runs=min(args.runs, NAIVE_RUNS_LARGE),
                )  # fmt: skip
                results.seed = seeded
                if not args.no_concurrent:
                    from bench.concurrent import run_concurrent

                    results.concurrent = [
                        run_concurrent(
                            target.url,
                            target.media_dir,
                            ns=tuple(args.sessions),
                            settle_s=args.settle,
                            processes=processes,
                        )
                        for processes in args.processes
                    ]
                all_results.append(results)
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    chart = report.write_chart(out.parent, all_results)
    report.write_markdown(out, all_results, quick=args.quick, chart=chart)
    report.write_json(out.with_name("results.json"), all_results)
    print(f"wrote {out} in {time.perf_counter() - started:.0f} s", flush=True)
    for r in all_results:
        print(f"\n[{r.engine} · {r.scale}]\n{report.headline(r)}")
    return 0


def large_database_urls(values: list[str], engines: list[str]) -> dict[str, str] | None:
    """``--large-database-url`` values as engine → URL (None when ambiguous)."""
    urls: dict[str, str] = {}
    for value in values:
        engine, sep, url = value.partition("=")
        if sep and engine in ("sqlite", "postgresql"):
            urls[engine] = url
        elif len(engines) == 1:
            urls[engines[0]] = value
        else:
            return None
    return urls


def describe_seed(seeded: SeedStats) -> str:
    if seeded.seconds is None:
        return f"{seeded.rows:,} rows (reused)"
    return (
        f"{seeded.rows:,} rows seeded in {seeded.seconds:.0f} s ({seeded.rows_per_second:,.0f}/s)"
    )


if __name__ == "__main__":
    sys.exit(main())
