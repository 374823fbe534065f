"""Server-side run time of every page per role, through AppTest (the script run, no browser).

One AppTest per role logs in through the real form once; then, per page, ``cold`` runs start
with an empty ``st.cache_data`` (the engine in ``st.cache_resource`` is kept, as on a server
that already served someone) and ``warm`` runs rerun the same page with the caches filled.
The floor is ``floor_app.py`` (one ``st.write``), measured the same way. The *app floor* is
``app.py`` itself with ``page.run()`` replaced by one ``st.write`` (generated from the current
app.py, so it follows it): what every page pays for login check, menu and sidebar.

AppTest compiles the app and page scripts anew on every run (a new ``ScriptCache`` per run); a
server compiles each once (one ``ScriptCache`` per runtime). ``server_like_script_cache`` gives
AppTest one shared cache, so the figures are what a server pays (the recompilation was about a
tenth of a warm page run).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from bench.databases import DEMO_AS_OF, DEMO_NOW, Target
from bench.stats import Timing, time_calls
from data_access.accounts.auth import Viewer, load_viewer
from data_access.db import make_engine
from data_access.orders.work_orders import list_open_orders
from data_access.tickets.open_tickets import list_open_tickets
from ui import clock
from ui.loaders.cache import clear_all_caches
from ui.navigation import PAGES, PAGES_DIR

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
FLOOR_APP = str(Path(__file__).resolve().parent / "floor_app.py")
DEMO_PASSWORD = "demo-2026!"
ROLES: dict[str, str] = {"owner": "owner_a", "committee": "committee_a", "manager": "manager_a"}
DETAIL_PAGES = {"order_detail.py", "ticket_detail.py"}
TIMEOUT_S = 120


@dataclass(frozen=True)
class PageResult:
    role: str
    page: str  # file name, e.g. "overview.py"
    cold: Timing
    warm: Timing
    errors: tuple[str, ...] = ()


@contextmanager
def server_like_script_cache() -> Iterator[None]:
    """One ScriptCache for every AppTest run, as one server runtime has."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    saved = (app_test.ScriptCache, local_script_runner.ScriptCache)
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        app_test.ScriptCache, local_script_runner.ScriptCache = saved  # type: ignore[misc]


def fix_clock() -> None:
    """Pages see the seeded demo's moment (as the page tests do with monkeypatch)."""
    clock.now_utc_minute = lambda: DEMO_NOW
    clock.now_utc = lambda: DEMO_NOW
    clock.local_today = lambda: DEMO_AS_OF


@contextmanager
def app_environment(target: Target) -> Iterator[None]:
    """Point the app at ``target`` (DATABASE_URL, MEDIA_DIR, demo mode) and fix the clock."""
    saved = {k: os.environ.get(k) for k in ("DATABASE_URL", "MEDIA_DIR", "OWNER_DASHBOARD_MODE")}
    frozen = (clock.now_utc_minute, clock.now_utc, clock.local_today)
    os.environ["DATABASE_URL"] = target.url
    os.environ["MEDIA_DIR"] = str(target.media_dir)
    os.environ["OWNER_DASHBOARD_MODE"] = "demo"
    os.environ.pop("OWNER_DASHBOARD_COOKIE_KEY", None)
    fix_clock()
    st.cache_data.clear()
    clear_all_caches()
    st.cache_resource.clear()
    try:
        with server_like_script_cache():
            yield
    finally:
        clock.now_utc_minute, clock.now_utc, clock.local_today = frozen
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        st.cache_data.clear()
        clear_all_caches()
        st.cache_resource.clear()


def pages_for_role(role: str) -> list[str]:
    return [spec.file for spec in PAGES if role in spec.roles]


