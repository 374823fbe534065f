"""Login failures behind the product's front door (Debian's HAProxy with ``deploy/``'s
configuration): the app believes the proxy's X-Forwarded-For only because ``TRUSTED_PROXIES``
names it, so two owners behind it are two clients; a client that forges the header gains
nothing, through the proxy or around it.

Clients are told apart by their source address: 127.0.0.2, 127.0.0.3, … are all this machine.
Each logs in through the real login form over Streamlit's websocket (tests.support.login_client).
Before issue 14 the first test failed: five failures of one client locked the account for all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import DEMO_PASSWORD, serve_cluster
from tests.support.login_client import try_login

FAILED = "用户名或密码不正确,请重试。"


@pytest.fixture(scope="module")
def behind_proxy(
    live_demo_database: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[int, int]]:
    """(proxy port, app port): the product's front door (``deploy/``) with one app process,
    which trusts the proxy's address (127.0.0.1) and nobody else."""
    folder = tmp_path_factory.mktemp("proxied")
    with serve_cluster(live_demo_database, folder, app_count=1) as cluster:
        yield port_of(cluster.url), port_of(cluster.app_urls[0])


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def _fail_five_times(
    port: int, username: str, source: str, headers: dict[str, str] | None = None
) -> None:
    for i in range(5):
        result = try_login(port, username, f"wrong-{i}", source=source, headers=headers)
        assert not result.logged_in and FAILED in result.alerts


def test_two_owners_behind_the_proxy_are_counted_apart(behind_proxy: tuple[int, int]) -> None:
    proxy, _ = behind_proxy
    _fail_five_times(proxy, "owner_a", source="127.0.0.2")
    # That client is now blocked for this account, even with the right password …
    blocked = try_login(proxy, "owner_a", DEMO_PASSWORD, source="127.0.0.2")
    assert not blocked.logged_in and FAILED in blocked.alerts
    # … while the owner at another address behind the same proxy logs in.
    assert try_login(proxy, "owner_a", DEMO_PASSWORD, source="127.0.0.3").logged_in


def test_a_forged_header_through_the_proxy_gains_nothing(behind_proxy: tuple[int, int]) -> None:
    """HAProxy drops the client's header and sends the address it saw, so a new invented
    address per try does not reset the count."""
    proxy, _ = behind_proxy
    for i in range(5):
        forged = {"X-Forwarded-For": f"203.0.113.{i}"}
        result = try_login(proxy, "owner_b", "wrong", source="127.0.0.4", headers=forged)
        assert not result.logged_in
    forged = {"X-Forwarded-For": "203.0.113.200"}
    again = try_login(proxy, "owner_b", DEMO_PASSWORD, source="127.0.0.4", headers=forged)
    assert not again.logged_in and FAILED in again.alerts


def test_a_forged_header_around_the_proxy_gains_nothing(behind_proxy: tuple[int, int]) -> None:
    """A client that reaches the app directly is not a trusted proxy: its header is ignored,
    so pretending to be another owner neither escapes its block nor blocks that owner."""
    _, app = behind_proxy
    pretend = {"X-Forwarded-For": "127.0.0.6"}
    _fail_five_times(app, "committee_a", source="127.0.0.5", headers=pretend)
    again = try_login(app, "committee_a", DEMO_PASSWORD, source="127.0.0.5", headers=pretend)
    assert not again.logged_in
    # The owner it pretended to be is untouched.
    assert try_login(app, "committee_a", DEMO_PASSWORD, source="127.0.0.6").logged_in
