"""RESULTS.md (machine, versions, date, every figure) and the chart."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import platform
import sqlite3
import subprocess
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from bench.databases import SeedStats
from bench.naive import NaiveResult
from bench.pages import PageResult
from bench.queries import QueryResult

PAGE_TARGET_MS = 250  # warm median of a page (issue 8)
FLOOR_RATIO_TARGET = 3
NAIVE_SPEEDUP_TARGET = 20
GROWTH_TARGET = 1.5  # page time large ÷ demo
COLD_TARGET_MS = 1500
CONCURRENT_P95_TARGET_MS = 3000
MEMORY_GROWTH_TARGET_MB = 150
MEMORY_RETURN_TARGET = 0.2  # back within 20 % of the start


@dataclass
class EngineResults:
    engine: str  # "sqlite" | "postgresql"
    scale: str  # "demo" | "large"
    server_version: str
    runs: int
    floor: PageResult
    fresh_floor_ms: float  # a new AppTest's first run of the floor page (AppTest's own setup)
    pages: list[PageResult] = field(default_factory=list)
    app_floors: dict[str, PageResult] = field(default_factory=dict)  # role → app.py + one line
    queries: list[QueryResult] = field(default_factory=list)
    naive: list[NaiveResult] = field(default_factory=list)
    seed: SeedStats | None = None  # large scale: how the dataset was made
    concurrent: list[Any] = field(default_factory=list)  # bench.concurrent.ConcurrentResults


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = f"{line.split('=', 1)[1].strip(chr(34))} ({platform.release()})"
    except OSError:
        pass
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "CPU": cpu,
        "CPU count": str(os.cpu_count()),
        "RAM": ram,
        "OS": os_name,
        "Load average (1/5/15 min, when written)": load,
    }


def versions() -> dict[str, str]:
    found = {"Python": platform.python_version()}
    for package in ("streamlit", "SQLAlchemy", "pandas", "altair", "psycopg"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    found["SQLite"] = sqlite3.sqlite_version
    found["PostgreSQL"] = postgres_binary_version()
    return found


def postgres_binary_version() -> str:
    try:
        from tests.support.postgres import find_pg_bin

        out = subprocess.run(
            [str(find_pg_bin() / "postgres"), "--version"], capture_output=True, text=True
        )
        return out.stdout.strip().removeprefix("postgres (PostgreSQL) ") or "?"
    except Exception:  # only a label in the report
        return "not installed"


def _ms(value: float) -> str:
    return f"{value:.1f}"


def _mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def page_rows(results: EngineResults) -> list[list[str]]:
    floor_cold, floor_warm = results.floor.cold.median, results.floor.warm.median
    rows = []
    shown: list[PageResult] = [results.floor]
    for role, app_floor in results.app_floors.items():
        shown += [app_floor, *(p for p in results.pages if p.role == role)]
    shown += [p for p in results.pages if p.role not in results.app_floors]
    for r in shown:
        warm = r.warm.median
        role_floor = results.app_floors.get(r.role)
        rows.append(
            [
                r.role,
                r.page,
                _ms(r.cold.median),
                _ms(r.cold.p95),
                _ms(warm),
                _ms(r.warm.p95),
                f"{r.cold.median / floor_cold:.1f}×",
                f"{warm / floor_warm:.1f}×",
                f"{warm / role_floor.warm.median:.1f}×" if role_floor else "",
                _mark(warm <= PAGE_TARGET_MS),
                "; ".join(r.errors) or "",
            ]
        )
    return rows


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def headline(results: EngineResults) -> str:
    warm = [r.warm.median for r in results.pages]
    ratios = [r.warm.median / results.floor.warm.median for r in results.pages]
    slowest = max(results.pages, key=lambda r: r.warm.median) if results.pages else None
    lines = []
    if slowest is not None:
        over = sum(1 for w in warm if w > PAGE_TARGET_MS)
        lines.append(
            f"- Warm median per page: {min(warm):.0f}–{max(warm):.0f} ms "
            f"(slowest: {slowest.role} {slowest.page}); {over} of {len(warm)} over the "
            f"{PAGE_TARGET_MS} ms target."
        )
        within = sum(1 for x in ratios if x <= FLOOR_RATIO_TARGET)
        lines.append(
            f"- Ratio to the floor (warm): {min(ratios):.1f}×–{max(ratios):.1f}×; {within} of "
            f"{len(ratios)} pages within {FLOOR_RATIO_TARGET}× (floor: "
            f"{results.floor.warm.median:.1f} ms per rerun)."
        )
    if results.app_floors and results.pages:
        app_ratios = [
            r.warm.median / results.app_floors[r.role].warm.median
            for r in results.pages
            if r.role in results.app_floors
        ]
        floors = ", ".join(f"{k} {v.warm.median:.1f} ms" for k, v in results.app_floors.items())
        within = sum(1 for x in app_ratios if x <= FLOOR_RATIO_TARGET)
        lines.append(
            f"- Ratio to the app floor (app.py with a one-line page; {floors}): "
            f"{min(app_ratios):.1f}×–{max(app_ratios):.1f}×; {within} of {len(app_ratios)} "
            f"pages within {FLOOR_RATIO_TARGET}×."
        )
    for n in results.naive:
        lines.append(
            f"- Naive baseline, {n.name}: {n.speedup:.1f}× slower than the real query "
            f"(target ≥ {NAIVE_SPEEDUP_TARGET}×: {_mark(n.speedup >= NAIVE_SPEEDUP_TARGET)}); "
            f"same figures: {_mark(n.equal)}."
        )
    return "\n".join(lines)


def engine_section(results: EngineResults) -> str:
    title = f"## {results.engine} · {results.scale} ({results.server_version})"
    pages = _table(
        ["role", "page", "cold median ms", "cold p95 ms", "warm median ms", "warm p95 ms",
         "cold ÷ floor", "warm ÷ floor", "warm ÷ app floor", f"warm ≤ {PAGE_TARGET_MS} ms", "errors"],
        page_rows(results),
    )  # fmt: skip
    queries = _table(
        ["query", "median ms", "p95 ms", "rows"],
        [
            [q.name, _ms(q.timing.median), _ms(q.timing.p95), "" if q.rows is None else str(q.rows)]
            for q in results.queries
        ],
    )
    naive = _table(
        ["figures", "real median ms", "naive median ms", "speed-up", "same figures"],
        [
            [n.name, _ms(n.real_ms), _ms(n.naive_ms), f"{n.speedup:.1f}×", _mark(n.equal)]
            for n in results.naive
        ],
    )
    return "\n\n".join(
        part
        for part in [
            title,
            seed_line(results),
            f"Runs per figure: {results.runs}. A new AppTest's first run of the floor page "
            f"takes {results.fresh_floor_ms:.0f} ms (AppTest's own setup; not used as the floor).",
            "**Headline**\n\n" + headline(results),
            "### Pages (server-side run time per role)",
            pages,
            "### Queries alone (one short session per call, no Streamlit cache)",
            queries,
            "### Naive baseline (whole tables into pandas, filtered in memory)",
            naive,
            concurrent_section(results),
        ]
        if part
    )


def growth_section(all_results: list[EngineResults]) -> str:
    """Per engine: each page's median on the large dataset ÷ on the demo (cold and warm)."""
    parts = ["## Growth: large ÷ demo (same engine, same page and role)"]
    for engine in dict.fromkeys(r.engine for r in all_results):
        by_scale = {r.scale: r for r in all_results if r.engine == engine}
        if "demo" not in by_scale or "large" not in by_scale:
            continue
        demo = {(p.role, p.page): p for p in by_scale["demo"].pages}
        rows = []
        worst_warm = 0.0
        for p in by_scale["large"].pages:
            base = demo.get((p.role, p.page))
            if base is None:
                continue
            cold, warm = p.cold.median / base.cold.median, p.warm.median / base.warm.median
            worst_warm = max(worst_warm, warm)
            rows.append(
                [p.role, p.page, _ms(base.cold.median), _ms(p.cold.median), f"{cold:.2f}×",
                 _ms(base.warm.median), _ms(p.warm.median), f"{warm:.2f}×",
                 _mark(warm <= GROWTH_TARGET), _mark(p.cold.median <= COLD_TARGET_MS)]
            )  # fmt: skip
        over = sum(1 for row in rows if row[8] == "❌")
        parts.append(
            f"### {engine}\n\nWarm growth up to {worst_warm:.2f}× ({over} of {len(rows)} pages "
            f"over {GROWTH_TARGET}×).\n\n"
            + _table(
                [
                    "role",
                    "page",
                    "demo cold ms",
                    "large cold ms",
                    "cold growth",
                    "demo warm ms",
                    "large warm ms",
                    "warm growth",
                    f"warm ≤ {GROWTH_TARGET}×",
                    f"large cold ≤ {COLD_TARGET_MS} ms",
                ],
                rows,
            )
        )
    return "\n\n".join(parts) if len(parts) > 1 else ""


