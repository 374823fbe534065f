"""The worker killed in the middle of a batch: a message is never sent twice, the one in
flight is "unknown", the rest are sent by the worker that takes over (issue 22, item 3)."""

from __future__ import annotations

import collections
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from data_access.db import make_engine, make_session_factory, write_session
from data_access.models import Account, OutboxMessage
from data_access.orders.order_commands import advance_order
from tests.conftest import ROOT
from tests.outbox.support import configure, make_world, utc_now
from tests.support.fake_apis import smtp_server

OWNERS = 6


def _worker(url: str, env: dict[str, str], tmp_path: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "manage.py", "--database-url", url, "worker",
               "--every", "outbox=1", "--lease-seconds", "3", "--tick", "0.2",
               "--sources", str(tmp_path / "none.toml")]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip


def _states(url: str) -> collections.Counter[str]:
    factory = make_session_factory(make_engine(url))
    with factory() as session:
        return collections.Counter(session.scalars(select(OutboxMessage.state)))


def test_a_worker_killed_mid_batch_sends_nothing_twice(
    tmp_path: Path, migrated_sqlite_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "outbox.db"
    shutil.copy(migrated_sqlite_template, database)
    url = f"sqlite:///{database}"
    factory = make_session_factory(make_engine(url))
    with smtp_server() as (mailbox, port):
        configure(monkeypatch)
        monkeypatch.setenv("SMTP_URL", f"smtp://127.0.0.1:{port}")
        monkeypatch.setenv("SMTP_FROM", "wuye@example.cn")
        for n in range(OWNERS):
            with write_session(factory) as session:
                world = make_world(session, email=f"owner{n}@example.com")
                owner = session.get(Account, world.owner_id)
                assert owner is not None
                owner.quiet_hours = "off"  # whatever the hour of the test run
                advance_order(session=session, order_id=world.order_id, to_stage="accepted",
                              at=utc_now(), actor_name="客服",
                              actor_account_id=world.manager_id)  # fmt: skip
        assert _states(url) == {"pending": OWNERS}
        mailbox.delay_s = 1.0  # each mail takes a second: the kill lands mid-send
        env = {**os.environ, "MEDIA_DIR": str(tmp_path / "media")}
        first = _worker(url, env, tmp_path)
        second: subprocess.Popen[bytes] | None = None
        try:
            deadline = time.monotonic() + 60
            while mailbox.data_commands < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert mailbox.data_commands >= 3
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            in_flight = _states(url)["sending"]
            assert in_flight == 1  # the third mail: marked sending, no answer recorded
            second = _worker(url, env, tmp_path)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                states = _states(url)
                if not states["pending"] and not states["sending"]:
                    break
                time.sleep(0.2)
        finally:
            for process in (first, second):
                if process is not None and process.poll() is None:
                    process.terminate()
                    process.wait(timeout=30)
        states = _states(url)
        attempts_per_address = collections.Counter(mailbox.data_for)
    assert states == {"sent": OWNERS - 1, "unknown": 1}
    assert max(attempts_per_address.values()) == 1  # duplicates: 0
    assert len(attempts_per_address) == OWNERS  # each owner's mail was begun exactly once
