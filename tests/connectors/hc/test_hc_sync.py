"""``manage.py sync hc`` against a real MariaDB holding an HC fixture with the traps of a real
one. Expected figures are computed with plain SQL on the fixture, never with the mapping."""

from __future__ import annotations

import datetime as dt
import json
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts.auth import UNUSABLE_PASSWORD_HASH
from data_access.db import make_session_factory
from data_access.models import (
    Account,
    Community,
    Rating,
    RectificationTicket,
    SyncRun,
    TicketEvent,
    WithdrawnRecord,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderPart,
)
from data_access.orders.handling import handling_figures
from data_access.orders.steps import load_effective_steps
from data_access.periods import parse_period
from tests.connectors.hc.fixture import C1, C2, execute, load_hc
from tests.support.mariadb import MariaDBServer

ROOT = Path(__file__).resolve().parents[3]
NOW = dt.datetime(2026, 11, 20, 12, 0)  # UTC; 20:00 in Shanghai
CODE = "CUIHU-HC"


@pytest.fixture
def hc(mariadb_server: MariaDBServer) -> tuple[str, str]:
    return load_hc(mariadb_server)


@pytest.fixture
def ours(database_url: str, engine: Engine) -> tuple[str, sessionmaker[Session]]:
    """Our database, empty and migrated: SQLite and PostgreSQL."""
    return database_url, make_session_factory(engine)


def sync(factory: sessionmaker[Session], source: str, *, full: bool = False) -> dict:
    from connectors.hc.sync import sync_hc

    outcome = sync_hc(factory=factory, url=source, communities={C1: CODE}, full=full, now=NOW)
    return outcome.as_dict()


def test_a_first_sync_gives_the_figures_plain_sql_gives(
    mariadb_server: MariaDBServer,
    hc: tuple[str, str],
    ours: tuple[str, sessionmaker[Session]],
) -> None:
    database, source = hc
    _, factory = ours
    report = sync(factory, source)
    kinds = report["communities"][0]["kinds"]

    live_repairs = execute(
        mariadb_server, database,
        f"SELECT COUNT(*) FROM r_repair_pool WHERE community_id = '{C1}' AND status_cd = '0'",
    )[0][0]  # fmt: skip
    live_complaints = execute(
        mariadb_server, database,
        f"SELECT COUNT(*) FROM complaint WHERE community_id = '{C1}' AND status_cd = '0'",
    )[0][0]  # fmt: skip
    assert kinds["order"]["created"] == int(str(live_repairs)) + int(str(live_complaints)) == 7
    with factory() as session:
        community = session.scalars(select(Community).where(Community.code == CODE)).one()
        codes = set(session.scalars(select(WorkOrder.code)))
        assert "HC-8220261010" not in codes  # deleted in HC
        assert "HC-8220261002" not in codes  # another community

        # Handling figures of October and November (local months), against plain SQL: HC's
        # own elapsed time, create_time (TIMESTAMP) to finish_time (DATETIME), both read in
        # HC's zone; a complaint ends with its last "handled" event.
        for month, (lo, hi) in {10: ("2026-10-01", "2026-11-01"), 11: ("2026-11-01", "2026-12-01")}.items():  # fmt: skip
            seconds = [
                row[0]
                for row in execute(
                    mariadb_server,
                    database,
                    "SELECT TIMESTAMPDIFF(SECOND, create_time, finish_time) FROM r_repair_pool"
                    f" WHERE community_id = '{C1}' AND status_cd = '0' AND finish_time IS NOT NULL"
                    f" AND create_time >= '{lo}' AND create_time < '{hi}'"
                    " UNION ALL SELECT TIMESTAMPDIFF(SECOND, c.create_time, MAX(e.create_time))"
                    " FROM complaint c JOIN complaint_event e ON e.complaint_id = c.complaint_id"
                    f" AND e.event_type = '1001' WHERE c.community_id = '{C1}' AND c.state = 'C'"
                    f" AND c.status_cd = '0' AND c.create_time >= '{lo}' AND c.create_time < '{hi}'"
                    " GROUP BY c.complaint_id, c.create_time",
                )
            ]
            hours = [int(str(s)) / 3600 for s in seconds]
            figures = handling_figures(
                session=session, community_id=community.id, period=parse_period(f"2026-{month}")
            )
            assert figures.count == len(hours)
            assert figures.median_hours == pytest.approx(statistics.median(hours))
            assert figures.within_24h_share == pytest.approx(
                sum(h <= 24 for h in hours) / len(hours)
            )
        # October: R1 6 h, R2 24 h, R4 (23:59 on the 31st) 6 min; November: R5 59 h 57 min
        # (its second close), R7 8 h, K1 2 h — the month edges fall where Shanghai's do.
        assert (
            handling_figures(
                session=session, community_id=community.id, period=parse_period("2026-10")
            ).count
            == 3
        )


