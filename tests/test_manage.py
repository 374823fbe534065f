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
