"""The command line: clear one-line errors, exit status 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://u@h/d", "不支持的数据库类型"),
        ("postgresql://nobody@127.0.0.1:1/none", "无法连接数据库"),
    ],
)
def test_bad_database_urls(url: str, expected: str) -> None:
    result = run_manage("migrate", env={"DATABASE_URL": url})
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_migrate_then_check(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run_manage("--database-url", url, "check").returncode == 2  # empty: needs migration
    first = run_manage("--database-url", url, "migrate")
    assert first.returncode == 0 and "migrated" in first.stdout
    again = run_manage("--database-url", url, "migrate")
    assert again.returncode == 0 and "already current" in again.stdout
    assert run_manage("--database-url", url, "check").returncode == 0


def test_plans_generate_is_idempotent(tmp_path: Path) -> None:
    """Seed a small database by hand, then generate a range twice: the second run creates 0."""
    from data_access.db import make_engine, make_session_factory, migrate, write_session
    from tests.data_access import factories as f
    from tests.data_access.factories import service_item

    url = f"sqlite:///{tmp_path / 'plans.db'}"
    engine = make_engine(url)
    migrate(engine)
    with write_session(make_session_factory(engine)) as session:
        community = f.community(session, code="PLANCLI")
        contract = f.contract(session, community)
        service_item(session, contract, times_per_day=2)  # daily, twice
    args = ("--database-url", url, "plans", "generate", "--community", "plancli")
    first = run_manage(*args, "--from", "2026-10-01", "--to", "2026-10-07")
    assert first.returncode == 0, first.stderr
    assert "plan tasks created 14" in first.stdout  # 7 days × 2
    again = run_manage(*args, "--from", "2026-10-01", "--to", "2026-10-07")
    assert "plan tasks created 0" in again.stdout


def test_plans_generate_unknown_community(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    not_migrated = run_manage("--database-url", url, "plans", "generate", "--community", "NOPE",
                              "--from", "2026-10-01", "--to", "2026-10-02")  # fmt: skip
    assert not_migrated.returncode == 2 and "manage.py migrate" in not_migrated.stderr
    assert run_manage("--database-url", url, "migrate").returncode == 0
    result = run_manage("--database-url", url, "plans", "generate", "--community", "NOPE",
                        "--from", "2026-10-01", "--to", "2026-10-02")  # fmt: skip
    assert result.returncode == 2
    assert "没有编码为“NOPE”的小区" in result.stderr