def test_steps_tell_what_happened(
    hc: tuple[str, str], ours: tuple[str, sessionmaker[Session]]
) -> None:
    _, source = hc
    _, factory = ours
    sync(factory, source)
    with factory() as session:

        def steps(code: str) -> list[tuple[str, str]]:
            order = session.scalars(select(WorkOrder).where(WorkOrder.code == code)).one()
            return [(e.stage, e.note) for e in load_effective_steps(session, [order.id])]

        reassigned = steps("HC-8220261007")
        # one dispatch (to the first handler); the handover is a note, not a second dispatch
        assert [n for s, n in reassigned if s == "dispatched"] == [
            "处理人:王师傅",
            "转单:需要弱电师傅",
        ]
        assert ("dispatched", "转单:需要弱电师傅") in reassigned
        assert reassigned[-1][0] == "completed"

        paused = steps("HC-8220261119")
        assert ("dispatched", "暂停:等灯具到货") in paused and ("dispatched", "重新启动") in paused
        assert "completed" not in [s for s, _ in paused]

        unhandled = steps("HC-8220261031")
        assert unhandled[-1] == ("completed", "未办理结单")

        twice = session.scalars(select(WorkOrder).where(WorkOrder.code == "HC-8220261101")).one()
        # 2026-11-03 12:00 in Shanghai is 04:00 UTC: the second close is the completion
        assert twice.completed_at == dt.datetime(2026, 11, 3, 4, 0)
        assert ("dispatched", "结单后被退回重办:已疏通") in steps("HC-8220261101")

        public = session.scalars(select(WorkOrder).where(WorkOrder.code == "HC-8220261007")).one()
        # HC's placeholder deadline (2025-01-01) is not a deadline: created + the type's 24 h
        assert (public.visibility, public.category) == ("public", "facilities")
        assert public.resolve_due_at == dt.datetime(2026, 10, 8, 2, 0)

        first = session.scalars(select(WorkOrder).where(WorkOrder.code == "HC-8220261005")).one()
        assert first.visibility == "private" and first.category == "plumbing"
        notes = [n for _, n in steps("HC-8220261005")]
        assert not any("误操作" in n for n in notes)  # a deleted step row
        parts = session.scalars(
            select(WorkOrderPart).where(WorkOrderPart.work_order_id == first.id)
        ).all()
        assert sorted((p.name, p.quantity) for p in parts) == [("生料带(米)", 3), ("陶瓷阀芯", 1)]