def seed_line(results: EngineResults) -> str:
    seed = results.seed
    if seed is None:
        return ""
    if seed.seconds is None:
        return f"Large dataset: {seed.rows:,} rows (an existing database, reused; not timed here)."
    return (
        f"Large dataset: {seed.rows:,} rows seeded in {seed.seconds:.0f} s "
        f"({seed.rows_per_second:,.0f} rows/s) by `seed --scale large`."
    )


def concurrent_section(results: EngineResults) -> str:
    return "\n\n".join(concurrent_table(results, found) for found in results.concurrent)


def concurrent_table(results: EngineResults, found: Any) -> str:
    rows = []
    for r in found.rounds:
        memory = r.memory
        back = memory.after_settle_mb <= memory.before_mb * (1 + MEMORY_RETURN_TARGET)
        for page in r.pages:
            rows.append(
                [str(r.n), page.page, str(page.loads), _ms(page.p50_ms), _ms(page.p95_ms),
                 _ms(page.max_ms), str(page.errors), _mark(page.p95_ms <= CONCURRENT_P95_TARGET_MS
                 and page.errors == 0),
                 f"{memory.before_mb:.0f}", f"{memory.peak_mb:.0f}", f"{memory.after_close_mb:.0f}",
                 f"{memory.after_settle_mb:.0f}",
                 _mark(memory.growth_mb <= MEMORY_GROWTH_TARGET_MB), _mark(back)]
            )  # fmt: skip
    notes = "\n".join(f"- {note}" for note in getattr(found, "notes", ()))
    return (
        f"### Concurrent sessions against a running server ({results.engine} · {results.scale}, "
        f"{found.processes} server process{'es' if found.processes > 1 else ''})"
        f"\n\nEach round: N simulated users connect at once over Streamlit's websocket, load the "
        f"Overview, then the work-order board; time = request sent → `script_finished` received "
        f"(every element delivered). Warm-up: {found.warm_up}. Memory = server RSS; after = "
        f"{found.settle_s:.0f} s after the sessions closed.\n\n"
        + _table(
            [
                "N",
                "page",
                "loads",
                "p50 ms",
                "p95 ms",
                "max ms",
                "errors",
                f"p95 ≤ {CONCURRENT_P95_TARGET_MS} ms",
                "RSS before MB",
                "RSS peak MB",
                "RSS at close MB",
                "RSS after MB",
                f"growth ≤ {MEMORY_GROWTH_TARGET_MB} MB",
                "back within 20 %",
            ],
            rows,
        )
        + (f"\n\n{notes}" if notes else "")
    )


