"""The front door (``deploy/``): HAProxy in front of two app processes, as ``make serve`` runs
it. Its headers, what it hides, HTTPS with HSTS, and a browser that stays with its process —
Streamlit keeps a session's state, uploads and images in one process's memory, so a page whose
images were fetched from the other process would show them broken."""

from __future__ import annotations

import http.client
import ssl
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from data_access.db import make_engine
from data_access.models import Account, PhotoAttachment, WorkOrder
from deploy.cluster import STICKY_COOKIE, Cluster
from tests.browser.conftest import log_in, serve_cluster, wait_idle

pytestmark = pytest.mark.browser

# Each image brought into view and waited for (decode() settles once it loaded or failed).
BROKEN_IMAGES = """async () => {
    for (const img of document.images) {
        img.scrollIntoView();
        await img.decode().catch(() => null);
    }
    return [...document.images].filter(img => img.naturalWidth === 0).map(img => img.src);
}"""


def status_of(url: str, context: ssl.SSLContext | None = None) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10, context=context) as response:
            return int(response.status)
    except HTTPError as error:
        return error.code


def test_the_front_door_sets_its_headers_and_hides_metrics(app_url: str) -> None:
    with urllib.request.urlopen(f"{app_url}/", timeout=10) as response:
        headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert "object-src 'none'" in headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in headers  # plain HTTP: no HSTS promise
    sticky = headers["Set-Cookie"]
    assert sticky.startswith(f"{STICKY_COOKIE}=app") and "HttpOnly" in sticky
    assert status_of(f"{app_url}/_stcore/health") == 200
    assert status_of(f"{app_url}/_stcore/metrics") == 404


@pytest.fixture(scope="module")
def tls_cluster(
    live_demo_database: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    folder = tmp_path_factory.mktemp("tls")
    pem = folder / "door.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(pem), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    pem.write_text(pem.read_text() + (folder / "cert.pem").read_text())
    with serve_cluster(live_demo_database, folder, app_count=1, tls_pem=pem) as cluster:
        yield cluster


def test_over_https_the_door_promises_https_and_the_app_sees_it(tls_cluster: Cluster) -> None:
    unverified = ssl._create_unverified_context()  # the test's own certificate
    with urllib.request.urlopen(f"{tls_cluster.url}/", timeout=10, context=unverified) as response:
        headers = response.headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Secure" in headers["Set-Cookie"]
    # The app process itself stays on plain HTTP on 127.0.0.1, behind the door.
    app = tls_cluster.app_urls[0].removeprefix("http://")
    connection = http.client.HTTPConnection(app, timeout=10)
    connection.request("GET", "/_stcore/metrics")
    assert connection.getresponse().status == 200  # hidden by the door, not by the app
    assert status_of(f"{tls_cluster.url}/_stcore/metrics", unverified) == 404


def orders_with_photos(database: Path, username: str, count: int) -> list[int]:
    with make_engine(f"sqlite:///{database}").connect() as conn:
        community = conn.scalar(select(Account.community_id).where(Account.username == username))
        return list(
            conn.scalars(
                select(WorkOrder.id)
                .join(PhotoAttachment, PhotoAttachment.work_order_id == WorkOrder.id)
                .where(WorkOrder.community_id == community, WorkOrder.visibility == "public")
                .group_by(WorkOrder.id)
                .order_by(WorkOrder.id)
                .limit(count)
            )
        )


def test_a_browser_stays_with_its_process(
    browser: Browser, app_url: str, served_folder: Path
) -> None:
    """Two owners' browsers; each gets its process's cookie and every photo of three orders
    loads (with round-robin and no cookie, about half came from the wrong process: 404)."""
    orders = orders_with_photos(served_folder / "demo.db", "owner_a", 3)
    assert len(orders) == 3
    for _browser_number in range(2):
        context = browser.new_context()
        page = context.new_page()
        log_in(page, app_url, "owner_a")
        for order in orders:
            page.goto(f"{app_url}/order?id={order}")
            wait_idle(page)
            # The photos are drawn by the run that follows the login cookie's check, which on a
            # busy machine can start later than wait_idle's quarter second (seen once in CI).
            expect(page.locator("[data-testid=stImage] img").first).to_be_visible(timeout=30_000)
            assert page.evaluate(BROKEN_IMAGES) == []
        (sticky,) = [c["value"] for c in context.cookies() if c["name"] == STICKY_COOKIE]
        assert sticky in ("app1", "app2")
        context.close()