def test_ratings_replies_tickets_and_owners(
    hc: tuple[str, str], ours: tuple[str, sessionmaker[Session]]
) -> None:
    _, source = hc
    _, factory = ours
    sync(factory, source)
    with factory() as session:

        def rating_of(code: str) -> Rating:
            return session.scalars(
                select(Rating).join(WorkOrder, WorkOrder.id == Rating.work_order_id)
                .where(WorkOrder.code == code)
            ).one()  # fmt: skip

        replied = rating_of("HC-8220261005")
        assert (replied.score_speed, replied.score_attitude, replied.score_quality) == (5, 5, 5)
        assert replied.reply == "感谢您的评价"
        assert replied.replied_at == dt.datetime(2026, 10, 6, 2, 0)

        old_red = rating_of("HC-8220261007")  # 1 star a month before the first sync
        assert old_red.historical
        recent_red = rating_of("HC-8220261118")  # 1 star this morning
        assert not recent_red.historical
        # the staff's reply as a child row of appraise, 11:00 in Shanghai
        assert recent_red.reply == "已安排电梯公司明天复查"
        assert recent_red.replied_at == dt.datetime(2026, 11, 20, 3, 0)
        tickets = session.scalars(select(RectificationTicket)).all()
        assert [t.rating_id for t in tickets] == [recent_red.id]

        owners = session.scalars(select(Account).where(Account.username.like("1380000000%"))).all()
        # Login names are the mobile numbers; not opened yet (an activation letter opens them).
        assert {(o.username, o.display_name) for o in owners} == {
            ("13800000001", "张三"), ("13800000002", "李四"), ("13800000003", "王五"),
        }  # fmt: skip
        assert all(o.is_active and o.password_hash == UNUSABLE_PASSWORD_HASH for o in owners)
        assert replied.owner_id == next(o.id for o in owners if o.display_name == "李四")
        dump = "\n".join(str(row) for row in session.execute(select(Account.__table__)).all())
        assert "110101199001011234" not in dump


def test_owners_read_from_hc_get_activation_letters_like_a_rosters(
    hc: tuple[str, str], ours: tuple[str, sessionmaker[Session]]
) -> None:
    """Issue 22: HC's owners are onboarded like a roster's — login name the mobile number, a
    letter opens each account — and an owner the company's roster brought in already (same
    mobile number, same community) is the same account, not a second one."""
    from data_access.accounts.activation import issue_codes
    from tests.data_access import factories as f

    _, source = hc
    _, factory = ours
    with factory() as session:  # the roster came first: 王五, whose account is opened
        community = f.community(session, code=CODE)
        wang = f.account(session, community, "owner", username="13800000003")
        wang.display_name, wang.phone, wang.password_hash = "王五", "13800000003", "opened"
        manager = f.viewer_of(f.account(session, community, "manager"))
        session.commit()
    sync(factory, source)
    with factory() as session:
        named = session.scalars(select(Account).where(Account.display_name == "王五")).all()
        assert [(a.username, a.password_hash) for a in named] == [("13800000003", "opened")]
        letters = issue_codes(session=session, viewer=manager, key="k" * 40, now=NOW)
        session.commit()
    # The two not opened yet get letters; 王五 has opened his account already.
    assert sorted(letter.username for letter in letters) == ["13800000001", "13800000002"]


def test_a_second_run_changes_nothing(
    hc: tuple[str, str], ours: tuple[str, sessionmaker[Session]]
) -> None:
    _, source = hc
    _, factory = ours
    sync(factory, source)
    with factory() as session:
        before = session.scalar(select(func.count()).select_from(WorkOrderEvent))
    for full in (True, False):
        report = sync(factory, source, full=full)
        for kind, counts in report["communities"][0]["kinds"].items():
            assert (counts["created"], counts["updated"], counts["withdrawn"]) == (0, 0, 0), kind
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(WorkOrderEvent)) == before


