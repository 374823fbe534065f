"""Real-browser tests: the app served by Streamlit on localhost, driven by Playwright in
Debian's Chromium (``/usr/bin/chromium``; Playwright cannot download browsers here)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, expect

from data_access.db import make_engine, make_session_factory, migrate
from deploy.cluster import Cluster, running_cluster
from tests.support.postgres import free_port
from tests.support.shared import shared_once

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "test-output" / "screenshots"  # pytest-playwright empties test-results/
DEMO_PASSWORD = "demo-2026!"


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, object]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(
            "Debian's chromium is missing: run `make test` as root or apt-get install chromium"
        )
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }  # fmt: skip


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """When a browser test fails, its report shows what each open page said at that moment
    (CI keeps no screenshots; this is what tells a slow run from a lost click)."""
    report = yield
    browser = getattr(item, "funcargs", {}).get("browser")
    if report.when == "call" and report.failed and browser is not None:
        # the newest pages are this test's (others may have left theirs open)
        pages = [page for context in browser.contexts for page in context.pages][-3:]
        for number, page in enumerate(pages):
            try:
                alerts = page.locator("[data-testid=stAlert]").all_inner_texts()
                text = page.locator("[data-testid=stMain]").inner_text(timeout=2_000)
            except Exception as error:  # the page may be gone or hung
                alerts, text = [], f"(unreadable: {error})"
            shown = "\n".join(f"[message] {alert}" for alert in alerts) + "\n…" + text[-2_500:]
            report.sections.append((f"page {number}: {page.url}", shown))
    return report


@pytest.fixture(scope="session")
def live_demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Demo data up to this very minute: the browser sees the server's real clock, so data
    seeded for a fixed day would look days old (everything open overdue, no patrols today).
    Seeded once per test run and shared by the parallel workers."""
    import seed

    def build(folder: Path) -> None:
        local_now = dt.datetime.now(ZoneInfo("Asia/Shanghai"))
        engine = make_engine(f"sqlite:///{folder / 'demo.db'}")
        migrate(engine)
        seed.populate(
            session_factory=make_session_factory(engine), scale="demo", seed=42,
            as_of=local_now.date(), now_time=local_now.time().replace(second=0, microsecond=0),
            media_dir=folder / "media",
        )  # fmt: skip
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()

    return shared_once(tmp_path_factory, "live", build) / "demo.db"


@pytest.fixture(scope="session")
def served_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the shared server's database copy lives (``demo.db``): tests that play the
    operational system write to it while the browser watches."""
    return tmp_path_factory.mktemp("served")


@pytest.fixture(scope="session")
def app_url(live_demo_database: Path, served_folder: Path) -> Iterator[str]:
    """The app as a company serves it (``make serve``): HAProxy with its headers in front of
    two Streamlit processes, on a private copy of the live demo database, until the session
    ends. Every browser test that uses it goes through the front door."""
    with serve_cluster(live_demo_database, served_folder, app_count=2) as cluster:
        yield cluster.url


def demo_environment(demo_database: Path, database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_DIR": str(demo_database.parent / "media"),
        "OWNER_DASHBOARD_MODE": "demo",
    }


@contextmanager
def serve_cluster(
    demo_database: Path,
    folder: Path,
    *,
    app_count: int,
    extra_env: dict[str, str] | None = None,
    tls_pem: Path | None = None,
) -> Iterator[Cluster]:
    """``deploy/cluster.py``'s HAProxy and ``app_count`` app processes (no worker) on a copy
    of the demo database; logs in ``folder / "cluster"``."""
    database = folder / "demo.db"
    shutil.copy(demo_database, database)
    env = {**demo_environment(demo_database, database), **(extra_env or {})}
    with running_cluster(app_count=app_count, port=free_port(), env=env, logs=folder / "cluster",
                         with_worker=False, tls_pem=tls_pem) as cluster:  # fmt: skip
        yield cluster


@contextmanager
def serve_app(
    demo_database: Path,
    folder: Path,
    *,
    address: str = "127.0.0.1",
    extra_env: dict[str, str] | None = None,
) -> Iterator[str]:
    """A fresh Streamlit server (``manage.py serve``) on a copy of the demo database, listening
    on ``address`` (``::`` is every address, as a bare ``streamlit run`` listens)."""
    database = folder / "demo.db"
    shutil.copy(demo_database, database)
    port = free_port()
    env = {**demo_environment(demo_database, database), **(extra_env or {})}
    log = (folder / "streamlit.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--", "--server.headless", "true",
         "--server.address", address, "--server.port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=3)
        except subprocess.TimeoutExpired:
            # Streamlit waits for its open sessions before it exits on SIGTERM (up to 20 s
            # after a test's worth of browsing); the database it serves is a throwaway copy.
            server.kill()
            server.wait()
        log.close()


def _wait_healthy(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy in time")


NOTHING_STALE = "() => !document.querySelector('[data-stale=\"true\"]')"


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished running the script and is still finished a quarter of
    a second later (a widget's change, or the cookie component, can start a second run right
    after the first)."""
    app = page.locator("[data-testid=stApp]")
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=30_000)
    page.wait_for_timeout(250)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=30_000)
    # Elements the run has not redrawn yet are drawn faded ("stale"): axe judged such a label's
    # contrast once in CI (负责人 on the report page, 2026-12-03).
    page.wait_for_function(NOTHING_STALE, timeout=30_000)