def targets_section(all_results: list[EngineResults]) -> str:
    """The issue's targets against the large-scale figures, one line each per engine."""
    rows = []
    for large in (r for r in all_results if r.scale == "large"):
        demo = next(
            (r for r in all_results if r.engine == large.engine and r.scale == "demo"), None
        )
        owner = [p for p in large.pages if p.role == "owner"]
        if not owner:
            continue
        warm = max(owner, key=lambda p: p.warm.median)
        cold = max(large.pages, key=lambda p: p.cold.median)
        floor = large.floor.warm.median
        app_floor = large.app_floors.get("owner")
        within = sum(1 for p in owner if p.warm.median <= FLOOR_RATIO_TARGET * floor)
        within_app = (
            sum(1 for p in owner if p.warm.median <= FLOOR_RATIO_TARGET * app_floor.warm.median)
            if app_floor
            else 0
        )
        engine = large.engine
        rows += [
            [engine, f"warm median ≤ {PAGE_TARGET_MS} ms, owner pages",
             f"slowest {warm.page} {warm.warm.median:.0f} ms", _mark(warm.warm.median <= PAGE_TARGET_MS)],
            [engine, f"warm ≤ {FLOOR_RATIO_TARGET}× floor, owner pages",
             f"{within} of {len(owner)} within {FLOOR_RATIO_TARGET}× the one-line page "
             f"({floor:.1f} ms); {within_app} of {len(owner)} within {FLOOR_RATIO_TARGET}× the app "
             f"floor ({app_floor.warm.median if app_floor else 0:.1f} ms)",
             _mark(within == len(owner))],
            [engine, f"cold ≤ {COLD_TARGET_MS} ms, every page",
             f"slowest {cold.role} {cold.page} {cold.cold.median:.0f} ms",
             _mark(cold.cold.median <= COLD_TARGET_MS)],
        ]  # fmt: skip
        if demo is not None:
            base = {(p.role, p.page): p for p in demo.pages}
            pairs = [(p, base[(p.role, p.page)]) for p in large.pages if (p.role, p.page) in base]
            warm_growth = max(p.warm.median / b.warm.median for p, b in pairs)
            worst = max(pairs, key=lambda pb: pb[0].cold.median / pb[1].cold.median)
            cold_growth = worst[0].cold.median / worst[1].cold.median
            rows.append(
                [engine, f"growth large ÷ demo ≤ {GROWTH_TARGET}× per page",
                 f"warm up to {warm_growth:.2f}×; cold up to {cold_growth:.2f}× "
                 f"({worst[0].role} {worst[0].page})",
                 _mark(warm_growth <= GROWTH_TARGET and cold_growth <= GROWTH_TARGET)]
            )  # fmt: skip
        for n in large.naive:
            rows.append(
                [engine, f"naive ÷ real ≥ {NAIVE_SPEEDUP_TARGET}×, {n.name}",
                 f"{n.speedup:.0f}× (same figures: {_mark(n.equal)})",
                 _mark(n.speedup >= NAIVE_SPEEDUP_TARGET and n.equal)]
            )  # fmt: skip
        for found in large.concurrent:
            for r in found.rounds:
                if r.n != max(x.n for x in found.rounds):
                    continue
                p95 = max(page.p95_ms for page in r.pages)
                errors = sum(page.errors for page in r.pages)
                m = r.memory
                back = m.after_settle_mb <= m.before_mb * (1 + MEMORY_RETURN_TARGET)
                rows += [
                    [engine, f"{r.n} sessions, {found.processes} process(es): p95 ≤ "
                     f"{CONCURRENT_P95_TARGET_MS / 1000:.0f} s",
                     f"p95 {p95 / 1000:.1f} s, {errors} errors",
                     _mark(p95 <= CONCURRENT_P95_TARGET_MS and errors == 0)],
                    [engine, f"{r.n} sessions, {found.processes} process(es): memory",
                     f"+{m.growth_mb:.0f} MB; {found.settle_s:.0f} s after: "
                     f"{(m.after_settle_mb / m.before_mb - 1) * 100:+.0f} % of the start",
                     _mark(m.growth_mb <= MEMORY_GROWTH_TARGET_MB and back)],
                ]  # fmt: skip
    if not rows:
        return ""
    return "## Targets (large dataset)\n\n" + _table(["engine", "target", "measured", ""], rows)


