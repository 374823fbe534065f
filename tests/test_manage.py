"""The command line: clear one-line errors, exit status 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from data_access.db import make_engine
from data_access.models import Account
from tests.support.cli import CliResult, run_manage, run_manage_process

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://u@h/d", "不支持的数据库类型"),
        ("postgresql://nobody@127.0.0.1:1/none", "无法连接数据库"),
    ],
)
def test_bad_database_urls(url: str, expected: str) -> None:
    result = run_manage_process("migrate", env={"DATABASE_URL": url})
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
        "running": False,  # October had ended: compared with the whole of September
        "compared_with": "2026-09",
        # 1 of 2 tasks in its window, 2 of 2 done; nothing in September → previous null
        "plan_completion_rate": {"value": 0.5, "numerator": 1, "denominator": 2,
                                 "target": 0.95, "previous": None, "left_out": 0, "pending": 0},
        "actual_completion_rate": {"value": 1.0, "numerator": 2, "denominator": 2,
                                   "target": 0.98, "previous": None, "left_out": 0, "pending": 0},
        "timeliness_rate": {"value": 1.0, "numerator": 1, "denominator": 1,
                            "target": 0.9, "previous": None, "left_out": 0, "pending": 0},
        # no tickets: no data is null, not 0
        "rectification_rate": {"value": None, "numerator": 0, "denominator": 0,
                               "target": 0.9, "previous": None, "left_out": 0, "pending": 0,
                               "on_time_share": None},
        # (4 + 4 + 5) / 3 = 4.3333, rounded to 4 decimals; the one rating is ≥ 4
        "satisfaction": {"value": 4.3333, "numerator": 4.3333, "denominator": 1,
                         "target": 4.5, "previous": None, "left_out": 0, "pending": 0,
                         "good_share": 1.0},
        "reply_timeliness_rate": {"value": 1.0, "numerator": 1, "denominator": 1,
                                  "target": 0.95, "previous": None, "left_out": 0, "pending": 0},
        # the one order, closed 2 h after it was created
        "handling": {"count": 1, "median_hours": 2.0, "within_24h_share": 1.0,
                     "within_72h_share": 1.0},
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
                                              "target": 0.95, "previous": None, "left_out": 0,
                                              "pending": 0}  # fmt: skip
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


# --- import-orders ------------------------------------------------------------------------------
SAMPLES = ROOT / "imports" / "samples"
ZH = {"LANG": "C.UTF-8"}


@pytest.fixture
def import_database(tmp_path: Path) -> str:
    """An empty community IMPCLI (Asia/Shanghai) without a contract (deadlines 30 min / 72 h)."""
    from data_access.db import make_engine, make_session_factory, migrate, write_session
    from tests.data_access import factories as f

    url = f"sqlite:///{tmp_path / 'import.db'}"
    engine = make_engine(url)
    migrate(engine)
    with write_session(make_session_factory(engine)) as session:
        f.community(session, code="IMPCLI", name="导入小区")
    engine.dispose()
    return url


def _order_count(url: str) -> int:
    from sqlalchemy import func, select

    from data_access.db import make_engine
    from data_access.models import WorkOrder

    engine = make_engine(url)
    with engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(WorkOrder))
    engine.dispose()
    return int(count or 0)


def test_import_orders_dry_run_report(import_database: str) -> None:
    result = run_manage("--database-url", import_database, "import-orders",
                        str(SAMPLES / "legacy_cn.csv"), "--community", "impcli",
                        "--mapping", "imports/mappings/legacy_cn.toml", "--dry-run", env=ZH)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "检查(未导入):旧物业系统导出 · legacy_cn.csv → IMPCLI",
        "读取行数:20",
        "可导入行数:16(将新建 16,将更新 0,未变 0)",
        "拒绝行数:4",
        "  第 16 行 [GD2025090013]: 缺少创建时间(“创建时间”为空)",
        "  第 17 行 [GD2025090014]: 完成时间“2025/9/13 18:00:00”早于创建时间“2025/9/14 10:00:00”",
        "  第 18 行 [GD2025090015]: “创建时间”中的时间“9月15日上午10点”无法识别",
        "  第 19 行 [GD2025090004]: 工单编号与第 7 行重复",
        "警告:1",
        "  第 12 行 [GD2025090009]: 未知类别“管道疏通”,已归为“其他”",
    ]
    assert _order_count(import_database) == 0  # a dry run writes nothing


def test_import_then_kpis_report_handling(import_database: str) -> None:
    import json

    args = ("--database-url", import_database, "import-orders", str(SAMPLES / "legacy_cn.csv"),
            "--community", "IMPCLI", "--mapping", "legacy_cn")  # fmt: skip
    first = run_manage(*args, env=ZH)
    assert first.returncode == 0, first.stderr
    assert "导入行数:16(新建 16,更新 0,未变 0)" in first.stdout
    again = run_manage(*args, env={"LANG": "en_US.UTF-8"})
    assert "Rows imported: 16 (0 created, 0 updated, 16 unchanged)" in again.stdout
    assert _order_count(import_database) == 16

    result = run_manage("--database-url", import_database, "kpis", "--community", "IMPCLI",
                        "--from", "2025-09-01", "--to", "2025-09-30", "--as-of", "2025-10-31",
                        "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    # The sample's 13 closed orders (3 are open; the 4 rejected rows are not in the database),
    # hours to close: 1, 1.5, 4.17, 6.72, 8, 9.5, 13.5, 24, 25, 48, 64.24, 78, 106 (the last
    # one created 09-30 23:30 local still belongs to September) → median 13.5;
    # ≤ 24 h: 8/13 = 0.6154; ≤ 72 h: 11/13 = 0.8462.
    assert json.loads(result.stdout)["handling"] == {
        "count": 13,
        "median_hours": 13.5,
        "within_24h_share": 0.6154,
        "within_72h_share": 0.8462,
    }
    # One day, inclusive, in local time: only GD2025090020 (created 09-30 23:30, 9.5 h).
    day = run_manage("--database-url", import_database, "kpis", "--community", "IMPCLI",
                     "--from", "2025-09-30", "--to", "2025-09-30", "--json")  # fmt: skip
    assert json.loads(day.stdout)["handling"] == {
        "count": 1, "median_hours": 9.5, "within_24h_share": 1.0, "within_72h_share": 1.0,
    }  # fmt: skip
    table = run_manage("--database-url", import_database, "kpis", "--community", "IMPCLI",
                       "--from", "2025-09-01", "--to", "2025-09-30")  # fmt: skip
    assert table.stdout.splitlines()[-1] == (
        "处理时长 / handling: 已办结 closed 13 · 中位数 median 13.5 h"
        " · 24 h 内 within 24 h 61.5% · 72 h 内 within 72 h 84.6%"
    )


def test_kpis_handling_without_closed_orders(kpi_database: str) -> None:
    import json

    result = run_manage("--database-url", kpi_database, "kpis", "--community", "KPICLI",
                        "--from", "2026-10-01", "--to", "2026-10-05", "--json")  # fmt: skip
    assert json.loads(result.stdout)["handling"] == {
        "count": 0, "median_hours": None, "within_24h_share": None, "within_72h_share": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("nope.csv", "--mapping", "legacy_cn"), "no such file"),
        ((str(SAMPLES / "legacy_cn.csv"), "--mapping", "nope"), "找不到映射文件"),
        ((str(SAMPLES / "legacy_cn.csv"), "--mapping", "us_export"), "文件中缺少映射文件要求的列"),
    ],
)
def test_import_orders_user_errors(
    import_database: str, args: tuple[str, ...], expected: str
) -> None:
    result = run_manage("--database-url", import_database, "import-orders", *args,
                        "--community", "IMPCLI", env=ZH)  # fmt: skip
    assert result.returncode == 2
    assert expected in result.stderr and "Traceback" not in result.stderr


def test_tickets_auto_close(tmp_path: Path) -> None:
    """A ticket left awaiting confirmation for longer than the contract's days is closed, with
    that noted; a recent one is left for the owner."""
    import datetime as dt

    from sqlalchemy import select

    from data_access.db import make_engine, make_session_factory, migrate, write_session
    from data_access.models import RectificationTicket, TicketEvent
    from tests.data_access import factories as f

    url = f"sqlite:///{tmp_path / 'tickets.db'}"
    engine = make_engine(url)
    migrate(engine)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with write_session(make_session_factory(engine)) as session:
        c = f.community(session)
        f.contract(session, c, start=(now - dt.timedelta(days=60)).date(),
                   end=(now + dt.timedelta(days=60)).date())  # fmt: skip
        ids = []
        for waited in (dt.timedelta(days=8), dt.timedelta(days=1)):
            start = now - waited - dt.timedelta(days=2)
            ticket = f.rectification_ticket(session, c, created_at=start, moves=(
                ("accepted", start + dt.timedelta(hours=1)),
                ("in_progress", start + dt.timedelta(hours=2)),
                ("awaiting_confirmation", now - waited),
            ))  # fmt: skip
            ids.append(ticket.id)
    result = run_manage("--database-url", url, "tickets", "auto-close")
    assert result.returncode == 0, result.stderr
    assert "tickets auto-closed: 1" in result.stdout
    with make_session_factory(engine)() as session:
        statuses = [session.get_one(RectificationTicket, i).status for i in ids]
        note = session.scalar(
            select(TicketEvent.note).where(
                TicketEvent.ticket_id == ids[0], TicketEvent.to_status == "closed"
            )
        )
    assert statuses == ["closed", "awaiting_confirmation"]
    assert note and "自动关闭" in note


def test_alerts_run_raises_once(tmp_path: Path) -> None:
    """An order left without a response: the first run raises its alert, the second none; once
    the order is answered, the next run resolves it. An unknown community is a clear error."""
    from sqlalchemy import select

    from data_access.db import make_engine, make_session_factory, migrate, write_session
    from data_access.models import Alert, WorkOrder
    from tests.data_access import factories as f

    url = f"sqlite:///{tmp_path / 'alerts.db'}"
    engine = make_engine(url)
    migrate(engine)
    with write_session(make_session_factory(engine)) as session:
        c = f.community(session, code="ALERTCLI")
        f.contract(session, c)  # 2026
        order_id = f.work_order(session, c, created_at=f.local(2026, 10, 9, 10, 0)).id
    args = ("--database-url", url, "alerts", "run", "--community", "alertcli")
    first = run_manage(*args, "--as-of", "2026-10-09T10:31")  # due at 10:30 local
    assert first.returncode == 0, first.stderr
    assert "ALERTCLI · as of 2026-10-09 02:31 UTC" in first.stdout
    assert "raised 1," in first.stdout and "still open 0," in first.stdout
    again = run_manage(*args, "--as-of", "2026-10-09T10:31")
    assert "raised 0," in again.stdout and "still open 1," in again.stdout
    with write_session(make_session_factory(engine)) as session:
        session.get_one(WorkOrder, order_id).responded_at = f.local(2026, 10, 9, 10, 40)
    answered = run_manage(*args, "--as-of", "2026-10-09T10:45")
    assert "auto-resolved 1," in answered.stdout
    with make_session_factory(engine)() as session:
        alert = session.scalars(select(Alert)).one()
        assert (alert.rule, alert.state, alert.auto_resolved) == (
            "response_overdue", "resolved", True,
        )  # fmt: skip
    unknown = run_manage("--database-url", url, "alerts", "run", "--community", "NOPE")
    assert unknown.returncode == 2 and "NOPE" in unknown.stderr


# --- users (login security, issue 7) ------------------------------------------------------------
@pytest.fixture
def users_database(tmp_path: Path) -> str:
    from data_access.db import make_engine, make_session_factory, migrate, write_session
    from tests.data_access import factories as f

    url = f"sqlite:///{tmp_path / 'users.db'}"
    engine = make_engine(url)
    migrate(engine)
    with write_session(make_session_factory(engine)) as session:
        f.community(session, code="USERCLI")
    engine.dispose()
    return url


def _users(url: str, *args: str, password: str | None = None) -> CliResult:
    return run_manage("--database-url", url, "users", *args, stdin=password)


def _log_in(url: str, username: str, password: str) -> str | None:
    import datetime as dt

    from data_access.accounts.login_security import authenticate
    from data_access.db import make_engine, make_session_factory, write_session

    with write_session(make_session_factory(make_engine(url))) as session:
        return authenticate(session=session, username=username, password=password,
                            client_key="cli-test", now=dt.datetime.now(dt.UTC).replace(tzinfo=None))  # fmt: skip


def _alive(url: str, session_id: str) -> bool:
    import datetime as dt

    from data_access.accounts.login_security import check_session
    from data_access.db import make_engine, make_session_factory

    with make_session_factory(make_engine(url))() as session:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        return check_session(session=session, session_id=session_id, now=now) is not None


def test_users_create_reset_role_disable(users_database: str) -> None:
    url = users_database
    created = _users(url, "create", "Zhao", "--role", "manager", "--community", "userCLI",
                     "--name", "赵经理", "--password-stdin", password="first-password\n")  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert "zhao" in created.stdout
    first = _log_in(url, "zhao", "first-password")
    assert first is not None and _alive(url, first)

    reset = _users(url, "reset-password", "zhao", "--password-stdin", password="second-password\n")
    assert reset.returncode == 0, reset.stderr
    assert not _alive(url, first)  # the session from before the reset is dead
    assert _log_in(url, "zhao", "first-password") is None
    second = _log_in(url, "zhao", "second-password")
    assert second is not None

    assert _users(url, "set-role", "zhao", "committee").returncode == 0
    assert not _alive(url, second)
    third = _log_in(url, "zhao", "second-password")
    assert third is not None

    assert _users(url, "disable", "zhao").returncode == 0
    assert not _alive(url, third)
    assert _log_in(url, "zhao", "second-password") is None


def test_users_unlock_ends_a_block(users_database: str) -> None:
    url = users_database
    created = _users(url, "create", "qian", "--role", "owner", "--community", "USERCLI",
                     "--password-stdin", password="right-password\n")  # fmt: skip
    assert created.returncode == 0, created.stderr
    for _ in range(5):
        assert _log_in(url, "qian", "wrong-password") is None
    assert _log_in(url, "qian", "right-password") is None  # blocked for this client
    unlocked = _users(url, "unlock", "qian")
    assert unlocked.returncode == 0, unlocked.stderr
    assert "5" in unlocked.stdout
    assert _log_in(url, "qian", "right-password") is not None


@pytest.mark.parametrize(
    ("args", "password", "expected"),
    [
        (("create", "lisi", "--role", "owner", "--community", "USERCLI", "--password-stdin"),
         "密" * 25, "72 字节"),
        (("create", "lisi", "--role", "owner", "--community", "USERCLI", "--password-stdin"),
         "short", "至少需要 8 个字符"),
        (("create", "lisi", "--role", "boss", "--community", "USERCLI", "--password-stdin"),
         "good-password", "角色“boss”无效"),
        (("create", "lisi", "--role", "owner", "--community", "NOPE", "--password-stdin"),
         "good-password", "NOPE"),
        (("reset-password", "nobody", "--password-stdin"), "good-password", "没有用户名为“nobody”"),
        (("disable", "nobody"), None, "没有用户名为“nobody”"),
    ],
)  # fmt: skip
def test_users_refusals_are_one_clear_line(
    users_database: str, args: tuple[str, ...], password: str | None, expected: str
) -> None:
    result = _users(users_database, *args, password=password)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_users_password_is_never_a_plain_argument(users_database: str) -> None:
    result = _users(users_database, "create", "lisi", "--role", "owner", "--community", "USERCLI",
                    "--password", "in-the-history")  # fmt: skip
    assert result.returncode == 2 and "unrecognized arguments" in result.stderr


def test_a_user_created_on_the_command_line_gets_the_servers_password_cost(
    users_database: str,
) -> None:
    """The tests write cheap hashes (tests/conftest.py); the program itself writes cost 12."""
    created = run_manage_process(
        "--database-url", users_database, "users", "create", "sun", "--role", "owner",
        "--community", "USERCLI", "--password-stdin", stdin="a-good-password\n",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    engine = make_engine(users_database)
    with engine.connect() as conn:
        stored = conn.execute(select(Account.password_hash).where(Account.username == "sun"))
        assert stored.scalar_one().startswith("$2b$12$")
    engine.dispose()