def choose_stars(page: Page, stars: str) -> None:
    """Give each of the rating form's three scores ``stars`` (e.g. "★★"), checking that every
    choice took: under load a click can land while the page is still being drawn and be lost
    (seen once in CI as "please score all three"), and clicking a chosen option again would
    clear it, so an option is clicked only while it is not chosen."""
    options = page.get_by_role("radio", name=stars, exact=True)
    expect(options).to_have_count(3)
    for i in range(3):
        check_radio(page, options.nth(i))


def check_radio(page: Page, option: Locator) -> None:
    """Choose a radio option and see that it took. The option (or the label it hides in) is
    clicked as a person would, so Playwright waits until nothing covers it (a sidebar still closing over the form
    at 390 px once took a forced click on the hidden input); a click landing while the page is
    still being drawn can be lost, so it is tried again while the option is not chosen. The
    option is awaited first: asked before the page has drawn it, its label is not there yet and
    the hidden input, which the label covers, could never be clicked (CI, 2026-12-04)."""
    expect(option).to_be_attached(timeout=30_000)
    label = option.locator("xpath=ancestor::label[1]")
    target = label if label.count() else option
    for _attempt in range(3):
        if option.is_checked():
            break
        target.click()
        page.wait_for_timeout(200)
    expect(option).to_be_checked()


AUTH_COOKIE = "owner_dashboard_auth"


def wait_for_auth_cookie(page: Page, present: bool = True, timeout: float = 15) -> None:
    """The cookie component writes (or deletes) the cookie from JavaScript after the run ends."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (AUTH_COOKIE in {c["name"] for c in page.context.cookies()}) == present:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"auth cookie {'never appeared' if present else 'still there'}")


def log_in(
    page: Page, url: str, username: str, password: str = DEMO_PASSWORD, expect_success: bool = True
) -> None:
    page.goto(url)
    wait_idle(page)
    page.get_by_role("textbox", name="用户名").fill(username)
    page.get_by_role("textbox", name="密码").fill(password)
    page.get_by_role("button", name="登录").click()
    wait_idle(page)
    if expect_success:
        wait_for_auth_cookie(page)
        wait_idle(page)


MENU = "[data-testid=stSidebarNav]"  # Streamlit's own menu in the sidebar (ui/menu.py)


def menu_link(page: Page, name: str) -> Locator:
    """A link of the menu in the sidebar."""
    return page.locator(MENU).get_by_role("link", name=name)


def screenshot(page: Page, name: str) -> Path:
    """The whole page: Streamlit scrolls inside its own container, so the viewport is grown to
    the content's height for the picture and restored afterwards."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size or {"width": 1366, "height": 900}
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], section')]"
        ".map(e => e.scrollHeight), document.body.scrollHeight)"
    )
    page.set_viewport_size(
        {"width": size["width"], "height": min(max(height, size["height"]), 8000)}
    )
    page.wait_for_timeout(800)  # let charts re-lay out
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path