METHOD = """\
## Method

- **Pages**: AppTest (`streamlit.testing`) runs `app.py` in this process, logged in through the
  real form as `owner_a`, `committee_a`, `manager_a`; each page the role may open
  (`ui.navigation.PAGES`; detail pages with an open order / ticket of the viewer) is selected with
  `switch_page` and rerun. *Cold*: `st.cache_data` is emptied before each run (the engine in
  `st.cache_resource` stays, as on a server that has served someone already). *Warm*: plain
  reruns with full caches. Time = wall time of `AppTest.run()` (script run + element
  collection), server side only — no browser, no network.
- **Floor**: `bench/floor_app.py`, one `st.write`, measured the same way (reruns of a loaded
  AppTest). Ratios are page median ÷ floor median of the same kind (cold/warm). A rerun of a
  loaded AppTest costs only a few ms, so this floor is Streamlit's bare per-run cost.
- **App floor**: `app.py` with `page.run()` replaced by one `st.write` (generated from the current
  app.py), logged in as the same role: the per-run cost every page shares (settings, login
  check, unread count, menu, sidebar). "warm ÷ app floor" is what the page adds.
- **Clock**: fixed at the demo's moment (2026-11-20 20:00 Asia/Shanghai), as in the page tests.
- **Queries**: the `data_access` function alone, one session per call, after one untimed call.
- **Naive baseline**: `bench/naive.py` reads the whole tables with `pandas.read_sql_table` and
  filters/groups in pandas; the benchmark checks it gives the same figures as the real query.
- Medians and p95 (nearest rank: with 10 runs, p95 is the slowest run).
- The 2 cores are shared with other jobs (see the load average): figures are upper bounds and
  vary by ±30 % between runs; compare pages within one run rather than across runs.
"""