def detail_ids(target: Target, username: str) -> dict[str, str]:
    """An order and a ticket the viewer may open (query parameter ``id`` of the detail pages)."""
    engine = make_engine(target.url)
    try:
        with Session(engine) as session:
            viewer = load_viewer(session=session, username=username)
            assert viewer is not None, username
            orders = list_open_orders(session=session, viewer=viewer, limit=1)
            tickets = list_open_tickets(session=session, viewer=viewer, now=DEMO_NOW, limit=1)
    finally:
        engine.dispose()
    ids = {}
    if orders:
        ids["order_detail.py"] = str(orders[0].order_id)
    if tickets:
        ids["ticket_detail.py"] = str(tickets[0].ticket_id)
    return ids


def viewer_of(target: Target, username: str) -> Viewer:
    engine = make_engine(target.url)
    try:
        with Session(engine) as session:
            viewer = load_viewer(session=session, username=username)
    finally:
        engine.dispose()
    assert viewer is not None, username
    return viewer


def logged_in_app(username: str, script: str = APP) -> AppTest:
    at = AppTest.from_file(script, default_timeout=TIMEOUT_S)
    at.run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(DEMO_PASSWORD)
    at.button(key="login_submit").click().run()
    if at.exception or "login_username" in [w.key for w in at.text_input]:
        raise RuntimeError(f"login of {username} failed: {[e.value for e in at.exception]}")
    return at


def _errors(at: AppTest) -> tuple[str, ...]:
    return tuple(str(e.value)[:200] for e in at.exception) + tuple(
        str(e.value)[:200] for e in at.error
    )


def measure_page(
    at: AppTest, page: str, runs: int, query_id: str | None = None
) -> tuple[Timing, Timing, tuple[str, ...]]:
    """(cold, warm, errors) of ``page`` in the logged-in ``at``."""
    at.switch_page(str(PAGES_DIR / page))
    if query_id is not None:
        at.query_params["id"] = query_id
    cold = time_calls(at.run, runs, before=st.cache_data.clear)
    errors = _errors(at)
    warm = time_calls(at.run, runs)
    errors += _errors(at)
    at.query_params.pop("id", None)
    return cold, warm, errors


APP_FLOOR_PAGE = "app.py, page = one line"
_PAGE_RUN = "    page.run()\n"


def write_app_floor(folder: Path) -> str:
    """app.py with the selected page replaced by one line, written to ``folder``."""
    source = Path(APP).read_text(encoding="utf-8")
    if source.count(_PAGE_RUN) != 1:
        raise RuntimeError("app.py no longer has exactly one 'page.run()': update bench/pages.py")
    path = folder / "app_floor.py"
    path.write_text(source.replace(_PAGE_RUN, '    st.write("floor")\n'), encoding="utf-8")
    return str(path)


def measure_app_floor(role: str, runs: int, folder: Path) -> PageResult:
    at = logged_in_app(ROLES[role], write_app_floor(folder))
    cold = time_calls(at.run, runs, before=st.cache_data.clear)
    warm = time_calls(at.run, runs)
    return PageResult(role, APP_FLOOR_PAGE, cold, warm, _errors(at))


def measure_floor(runs: int) -> PageResult:
    at = AppTest.from_file(FLOOR_APP, default_timeout=TIMEOUT_S)
    at.run()  # imports and first-run setup are not the floor
    cold = time_calls(at.run, runs, before=st.cache_data.clear)
    warm = time_calls(at.run, runs)
    return PageResult("—", "floor_app.py", cold, warm, _errors(at))


def measure_role(
    target: Target,
    role: str,
    runs: int,
    pages: list[str] | None = None,
    progress: bool = False,
) -> list[PageResult]:
    username = ROLES[role]
    ids = detail_ids(target, username)
    at = logged_in_app(username)
    results = []
    for page in pages if pages is not None else pages_for_role(role):
        if page in DETAIL_PAGES and page not in ids:
            continue  # nothing open to show in detail
        cold, warm, errors = measure_page(at, page, runs, ids.get(page))
        results.append(PageResult(role, page, cold, warm, errors))
        if progress:
            print(
                f"  {role:<9} {page:<18} cold {cold.median:7.1f} ms  warm {warm.median:7.1f} ms"
                + (f"  ERRORS {errors}" if errors else ""),
                flush=True,
            )
    return results
