"""The concurrent-users benchmark in smoke form: a real server on the demo database, three
simulated users, a one-second settle. No timing targets, only that it measures real pages."""

from __future__ import annotations

from pathlib import Path

from bench import concurrent
from bench.concurrent import BOARD_PATH, OVERVIEW_PATH


def test_four_users_on_two_processes_load_the_logged_in_overview_and_board(
    demo_database_copy: Path, demo_database: Path
) -> None:
    results = concurrent.run_concurrent(
        f"sqlite:///{demo_database_copy}",
        demo_database.parent / "media",
        ns=(4,),
        settle_s=1,
        progress=None,
        processes=2,
    )

    [round_] = results.rounds
    assert (round_.n, results.processes) == (4, 2)
    assert [p.page for p in round_.pages] == [OVERVIEW_PATH, BOARD_PATH]
    for page in round_.pages:
        # A load counts only when its deltas were the logged-in page (no login form, the
        # page's own title text present): errors would carry the reason.
        assert (page.loads, page.errors, page.error_samples) == (4, 0, ())
        assert 0 < page.p50_ms <= page.p95_ms <= page.max_ms
    assert round_.connect.errors == 0
    memory = round_.memory
    assert results.server_start_mb > 0
    assert 0 < memory.before_mb <= memory.peak_mb
    assert memory.mean_mb > 0 and memory.after_close_mb > 0 and memory.after_settle_mb > 0
    assert results.as_dict()["rounds"][0]["memory"]["growth_mb"] >= 0
    # The framework floor ran the same round in the same run, and the headline compares them.
    [floor] = results.floor_rounds
    assert floor.n == 4 and all((p.loads, p.errors) == (4, 0) for p in floor.pages)
    assert floor.server_cpu_s > 0 and round_.server_cpu_s > 0
    ratio = results.cpu_ratio(round_)
    assert ratio is not None and ratio > 1  # the app does more than write one line per page
    assert f"**{ratio:.1f}×** the floor's CPU per session" in concurrent.format_results(results)


def _round(n: int, server_cpu_s: float, p95_ms: float) -> concurrent.RoundResult:
    pages = tuple(
        concurrent.PageStats(page, n, p95_ms / 2, p95_ms, p95_ms, 0)
        for page in (OVERVIEW_PATH, BOARD_PATH)
    )
    memory = concurrent.MemoryStats(1, 1, 1, 1, 1)
    connect = concurrent.PageStats("connect", n, 1, 1, 1, 0)
    return concurrent.RoundResult(n, pages, connect, memory, 1.0, server_cpu_s=server_cpu_s)


def test_the_headline_is_the_apps_cpu_per_session_over_the_floors_at_the_same_n() -> None:
    """100 users: the app used 12.0 s of CPU (120 ms each), the floor 0.6 s (6 ms): 20.0×;
    a round without a floor of its size has no ratio."""
    app, floor = _round(100, 12.0, 3000), _round(100, 0.6, 300)
    results = concurrent.ConcurrentResults(
        "sqlite://", 1, 0, (app, _round(10, 1.0, 100)), floor_rounds=(floor,)
    )
    assert app.cpu_ms_per_session == 120.0 and floor.cpu_ms_per_session == 6.0
    assert results.cpu_ratio(app) == 20.0
    assert results.cpu_ratio(results.rounds[1]) is None
    assert results.as_dict()["cpu_ratios"] == {"100": 20.0, "10": None}
    assert concurrent.headline(results, app) == (
        "N=100: **20.0×** the floor's CPU per session (120 ms vs 6.0 ms); "
        "p95 Overview 3,000 ms (floor 300 ms), board 3,000 ms (floor 300 ms)"
    )


def test_a_user_without_a_valid_cookie_is_reported_as_seeing_the_login_form(
    demo_database_copy: Path, demo_database: Path, tmp_path: Path
) -> None:
    """The check that makes a benchmark of the login page fail loudly really works."""
    url = f"sqlite:///{demo_database_copy}"
    with concurrent.running_server(url, demo_database.parent / "media", tmp_path) as server:
        outcome = concurrent.run_coroutine(
            concurrent.simulate_user(server.port, "not-a-valid-cookie")
        )

    assert outcome.connect.error is None
    overview = outcome.loads[OVERVIEW_PATH]
    assert overview.ms is not None and overview.ms > 0
    assert overview.error == "got the login form: the login cookie was not accepted"