def sync_section(sync_results: Path) -> str:
    """The sync-at-scale table (``bench.sync_scale``, measured apart: its own command)."""
    if not sync_results.exists():
        return ""
    lines = sync_results.read_text(encoding="utf-8").splitlines()
    body = "\n".join(lines[1:]).strip()  # without its own title
    return "## Sync at scale (HC → ours)\n\n" + body + "\n\nFrom [SYNC.md](SYNC.md)."


def session_cost_section(cost_results: Path) -> str:
    """A new owner's visit against the floor (``bench.session_cost``): issue 25's headline."""
    if not cost_results.exists():
        return ""
    lines = cost_results.read_text(encoding="utf-8").splitlines()
    body = "\n".join(lines[1:]).strip()
    return (
        "## A new owner's visit (issue 25)\n\n" + body
        + "\n\nFrom [SESSION_COST.md](SESSION_COST.md)."
    )  # fmt: skip


def scale_out_section(scale_results: Path) -> str:
    """The scale-out rounds (``bench.scale_out``: front door, mixed load, replica, soak)."""
    if not scale_results.exists():
        return ""
    lines = scale_results.read_text(encoding="utf-8").splitlines()
    body = "\n".join(lines[1:]).strip().replace("\n## ", "\n### ")  # one level down
    return "## Scale-out (issue 21)\n\n" + body + "\n\nFrom [SCALE_OUT.md](SCALE_OUT.md)."


def write_markdown(
    path: Path,
    all_results: list[EngineResults],
    *,
    quick: bool,
    chart: str,
    measured: tuple[dt.datetime, dict[str, str], dict[str, str]] | None = None,
) -> None:
    """``measured``: (when, machine, versions) of a run re-rendered from results.json."""
    when, info, vers = measured or (dt.datetime.now(dt.UTC), machine(), versions())
    parts = [
        "# Benchmark results",
        f"Generated by `python -m bench.run{' --quick' if quick else ''}` on "
        f"{when:%Y-%m-%d %H:%M} UTC. Targets (issue 8): warm page median ≤ "
        f"{PAGE_TARGET_MS} ms, ≤ {FLOOR_RATIO_TARGET}× the framework floor, naive baseline ≥ "
        f"{NAIVE_SPEEDUP_TARGET}× slower.",
        "## Machine\n\n" + _table(["", ""], [[k, v] for k, v in info.items()]),
        "## Versions\n\n" + _table(["", ""], [[k, v] for k, v in vers.items()]),
        f"Chart: {chart}",
        session_cost_section(path.with_name("SESSION_COST.md")),
        targets_section(all_results),
        *(engine_section(r) for r in all_results),
        growth_section(all_results),
        sync_section(path.with_name("SYNC.md")),
        scale_out_section(path.with_name("SCALE_OUT.md")),
        METHOD,
    ]
    path.write_text("\n\n".join(part for part in parts if part) + "\n", encoding="utf-8")