def test_a_changed_close_is_a_correction_and_a_deleted_order_disappears(
    mariadb_server: MariaDBServer,
    hc: tuple[str, str],
    ours: tuple[str, sessionmaker[Session]],
) -> None:
    database, source = hc
    _, factory = ours
    sync(factory, source)
    execute(mariadb_server, database,
            "UPDATE r_repair_pool SET finish_time = '2026-10-05 16:30:00'"
            " WHERE repair_id = '8220261005'")  # fmt: skip
    execute(mariadb_server, database,
            "UPDATE r_repair_pool SET status_cd = '1' WHERE repair_id = '8220261118'")  # fmt: skip
    report = sync(factory, source, full=True)
    kinds = report["communities"][0]["kinds"]
    assert kinds["order"]["updated"] == 1 and kinds["order"]["withdrawn"] == 1
    with factory() as session:
        order = session.scalars(select(WorkOrder).where(WorkOrder.code == "HC-8220261005")).one()
        assert order.completed_at == dt.datetime(2026, 10, 5, 8, 30)
        completions = [
            e for e in load_effective_steps(session, [order.id]) if e.stage == "completed"
        ]
        assert [e.occurred_at for e in completions] == [dt.datetime(2026, 10, 5, 8, 30)]
        assert completions[0].corrects_event_id is not None

        assert session.scalar(select(WorkOrder.id).where(WorkOrder.code == "HC-8220261118")) is None
        kept = session.scalars(select(WithdrawnRecord).where(WithdrawnRecord.kind == "order")).one()
        assert json.loads(kept.snapshot)["order"]["code"] == "HC-8220261118"
        ticket = session.scalars(select(RectificationTicket)).one()  # opened from its rating
        assert ticket.rating_id is None and ticket.work_order_id is None
        notes = session.scalars(
            select(TicketEvent.note).where(TicketEvent.ticket_id == ticket.id)
        ).all()
        assert any("来源系统已删除" in note for note in notes)


def run_cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "--database-url", database_url, *args],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip


def test_the_command_reports_and_refuses_clearly(
    mariadb_server: MariaDBServer,
    hc: tuple[str, str],
    ours: tuple[str, sessionmaker[Session]],
) -> None:
    database, source = hc
    url, factory = ours
    done = run_cli("sync", "hc", "--source", source, "--community", f"{C1}={CODE}",
                   database_url=url)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"[{CODE}]" in done.stdout and "r_repair_setting" not in done.stdout
    # No host allowed: the two order photos and the check-in and maintenance ones are refused.
    assert "photos: stored 0, refused 4" in done.stdout
    kpis = run_cli("kpis", "--community", CODE, "--from", "2026-10-01", "--to", "2026-10-31",
                   "--json", database_url=url)  # fmt: skip
    assert kpis.returncode == 0, kpis.stderr
    # October: R1 6 h, R2 24 h, R4 6 min (see the first test) — the median is 6 h
    assert json.loads(kpis.stdout)["handling"]["median_hours"] == pytest.approx(6.0)

    wrong = source.replace("ro-pass", "wrong")
    refused = run_cli("sync", "hc", "--source", wrong, database_url=url)
    assert refused.returncode == 2 and "拒绝了登录" in refused.stderr
    assert "wrong" not in refused.stderr  # the password is never printed

    execute(mariadb_server, database, "ALTER TABLE r_repair_user DROP COLUMN end_time")
    broken = run_cli("sync", "hc", "--source", source, database_url=url)
    assert broken.returncode == 2 and "r_repair_user.end_time: missing" in broken.stderr
    with factory() as session:
        runs = session.execute(select(SyncRun.status, SyncRun.error_key).order_by(SyncRun.id))
        assert [tuple(run) for run in runs] == [
            ("succeeded", ""),
            ("failed", "sync.denied"),
            ("failed", "sync.schema"),
        ]  # the kind of failure each page names for managers


