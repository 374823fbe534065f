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