def write_json(path: Path, all_results: list[EngineResults]) -> None:
    """Every sample, for later comparison (growth, regressions)."""
    data = {
        "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(),
        "engines": [_as_dict(r) for r in all_results],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _as_dict(results: EngineResults) -> dict[str, Any]:
    data = dataclasses.asdict(dataclasses.replace(results, concurrent=[]))
    data["concurrent"] = [found.as_dict() for found in results.concurrent]
    return data


def load_json(path: Path) -> tuple[list[EngineResults], tuple[dt.datetime, dict, dict]]:
    """A results.json back as EngineResults (concurrent rounds as attribute namespaces), with
    when/where it was measured: RESULTS.md can be re-rendered without measuring again."""
    from types import SimpleNamespace

    from bench.stats import Timing

    def page(d: dict[str, Any]) -> PageResult:
        return PageResult(
            d["role"], d["page"], Timing(tuple(d["cold"]["samples_ms"])),
            Timing(tuple(d["warm"]["samples_ms"])), tuple(d["errors"]),
        )  # fmt: skip

    def namespace(value: Any) -> Any:
        if isinstance(value, dict):
            return SimpleNamespace(**{k: namespace(v) for k, v in value.items()})
        if isinstance(value, list):
            return tuple(namespace(v) for v in value)
        return value

    data = json.loads(path.read_text(encoding="utf-8"))
    results = [
        EngineResults(
            engine=e["engine"],
            scale=e["scale"],
            server_version=e["server_version"],
            runs=e["runs"],
            floor=page(e["floor"]),
            fresh_floor_ms=e["fresh_floor_ms"],
            pages=[page(p) for p in e["pages"]],
            app_floors={role: page(p) for role, p in e["app_floors"].items()},
            queries=[
                QueryResult(q["name"], Timing(tuple(q["timing"]["samples_ms"])), q["rows"])
                for q in e["queries"]
            ],
            naive=[NaiveResult(**n) for n in e["naive"]],
            seed=SeedStats(**e["seed"]) if e.get("seed") else None,
            concurrent=[namespace(c) for c in e.get("concurrent", [])],
        )
        for e in data["engines"]
    ]
    when = dt.datetime.fromisoformat(data["written_at"])
    return results, (when, data["machine"], data["versions"])


def chart_frame(all_results: list[EngineResults]) -> pd.DataFrame:
    rows = []
    for r in all_results:
        for p in r.pages:
            for kind, timing in (("cold", p.cold), ("warm", p.warm)):
                rows.append(
                    {
                        "engine": f"{r.engine} · {r.scale}",
                        "role": p.role,
                        "page": p.page.removesuffix(".py"),
                        "kind": kind,
                        "median_ms": round(timing.median, 2),
                    }
                )
    return pd.DataFrame(rows)


def write_chart(folder: Path, all_results: list[EngineResults]) -> str:
    """The pages' medians as grouped bars; PNG when vl-convert is installed, else HTML.
    Returns a short description for the report."""
    frame = chart_frame(all_results)
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("page:N", title=None),
            x=alt.X("median_ms:Q", title="median run time (ms)"),
            color=alt.Color("kind:N", title=None),
            yOffset="kind:N",
            row=alt.Row("role:N", title=None),
            column=alt.Column("engine:N", title=None),
            tooltip=["engine", "role", "page", "kind", "median_ms"],
        )
        .properties(width=260)
        .resolve_scale(y="independent")
    )
    try:
        import vl_convert  # noqa: F401

        chart.save(str(folder / "results.png"), scale_factor=1.5)
        return "[results.png](results.png)"
    except ImportError:
        chart.save(str(folder / "results.html"))
        return (
            "[results.html](results.html) (Vega-Lite; open in a browser — PNG needs "
            "`vl-convert-python`, which is not installed)"
        )


def rerender(results_md: Path) -> None:
    """Re-write ``results_md`` (and its chart) from the results.json beside it, with the
    sections measured apart (sync, scale-out, a new visit's cost) as they now are."""
    source = results_md.with_name("results.json")
    loaded, measured = load_json(source)
    write_markdown(
        results_md, loaded, quick=False, chart=write_chart(source.parent, loaded),
        measured=measured,
    )  # fmt: skip


if __name__ == "__main__":  # re-render RESULTS.md and the chart from results.json
    import sys

    source = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "results.json"
    rerender(source.with_name("RESULTS.md"))
    print(f"wrote {source.with_name('RESULTS.md')}")
