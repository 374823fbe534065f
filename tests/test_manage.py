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


# --- kpis ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def kpi_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """October 2026 of community KPICLI (Asia/Shanghai): two plan tasks (one on time, one late),
    one order met in time, one rating (4, 4, 5) answered in time, no tickets."""
    import datetime as dt

    from data_access.db import make_engine, make_session_factory, migrate, write_session
    from tests.data_access import factories as f

    url = f"sqlite:///{tmp_path_factory.mktemp('kpis') / 'kpis.db'}"
    engine = make_engine(url)
    migrate(engine)
    with write_session(make_session_factory(engine)) as session:
        community = f.community(session, code="KPICLI", name="指标小区")
        item = f.service_item(session, f.contract(session, community))  # 08:00–09:00
        f.plan_task(session, item, dt.date(2026, 10, 5), f.local(2026, 10, 5, 8, 30))
        f.plan_task(session, item, dt.date(2026, 10, 6), f.local(2026, 10, 6, 11, 0))
        created = f.local(2026, 10, 9, 10, 0)
        f.work_order(session, community, created_at=created,
                     responded_at=created + dt.timedelta(minutes=10),
                     completed_at=created + dt.timedelta(hours=2))  # fmt: skip
        f.rating(session, community, (4, 4, 5), created, replied_at=created + dt.timedelta(hours=1))
    engine.dispose()
    return url


def test_kpis_json(kpi_database: str) -> None:
    import json

    result = run_manage("--database-url", kpi_database, "kpis", "--community", "kpicli",
                        "--period", "2026-10", "--as-of", "2026-11-20", "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "community": "KPICLI",
        "period": "2026-10",
        "as_of": "2026-11-20T16:00:00+00:00",  # end of 2026-11-20 in Shanghai
        # 1 of 2 tasks in its window, 2 of 2 done; nothing in September → previous null
        "plan_completion_rate": {"value": 0.5, "numerator": 1, "denominator": 2,
                                 "target": 0.95, "previous": None},
        "actual_completion_rate": {"value": 1.0, "numerator": 2, "denominator": 2,
                                   "target": 0.98, "previous": None},
        "timeliness_rate": {"value": 1.0, "numerator": 1, "denominator": 1,
                            "target": 0.9, "previous": None},
        # no tickets: no data is null, not 0
        "rectification_rate": {"value": None, "numerator": 0, "denominator": 0,
                               "target": 0.9, "previous": None, "on_time_share": None},
        # (4 + 4 + 5) / 3 = 4.3333, rounded to 4 decimals; the one rating is ≥ 4
        "satisfaction": {"value": 4.3333, "numerator": 4.3333, "denominator": 1,
                         "target": 4.5, "previous": None, "good_share": 1.0},
        "reply_timeliness_rate": {"value": 1.0, "numerator": 1, "denominator": 1,
                                  "target": 0.95, "previous": None},
    }  # fmt: skip


def test_kpis_table(kpi_database: str) -> None:
    result = run_manage("--database-url", kpi_database, "kpis", "--community", "KPICLI",
                        "--period", "2026-10", "--as-of", "2026-11-20T20:00")  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("KPICLI 指标小区 · 2026-10 · as of 2026-11-20 12:00 UTC")
    plan = next(line for line in lines if line.startswith("计划完成率"))
    assert plan.split()[3:] == ["50.0%", "1/2", "95.0%", "—"]  # value, n/d, target, previous
    assert any(line.startswith("满意度 Satisfaction") and "4.33" in line for line in lines)


def test_kpis_date_range(kpi_database: str) -> None:
    import json

    result = run_manage("--database-url", kpi_database, "kpis", "--community", "KPICLI",
                        "--from", "2026-10-01", "--to", "2026-10-05", "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["period"] == "2026-10-01~2026-10-05"
    assert report["plan_completion_rate"] == {"value": 1.0, "numerator": 1, "denominator": 1,
                                              "target": 0.95, "previous": None}  # fmt: skip
    assert report["timeliness_rate"]["value"] is None  # the order is from 10-09


@pytest.mark.parametrize(
    ("period_args", "expected"),
    [
        (("--period", "2026-13"), "not a valid period"),
        (("--period", "last month"), "not a period"),
        (("--from", "2026-10-05", "--to", "2026-10-01"), "before it starts"),
        (("--period", "2026-10", "--from", "2026-10-01", "--to", "2026-10-05"), "not both"),
        (("--from", "2026-10-01"), "both --from and --to"),
        ((), "give --period"),
    ],
)
def test_kpis_bad_period(kpi_database: str, period_args: tuple[str, ...], expected: str) -> None:
    result = run_manage("--database-url", kpi_database, "kpis", "--community", "KPICLI",
                        *period_args)  # fmt: skip
    assert result.returncode == 2
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_kpis_unknown_community(kpi_database: str) -> None:
    result = run_manage("--database-url", kpi_database, "kpis", "--community", "NOPE",
                        "--period", "2026-10")  # fmt: skip
    assert result.returncode == 2 and "没有编码为“NOPE”的小区" in result.stderr