def test_an_incremental_run_reads_what_is_new(
    mariadb_server: MariaDBServer,
    hc: tuple[str, str],
    ours: tuple[str, sessionmaker[Session]],
) -> None:
    from connectors.hc.sync import sync_hc

    database, source = hc
    _, factory = ours
    sync(factory, source)
    # An hour later in HC: R3 (paused) is closed, a new repair arrives, and R4 gets a rating.
    execute(mariadb_server, database, """
        INSERT INTO r_repair_pool (repair_id, community_id, repair_type, repair_name, tel,
          context, create_time, state, repair_obj_type, repair_obj_id, repair_obj_name, timeout)
        VALUES ('8220261120', '2026110100000001', '7802', '王五', '13800000003', '路灯不亮',
          '2026-11-20 20:30:00', '1000', '002', '7301', '1号楼', '2026-11-21 20:30:00')""")  # fmt: skip
    execute(mariadb_server, database, """
        UPDATE r_repair_pool SET state = '1900', finish_time = '2026-11-20 20:40:00'
        WHERE repair_id = '8220261119'""")  # fmt: skip
    execute(mariadb_server, database, """
        UPDATE r_repair_user SET state = '10002', end_time = '2026-11-20 20:40:00',
          context = '换了灯管' WHERE ru_id = '83303'""")  # fmt: skip
    execute(mariadb_server, database, """
        INSERT INTO appraise (appraise_id, appraise_score, context, appraise_user_id,
          appraise_user_name, obj_id, door_speed_score, repairman_service_score, create_time)
        VALUES ('80401', 4, '还行', '7701', '张三', '8220261031', 4, 4, '2026-11-20 20:45:00')""")  # fmt: skip
    later = NOW + dt.timedelta(hours=1)
    report = sync_hc(factory=factory, url=source, communities={C1: CODE}, now=later).as_dict()
    assert report["full"] is False
    kinds = report["communities"][0]["kinds"]
    # Read: the new repair, the unfinished R3 and R4 (a new rating) — not the whole community.
    assert kinds["order"]["read"] == 3
    assert (kinds["order"]["created"], kinds["order"]["updated"]) == (1, 1)
    assert kinds["rating"]["created"] == 1
    with factory() as session:
        closed = session.scalars(select(WorkOrder).where(WorkOrder.code == "HC-8220261119")).one()
        assert closed.completed_at == dt.datetime(2026, 11, 20, 12, 40)
        # the first sync is over: a rating now is not historical, whatever its score
        rating = session.scalars(
            select(Rating).join(WorkOrder, WorkOrder.id == Rating.work_order_id)
            .where(WorkOrder.code == "HC-8220261031")
        ).one()  # fmt: skip
        assert not rating.historical and rating.score_quality == 4


