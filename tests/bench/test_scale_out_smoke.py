"""The scale-out rounds in smoke form (bench/scale_out.py): the front door with the floor and
the app, the mixed round with the simulator writing, and the soak's figures from minutes made
by hand. No timing targets here: ``make bench`` measures them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import scale_out
from bench.scale_out import SoakMinute, SoakResult


def test_the_front_door_round_serves_the_floor_and_the_app(
    demo_database_copy: Path, demo_database: Path
) -> None:
    floor, app = scale_out.front_door_round(
        f"sqlite:///{demo_database_copy}", demo_database.parent / "media", users=4
    )
    for result in (floor, app):
        assert result.users == 4 and result.errors == 0
        assert result.p95_overview_ms > 0 and result.p95_board_ms > 0
    assert "floor" in floor.name and "app" in app.name


def test_the_mixed_round_browses_before_and_while_the_simulator_writes(
    demo_database_copy: Path, demo_database: Path
) -> None:
    result = scale_out.mixed_round(
        "smoke", f"sqlite:///{demo_database_copy}", demo_database.parent / "media", users=2,
        seconds=3, warm_up_s=1, pairs=2, simulator_start_s=1, settle_s=1,
    )  # fmt: skip
    assert result.errors == 0 and len(result.pairs) == 2
    for pair in result.pairs:
        assert pair.read_only_loads >= 2 and pair.mixed_loads >= 2  # each tab's first page
        assert pair.read_only_p95_ms > 0 and pair.mixed_p95_ms > 0


def test_the_mixed_ratio_is_the_median_of_the_pairs() -> None:
    pairs = [scale_out.MixedPair(100, 600, 50, 50),  # 6×: one pair thrown by the machine
             scale_out.MixedPair(200, 260, 50, 50),  # 1.3×
             scale_out.MixedPair(400, 480, 50, 50)]  # 1.2×  # fmt: skip
    result = scale_out.MixedResult("hand", users=2, seconds=4, pairs=pairs, errors=0)
    assert result.ratio == pytest.approx(1.3)
    assert result.read_only_p95_ms == 200 and result.mixed_p95_ms == 480
    assert result.met
    assert not scale_out.MixedResult("hand", 2, 4, pairs, errors=1).met


def minute(number: int, rss: float, p95: float) -> SoakMinute:
    return SoakMinute(minute=number, visits=120, p95_ms=p95, errors=0, rss_mb=rss, threads=12,
                      open_files=40, database_mb=30.0, login_sessions=120 * number,
                      login_attempts=0)  # fmt: skip


def test_soak_growth_counts_from_minute_five_and_drift_compares_medians() -> None:
    # RSS climbs 10 MB a minute while warming up (minutes 1-4), then 0.5 MB a minute.
    rss = {n: 400 + 10 * min(n, 5) + 0.5 * max(0, n - 5) for n in range(1, 31)}
    # p95: 200 ms in minutes 5-14 (median 200), 220 ms in the last ten (median 220).
    p95 = {n: 200.0 if n < 21 else 220.0 for n in range(1, 31)}
    soaked = SoakResult([minute(n, rss[n], p95[n]) for n in range(1, 31)])
    assert soaked.rss_growth_mb == pytest.approx(0.5 * 25)  # 450 at minute 5 → 462.5 at 30
    assert soaked.rss_trend_mb_per_hour == pytest.approx(0.5 * 60)  # a straight line from 5
    assert soaked.p95_drift == pytest.approx(0.10)


def test_errors_are_reported_by_kind_commonest_first() -> None:
    from bench.concurrent import PageLoad

    loads = [
        PageLoad(error="timeout after 60 s"),
        PageLoad(ms=120.0),
        PageLoad(error="connect: OSError: [Errno 111] refused"),
        PageLoad(error="timeout after 60 s"),
    ]
    assert scale_out.error_kinds(loads) == [
        ("timeout after # s", 2),
        ("connect: OSError: [Errno #] refused", 1),
    ]
    lines = scale_out._error_lines([("app", scale_out.error_kinds(loads)), ("floor", [])])
    assert lines == [
        "",
        "Errors of *app*: 2 × `timeout after # s`; 1 × `connect: OSError: [Errno #] refused`.",
    ]


def test_the_rss_trend_sees_through_one_minutes_swing() -> None:
    # Flat at 600 MB from minute 5, but the last sample swings up 12 MB: the rule of the issue
    # (last minus minute 5) reads +12; the least-squares trend over minutes 5-30 stays small:
    # x̄ = 17.5, Σ(x - x̄)² = 1462.5, Σ(x - x̄)(y - ȳ) = 12 · (30 - 17.5) = 150 → 0.1026 MB/min.
    rss = {n: 600.0 for n in range(1, 31)} | {30: 612.0}
    soaked = SoakResult([minute(n, rss[n], 200.0) for n in range(1, 31)])
    assert soaked.rss_growth_mb == pytest.approx(12.0)
    assert soaked.rss_trend_mb_per_hour == pytest.approx(150 / 1462.5 * 60)
