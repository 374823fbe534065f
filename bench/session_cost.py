"""What a new owner's visit costs against the framework's floor (issue 25): bench/SESSION_COST.md.

For each engine (SQLite, PostgreSQL) and scale (demo, large), ``--owners`` owners (100) open the
Overview and then the work-order board at once on **one** server process, each a new session
(``bench.concurrent``'s websocket users; a fresh server per round, one untimed warm-up visit
first). Just before, the same round runs on the framework floor (``bench/floor_two_pages.py``:
the same two URL paths, one line each) on the same database. The figure is the servers' CPU per
visit, app ÷ floor; the pair is repeated ``--repeats`` times (3) and the median taken, because
this machine's noise moves one round by ±15 % (the floor's own CPU per visit included).

Targets: the median ratio ≤ 8× and the Overview's and the board's p95 ≤ 3 s, in every
configuration. The headline is the worst configuration's median ratio.

``python -m bench.session_cost --write`` measures all four and writes bench/SESSION_COST.md
(spliced into bench/RESULTS.md under its own heading by ``bench.report``); the large SQLite
database is the one ``bench.run`` seeds into data/bench/ and reuses.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.concurrent import (
    BOARD_PATH,
    OVERVIEW_PATH,
    ConcurrentResults,
    format_results,
    run_concurrent,
)

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "SESSION_COST.md"
RESULTS_JSON = BENCH_DIR / "session_cost.json"  # the rows of RESULTS, for a partial run
RATIO_TARGET = 8.0
P95_TARGET_MS = 3000.0
SETTLE_S = 5.0  # memory is bench.run's concern; this round is about CPU and waits


@dataclass(frozen=True)
class Pair:
    """One floor round and one app round, same N, same database, one after the other."""

    app_ms: float  # server CPU per visit
    floor_ms: float
    p95_overview_ms: float
    p95_board_ms: float
    floor_p95_overview_ms: float
    errors: int

    @property
    def ratio(self) -> float:
        return self.app_ms / self.floor_ms

    @classmethod
    def of(cls, results: ConcurrentResults) -> Pair:
        (app,) = results.rounds
        floor = results.floor_of(app)
        if floor is None:
            raise ValueError("the round ran without the floor")
        errors = sum(p.errors for p in (*app.pages, app.connect, *floor.pages, floor.connect))
        return cls(
            app_ms=app.cpu_ms_per_session,
            floor_ms=floor.cpu_ms_per_session,
            p95_overview_ms=app.p95_ms(OVERVIEW_PATH),
            p95_board_ms=app.p95_ms(BOARD_PATH),
            floor_p95_overview_ms=floor.p95_ms(OVERVIEW_PATH),
            errors=errors,
        )


@dataclass(frozen=True)
class Configuration:
    """The pairs measured on one engine at one scale."""

    engine: str
    scale: str
    rows: int
    owners: int
    pairs: tuple[Pair, ...]
    measured: str = ""  # when, and the code's commit

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Configuration:
        fields = {name: value for name, value in data.items() if name != "pairs"}
        return cls(pairs=tuple(Pair(**pair) for pair in data["pairs"]), **fields)

    @property
    def ratio(self) -> float:
        return statistics.median(pair.ratio for pair in self.pairs)

    @property
    def p95_overview_ms(self) -> float:
        return statistics.median(pair.p95_overview_ms for pair in self.pairs)

    @property
    def p95_board_ms(self) -> float:
        return statistics.median(pair.p95_board_ms for pair in self.pairs)

    @property
    def errors(self) -> int:
        return sum(pair.errors for pair in self.pairs)

    @property
    def ratio_met(self) -> bool:
        return self.ratio <= RATIO_TARGET

    @property
    def waits_met(self) -> bool:
        return max(self.p95_overview_ms, self.p95_board_ms) <= P95_TARGET_MS


def measure(
    url: str, media_dir: Path, *, owners: int, repeats: int, say: Callable[[str], None] = print
) -> tuple[Pair, ...]:
    """``repeats`` floor-then-app pairs of ``owners`` new visits at once on one process."""
    pairs = []
    for number in range(repeats):
        results = run_concurrent(
            url, media_dir, ns=(owners,), settle_s=SETTLE_S, progress=None, processes=1
        )
        pair = Pair.of(results)
        say(
            f"    pair {number + 1}: {pair.ratio:.1f}× ({pair.app_ms:.0f} / {pair.floor_ms:.1f} ms)"
        )
        if pair.errors:
            say(format_results(results))
        pairs.append(pair)
    return tuple(pairs)


def _yes(met: bool) -> str:
    return "yes" if met else "**no**"


def report(configurations: Sequence[Configuration]) -> str:
    """The Markdown of bench/SESSION_COST.md (its first line is its title)."""
    worst = max(configurations, key=lambda c: c.ratio)
    all_met = all(c.ratio_met and c.waits_met and not c.errors for c in configurations)
    lines = [
        "# A new owner's visit against the framework's floor (issue 25)",
        "",
        f"**Headline: {worst.ratio:.1f}× the floor's server CPU per visit** (the largest of the "
        f"{len(configurations)} configurations' medians: {worst.engine} · {worst.scale}; "
        f"target ≤ {RATIO_TARGET:.0f}×). Every target met: {_yes(all_met)}.",
        "",
        f"Measured on this machine ({os.cpu_count()} cores) by "
        "`python -m bench.session_cost --write` (part of `make bench`; a run of some "
        "configurations replaces only their rows, each row says when and on which code). Each "
        "pair: N owners, each a new session, open the Overview and then the work-order board at "
        "once on one server process; the same round on the two-page floor app just before it; "
        "CPU = the server's, per visit. The median of the pairs is the configuration's figure.",
        "",
        "| engine | scale | rows | owners at once | pairs: app ÷ floor (ms per visit) "
        "| median ÷ floor | p95 Overview | p95 board | errors | ≤ 8× | p95 ≤ 3 s | measured |",
        "|---|---|---:|---:|---|---:|---:|---:|---:|---|---|---|",
    ]
    for c in configurations:
        said = "; ".join(f"{p.ratio:.1f}× ({p.app_ms:.0f} / {p.floor_ms:.1f})" for p in c.pairs)
        lines.append(
            f"| {c.engine} | {c.scale} | {c.rows:,} | {c.owners} | {said} | **{c.ratio:.1f}×** "
            f"| {c.p95_overview_ms:,.0f} ms | {c.p95_board_ms:,.0f} ms | {c.errors} "
            f"| {_yes(c.ratio_met)} | {_yes(c.waits_met)} | {c.measured} |"
        )
    floor_waits = [p.floor_p95_overview_ms for c in configurations for p in c.pairs]
    lines += [
        "",
        f"The floor's own p95 Overview in these rounds: {min(floor_waits):,.0f}–"
        f"{max(floor_waits):,.0f} ms.",
    ]
    return "\n".join(lines) + "\n"


ORDER = [(engine, scale) for engine in ("sqlite", "postgresql") for scale in ("demo", "large")]


def merged(
    earlier: Sequence[Configuration], measured: Sequence[Configuration]
) -> list[Configuration]:
    """The configurations just measured, and the earlier ones not measured again, in order."""
    by_kind = {(c.engine, c.scale): c for c in earlier}
    by_kind.update({(c.engine, c.scale): c for c in measured})
    return [by_kind[kind] for kind in ORDER if kind in by_kind]


def load(path: Path) -> list[Configuration]:
    if not path.exists():
        return []
    return [Configuration.from_dict(data) for data in json.loads(path.read_text("utf-8"))]


def save(path: Path, configurations: Sequence[Configuration]) -> None:
    data = [asdict(c) for c in configurations]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _commit() -> str:
    import subprocess

    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=BENCH_DIR, capture_output=True,
            text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.session_cost", description=__doc__)
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.name}")
    parser.add_argument("--engine", nargs="+", choices=["sqlite", "postgresql"],
                        default=["sqlite", "postgresql"])  # fmt: skip
    parser.add_argument("--scale", nargs="+", choices=["demo", "large"], default=["demo", "large"])
    parser.add_argument("--owners", type=int, default=100, help="new visits at once (100)")
    parser.add_argument("--repeats", type=int, default=3, help="floor/app pairs (3)")
    parser.add_argument("--communities", type=int, default=100, help="large scale (100)")
    parser.add_argument("--months", type=int, default=36, help="large scale (36)")
    args = parser.parse_args(argv)
    from bench.databases import demo_target, large_target, row_count
    from bench.run import LARGE_SQLITE, quiet_streamlit

    quiet_streamlit()
    measured_at = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {_commit()}"
    configurations: list[Configuration] = []
    with tempfile.TemporaryDirectory(prefix="bench-session-cost-") as workdir:
        for engine in args.engine:
            folder = Path(workdir) / engine
            folder.mkdir()
            if "demo" in args.scale:
                with demo_target(engine, folder) as target:
                    print(
                        f"[{engine} · demo] {args.repeats} pairs of {args.owners} owners",
                        flush=True,
                    )
                    pairs = measure(target.url, target.media_dir, owners=args.owners,
                                    repeats=args.repeats)  # fmt: skip
                    rows = row_count(target.url)
                    configurations.append(
                        Configuration(engine, "demo", rows, args.owners, pairs, measured_at)
                    )
            if "large" in args.scale:
                with large_target(
                    engine, folder, sqlite_path=LARGE_SQLITE, communities=args.communities,
                    months=args.months,
                ) as (target, seeded):  # fmt: skip
                    print(
                        f"[{engine} · large] {args.repeats} pairs of {args.owners} owners",
                        flush=True,
                    )
                    pairs = measure(target.url, target.media_dir, owners=args.owners,
                                    repeats=args.repeats)  # fmt: skip
                    configurations.append(
                        Configuration(engine, "large", seeded.rows, args.owners, pairs, measured_at)
                    )
    print(report(configurations))
    if args.write:
        kept = merged(load(RESULTS_JSON), configurations)
        save(RESULTS_JSON, kept)
        RESULTS.write_text(report(kept), encoding="utf-8")
        from bench.report import rerender

        rerender(BENCH_DIR / "RESULTS.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