def test_a_run_that_fails_midway_leaves_whole_orders_and_the_next_run_finishes(
    mariadb_server: MariaDBServer,
    hc: tuple[str, str],
    ours: tuple[str, sessionmaker[Session]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from connectors.hc import mapping
    from connectors.hc.sync import sync_hc

    _, source = hc
    _, factory = ours
    read = mapping.Reader.read

    def read_then_lose_the_source(self: mapping.Reader, community_id: str, *args: object):  # type: ignore[no-untyped-def]
        if community_id == C2:
            raise mapping.SourceError("sync.unreachable", source="hc", detail="connection lost")
        return read(self, community_id, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(mapping.Reader, "read", read_then_lose_the_source)
    with pytest.raises(mapping.SourceError):
        sync_hc(factory=factory, url=source, communities={C1: CODE, C2: "OTHER"}, now=NOW)
    with factory() as session:
        # The first community was written page by page before the source was lost: its
        # orders are whole (every one with its steps); the second has nothing.
        codes = set(session.scalars(select(Community.code)))
        assert codes == {CODE}
        assert session.scalar(select(func.count()).select_from(WorkOrder)) == 7
        stepless = session.scalar(
            select(func.count())
            .select_from(WorkOrder)
            .where(~WorkOrder.id.in_(select(WorkOrderEvent.work_order_id)))
        )
        assert stepless == 0
        assert session.scalars(select(SyncRun.status)).all() == ["failed"]
    monkeypatch.setattr(mapping.Reader, "read", read)
    report = sync_hc(factory=factory, url=source, communities={C1: CODE, C2: "OTHER"}, now=NOW)
    created = [c["kinds"]["order"]["created"] for c in report.as_dict()["communities"]]
    assert created == [0, 1]


def test_an_order_deleted_and_restored_at_the_source_comes_back_whole(
    mariadb_server: MariaDBServer,
    hc: tuple[str, str],
    ours: tuple[str, sessionmaker[Session]],
) -> None:
    database, source = hc
    _, factory = ours
    sync(factory, source)
    for status in ("1", "0"):
        execute(mariadb_server, database,
                f"UPDATE r_repair_pool SET status_cd = '{status}' WHERE repair_id = '8220261005'")  # fmt: skip
        sync(factory, source, full=True)
        with factory() as session:
            order_id = session.scalar(select(WorkOrder.id).where(WorkOrder.code == "HC-8220261005"))
            assert (order_id is None) == (status == "1")
            assert session.scalar(select(func.count()).select_from(Rating)) == (
                3 if status == "1" else 4
            )
    with factory() as session:
        parts = session.scalars(
            select(WorkOrderPart.name).where(WorkOrderPart.work_order_id == order_id)
        ).all()
        assert sorted(parts) == ["生料带(米)", "陶瓷阀芯"]
        kinds = [k for (k,) in session.execute(select(WithdrawnRecord.kind)).all()]
        assert sorted(kinds) == ["order", "rating"]


def test_a_user_without_select_on_a_table_is_told_which(
    mariadb_server: MariaDBServer,
    hc: tuple[str, str],
    ours: tuple[str, sessionmaker[Session]],
) -> None:
    from connectors.hc.source import EXPECTED, SourceError
    from connectors.hc.sync import sync_hc

    database, _ = hc
    _, factory = ours
    user = f"hc_partial_{database}"[:32]
    with mariadb_server.connect() as connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY 'p'")
        for table in EXPECTED:
            if table != "complaint":
                cursor.execute(f"GRANT SELECT ON {database}.{table} TO '{user}'@'127.0.0.1'")
    url = f"mysql+pymysql://{user}:p@127.0.0.1:{mariadb_server.port}/{database}"
    with pytest.raises(SourceError) as refused:
        sync_hc(factory=factory, url=url, communities={C1: CODE}, now=NOW)
    assert "complaint: missing (or not readable)" in refused.value.message("en")
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(WorkOrder)) == 0


def test_parts_photos_and_people_deleted_at_the_source_go(
    mariadb_server: MariaDBServer,
    hc: tuple[str, str],
    ours: tuple[str, sessionmaker[Session]],
) -> None:
    from data_access.models import OwnerUnit, SyncLink

    database, source = hc
    _, factory = ours
    sync(factory, source)
    for sql in (
        "UPDATE resource_store_use_record SET status_cd = '1' WHERE rsur_id = '30102'",
        "UPDATE file_rel SET status_cd = '1' WHERE file_rel_id = '91101'",
        "UPDATE building_owner SET status_cd = '1' WHERE member_id = '7702'",
    ):
        execute(mariadb_server, database, sql)
    kinds = sync(factory, source, full=True)["communities"][0]["kinds"]
    assert (kinds["part"]["withdrawn"], kinds["photo"]["withdrawn"]) == (1, 1)
    assert kinds["owner"]["withdrawn"] == 1
    with factory() as session:
        assert session.scalars(select(WorkOrderPart.name)).all() == ["陶瓷阀芯"]
        photos = session.scalars(
            select(SyncLink.external_id).where(
                SyncLink.kind == "photo", SyncLink.pending.contains("order_id")
            )
        )
        assert sorted(photos) == ["91102"]
        gone = session.scalars(select(Account).where(Account.username == "13800000002")).one()
        assert not gone.is_active
        assert session.scalars(select(OwnerUnit).where(OwnerUnit.account_id == gone.id)).all() == []
        # their rating stays under their name: the person left, what they said did not
        assert (
            session.scalar(
                select(func.count()).select_from(Rating).where(Rating.owner_id == gone.id)
            )
            == 1
        )
