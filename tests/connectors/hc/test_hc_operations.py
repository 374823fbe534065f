"""HC patrols, maintenance and equipment through ``sync_hc`` against the MariaDB fixture.
Expected figures come from plain SQL on the fixture (or by hand, said where), never from the
mapping."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from connectors.hc.sync import sync_hc
from data_access.accounts.auth import Viewer
from data_access.alerts.rules import find_fault_streaks
from data_access.analytics.kpis import actual_completion_rate, plan_completion_rate
from data_access.data_versions import version_of
from data_access.db import make_session_factory
from data_access.models import (
    Area,
    Checkpoint,
    Community,
    Equipment,
    EquipmentFault,
    PatrolCheckin,
    PatrolPlan,
    PatrolRoute,
    PatrolShift,
    PlanTask,
    ServiceItem,
    Staff,
    SyncLink,
    WithdrawnRecord,
)
from data_access.periods import parse_period
from data_access.plans.patrols import get_shift_route, list_missed_checkpoints, list_shifts
from data_access.plans.plans import generate_patrol_shifts, generate_plan_tasks
from tests.connectors.hc.fixture import C1, execute, load_hc
from tests.support.mariadb import MariaDBServer

NOW = dt.datetime(2026, 11, 20, 12, 0)  # UTC; 20:00 in Shanghai
CODE = "CUIHU-HC"
LIVE_TASKS = (
    "SELECT t.task_id FROM inspection_task t"
    " JOIN inspection_plan p ON p.inspection_plan_id = t.inspection_plan_id"
    " JOIN inspection_route r ON r.inspection_route_id = p.inspection_route_id"
    f" WHERE t.community_id = '{C1}' AND t.status_cd = '0' AND r.status_cd = '0'"
)


@pytest.fixture
def hc(mariadb_server: MariaDBServer) -> tuple[str, str]:
    return load_hc(mariadb_server)


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


def sync(factory: sessionmaker[Session], source: str, *, full: bool = True,
         now: dt.datetime = NOW) -> dict:  # fmt: skip
    return sync_hc(factory=factory, url=source, communities={C1: CODE}, full=full,
                   now=now).as_dict()  # fmt: skip


def manager(session: Session) -> Viewer:
    community = session.scalars(select(Community).where(Community.code == CODE)).one()
    return Viewer(account_id=0, username="m", display_name="经理", role="manager",
                  community_id=community.id)  # fmt: skip


def scalar(server: MariaDBServer, database: str, sql: str) -> int:
    return int(str(execute(server, database, sql)[0][0]))


def test_shifts_and_check_ins_match_plain_sql(
    mariadb_server: MariaDBServer, hc: tuple[str, str], factory: sessionmaker[Session]
) -> None:
    database, source = hc
    report = sync(factory, source)
    kinds = report["communities"][0]["kinds"]
    live_tasks = scalar(mariadb_server, database, f"SELECT COUNT(*) FROM ({LIVE_TASKS}) x")
    checked = scalar(
        mariadb_server, database,
        "SELECT COUNT(*) FROM inspection_task_detail WHERE status_cd = '0'"
        f" AND inspection_time IS NOT NULL AND task_id IN ({LIVE_TASKS})",
    )  # fmt: skip
    assert kinds["shift"]["created"] == live_tasks == 4
    with factory() as session:
        viewer = manager(session)
        assert session.scalar(select(func.count()).select_from(PatrolShift)) == live_tasks
        assert session.scalar(select(func.count()).select_from(PatrolCheckin)) == checked == 8
        # Every task lists the points on its route that day: our planned checkpoints of each
        # shift (from when each point was on the route) equal HC's details of the task.
        shifts = list_shifts(session=session, viewer=viewer, period=parse_period("2026-11"),
                             as_of=NOW)  # fmt: skip
        links = dict(
            session.execute(
                select(SyncLink.local_id, SyncLink.external_id).where(SyncLink.kind == "shift")
            ).all()
        )
        for shift in shifts.itertuples():
            task_id = links[shift.shift_id]
            details = scalar(
                mariadb_server, database,
                f"SELECT COUNT(*) FROM inspection_task_detail d JOIN inspection_point p"
                f" ON p.inspection_id = d.inspection_id AND p.status_cd = '0'"
                f" WHERE d.task_id = '{task_id}' AND d.status_cd = '0'",
            )  # fmt: skip
            done = scalar(
                mariadb_server, database,
                f"SELECT COUNT(*) FROM inspection_task_detail WHERE task_id = '{task_id}'"
                " AND status_cd = '0' AND inspection_time IS NOT NULL",
            )  # fmt: skip
            assert (shift.planned_checkpoints, shift.visited) == (details, done), task_id
        by_task = {links[s.shift_id]: s for s in shifts.itertuples()}
        # By hand: 5201 walked all four (P4 still on the route on the 18th) 08:05–08:25;
        # 5202 started 08:50 (> 10 min late) and checked one of four; 5203 never started
        # (P4 gone on the 19th: three planned); 5204 walked all three.
        assert [by_task[t].status for t in ("5201", "5202", "5203", "5204")] == [
            "done",
            "late",
            "missed",
            "done",
        ]
        assert by_task["5201"].coverage == 1.0 and by_task["5202"].coverage == 0.25
        assert by_task["5203"].planned_checkpoints == 3 and by_task["5203"].coverage == 0.0
        assert by_task["5201"].guard == "陈建国"  # a manager sees names
        # Distance: 东门 (120.100, 30.300) → 水泵房 (120.101, 30.300) → 垃圾站 (120.100,
        # 30.301), the 地下车库 check-in has no coordinates. By hand on a 6371 km sphere:
        # 0.001° of longitude at 30.3° N = 96.0 m; the diagonal √(96.0² + 111.2²) = 146.9 m.
        assert by_task["5201"].distance_m == pytest.approx(96.0 + 146.9, abs=0.5)
        assert pd_isna(by_task["5202"].distance_m)  # one located check-in: not measured
        # The check-in photo is a reference until the worker fetches it (tests/connectors/hc/
        # test_hc_photos.py fetches order photos the same way).
        photo = session.scalars(select(SyncLink).where(SyncLink.kind == "photo")).all()
        checkin_photos = [p for p in photo if '"checkin_id"' in p.pending]
        assert len(checkin_photos) == 1 and "img/20261118/gate.jpg" in checkin_photos[0].pending
        missed = list_missed_checkpoints(session=session, viewer=viewer,
                                         period=parse_period("2026-11"), as_of=NOW)  # fmt: skip
        assert sorted(missed[missed["shift_id"] == _local(links, "5203")]["checkpoint"]) == [
            "2号楼水泵房",
            "东门岗亭",
            "地下车库",
        ]


def test_routes_points_and_plans(
    mariadb_server: MariaDBServer, hc: tuple[str, str], factory: sessionmaker[Session]
) -> None:
    database, source = hc
    sync(factory, source)
    with factory() as session:
        routes = session.scalars(select(PatrolRoute.name)).all()
        assert routes == ["日间巡更"]  # the deleted route is not read
        points = {c.name: c for c in session.scalars(select(Checkpoint))}
        # The deleted point that no task ever listed is not a checkpoint; the unlinked one
        # stayed on the route until the last day a task listed it.
        assert set(points) == {"东门岗亭", "2号楼水泵房", "地下车库", "旧垃圾站"}
        assert points["旧垃圾站"].valid_to == dt.date(2026, 11, 18)
        assert points["东门岗亭"].valid_to is None
        assert points["东门岗亭"].valid_from == dt.date(2026, 11, 1)
        assert points["地下车库"].x is None  # HC's placeholder position means unknown
        # Site metres from the north-west corner of every point HC has placed, deleted ones
        # too (a stable origin): (120.100, 30.302). By hand: 0.001° east at 30.302° N =
        # 96.1 m; 0.002° south = 221.1 m.
        assert points["2号楼水泵房"].x == pytest.approx(96.1, abs=0.5)
        assert points["2号楼水泵房"].y == pytest.approx(221.1, abs=0.5)
        assert all(c.photo_required for c in points.values())  # plan 1401 signs in by photo
        plans = session.scalars(select(PatrolPlan).order_by(PatrolPlan.name)).all()
        staff_rows = scalar(
            mariadb_server, database,
            "SELECT COUNT(*) FROM inspection_plan_staff s JOIN inspection_plan p"
            " ON p.inspection_plan_id = s.inspection_plan_id WHERE p.state = '2020025'"
            " AND p.inspection_route_id = '5001' AND s.status_cd = '0'",
        )  # fmt: skip
        assert len(plans) == staff_rows == 2  # one plan of ours per (plan, staff)
        assert [p.name for p in plans] == ["日间巡更计划(1)", "日间巡更计划(2)"]
        assert {(p.time_slots, p.expected_minutes, p.source) for p in plans} == {
            ("08:00-09:00", 60, "hc")
        }
        # The route through the three current points, one without a place: length unknown.
        assert {p.expected_distance_m for p in plans} == {None}
        guards = set(session.scalars(select(Staff.name).where(Staff.post == "巡检员")))
        assert guards == {"陈建国", "刘小兵"}
        # Our generator leaves HC's plans alone: their shifts come from HC.
        community_id = manager(session).community_id
        made = generate_patrol_shifts(
            session=session,
            community_id=community_id,
            start=dt.date(2026, 11, 1),
            end=dt.date(2026, 11, 30),
        )
        made += generate_plan_tasks(session=session, community_id=community_id,
                                    start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))  # fmt: skip
        assert made == 0


def test_a_shift_without_coordinates_shows_a_table_and_the_route_without_a_length(
    hc: tuple[str, str], factory: sessionmaker[Session]
) -> None:
    _, source = hc
    sync(factory, source)
    with factory() as session:
        viewer = manager(session)
        links = dict(
            session.execute(
                select(SyncLink.external_id, SyncLink.local_id).where(SyncLink.kind == "shift")
            ).all()
        )
        shift_id = links["5203"]
        assert shift_id is not None
        route = get_shift_route(session=session, viewer=viewer, shift_id=shift_id,
                                as_of=NOW)  # fmt: skip
        assert route is not None
        assert list(route.checkpoints["name"]) == ["东门岗亭", "2号楼水泵房", "地下车库"]
        assert set(route.checkpoints["status"]) == {"missed"}
        assert route.expected_distance_m is None


def test_maintenance_becomes_items_and_tasks_with_honest_kpis(
    mariadb_server: MariaDBServer, hc: tuple[str, str], factory: sessionmaker[Session]
) -> None:
    database, source = hc
    sync(factory, source)
    with factory() as session:
        item = session.scalars(select(ServiceItem)).one()
        assert (item.name, item.category, item.recurrence, item.month_days, item.source) == (
            "水泵保养",
            "engineering",
            "monthly",
            "18,20",
            "hc",
        )
        assert "水泵月度保养标准" in item.standard and "水泵1号" in item.standard
        tasks = session.scalars(select(PlanTask).order_by(PlanTask.due_date)).all()
        hc_tasks = scalar(
            mariadb_server, database, "SELECT COUNT(*) FROM maintainance_task WHERE status_cd = '0'"
        )
        assert len(tasks) == hc_tasks == 2
        assert [t.status for t in tasks] == ["done", "planned"]
        assert tasks[0].completed_at == dt.datetime(2026, 11, 18, 2, 30)  # 10:30 Shanghai
        assert "已更换轴承" in tasks[0].note
        task_photos = session.scalars(
            select(SyncLink.pending).where(SyncLink.kind == "photo")
        ).all()
        assert any(f'"plan_task_id": {tasks[0].id}' in p for p in task_photos)
        community_id = manager(session).community_id
        # By hand: both tasks' windows (09:00–18:00) ended by 20:00 on the 20th; one was
        # done inside its window, one not at all → 1 of 2 on plan and 1 of 2 at all.
        period = parse_period("2026-11")
        on_plan = plan_completion_rate(session=session, community_id=community_id,
                                       period=period, as_of=NOW)  # fmt: skip
        at_all = actual_completion_rate(session=session, community_id=community_id,
                                        period=period, as_of=NOW)  # fmt: skip
        assert (on_plan.numerator, on_plan.denominator) == (1, 2)
        assert (at_all.numerator, at_all.denominator) == (1, 2)
        assert session.scalar(select(Staff.name).where(Staff.post == "维修工")) == "李师傅"


def test_equipment_faults_and_the_fault_streak_alert(
    mariadb_server: MariaDBServer, hc: tuple[str, str], factory: sessionmaker[Session]
) -> None:
    database, source = hc
    sync(factory, source)
    with factory() as session:
        equipment = {e.name: e for e in session.scalars(select(Equipment))}
        assert set(equipment) == {"水泵1号", "1号楼电梯"}  # the scrapped one is deleted in HC
        codes = {e.code for e in equipment.values()}
        assert len(codes) == 2 and "SB-001" in codes  # HC's duplicate code made unique
        assert equipment["水泵1号"].kind == "水泵"
        assert equipment["水泵1号"].installed_on == dt.date(2020, 6, 1)
        building = session.scalar(select(Area.name).where(Area.id == equipment["水泵1号"].area_id))
        lift_building = session.scalar(
            select(Area.name).where(Area.id == equipment["1号楼电梯"].area_id)
        )
        assert (building, lift_building) == ("2号楼", "1号楼")  # a floor id; a room's building
        fault = session.scalars(select(EquipmentFault)).one()
        # The abnormal result of the 18th (08:15 Shanghai), resolved by the normal one of the
        # 20th (08:10); the phone number in the staff's note is masked.
        assert fault.occurred_at == dt.datetime(2026, 11, 18, 0, 15)
        assert fault.resolved_at == dt.datetime(2026, 11, 20, 0, 10)
        assert "13812345678" not in fault.description and "轴承异响" in fault.description
        community_id = manager(session).community_id
        assert find_fault_streaks(session=session, community_id=community_id, now=NOW) == []
    # Two more abnormal results on the pump's point (answers naming a fault, no patrol_type):
    # three faults within the streak window.
    execute(mariadb_server, database, """
        INSERT INTO inspection_task_detail (task_detail_id, community_id, task_id, inspection_id,
          inspection_name, state, inspection_time, description) VALUES
          ('53034', '2026110100000001', '5203', '1302', '2号楼水泵房', '20200407',
           '2026-11-19 08:30:00', '运行状态:故障;'),
          ('53044', '2026110100000001', '5204', '1302', '2号楼水泵房', '20200407',
           '2026-11-20 09:30:00', '运行状态:异常;')
    """)  # fmt: skip
    sync(factory, source)
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(EquipmentFault)) == 3
        streaks = find_fault_streaks(session=session, community_id=community_id, now=NOW)
        assert [cause.params.get("equipment") for cause in streaks] == ["水泵1号"]


def test_a_second_run_changes_nothing_and_deletions_withdraw(
    mariadb_server: MariaDBServer, hc: tuple[str, str], factory: sessionmaker[Session]
) -> None:
    database, source = hc
    first = sync(factory, source)
    with factory() as session:
        code = first["communities"][0]["code"]
        community_id = session.scalars(select(Community.id).where(Community.code == code)).one()
        version = version_of(session, community_id)
    assert version >= 1  # the first run wrote the community
    again = sync(factory, source)
    with factory() as session:
        # Nothing changed: the community's cached pages stay warm.
        assert version_of(session, community_id) == version
    kinds = again["communities"][0]["kinds"]
    for kind in ("route", "checkpoint", "patrol_plan", "shift", "service_item", "plan_task",
                 "equipment", "fault", "staff"):  # fmt: skip
        assert kinds[kind]["created"] == kinds[kind]["updated"] == 0, kind
        assert kinds[kind]["withdrawn"] == 0, kind
    execute(mariadb_server, database,
            "UPDATE inspection_task SET status_cd = '1' WHERE task_id = '5201'")  # fmt: skip
    execute(mariadb_server, database,
            "UPDATE equipment_account SET status_cd = '1' WHERE machine_id = 'M1'")  # fmt: skip
    later = sync(factory, source)["communities"][0]["kinds"]
    assert later["shift"]["withdrawn"] == 1 and later["equipment"]["withdrawn"] == 1
    with factory() as session:
        assert version_of(session, community_id) > version
        assert session.scalar(select(func.count()).select_from(PatrolShift)) == 3
        assert session.scalar(select(func.count()).select_from(EquipmentFault)) == 0
        kinds_kept = set(session.scalars(select(WithdrawnRecord.kind)))
        assert {"shift", "equipment"} <= kinds_kept


def test_an_incremental_run_reads_recent_tasks_and_leaves_older_ones(
    mariadb_server: MariaDBServer, hc: tuple[str, str], factory: sessionmaker[Session]
) -> None:
    database, source = hc
    sync(factory, source, full=True, now=NOW)
    # The guard checks in late at 5203's first point; an incremental run a day later reads it.
    execute(mariadb_server, database,
            "UPDATE inspection_task_detail SET inspection_time = '2026-11-19 08:40:00'"
            " WHERE task_detail_id = '53031'")  # fmt: skip
    later = sync(factory, source, full=False, now=NOW + dt.timedelta(hours=1))
    kinds = later["communities"][0]["kinds"]
    assert later["full"] is False
    assert kinds["shift"]["updated"] == 1
    assert kinds["shift"]["withdrawn"] == 0
    with factory() as session:
        viewer = manager(session)
        shifts = list_shifts(session=session, viewer=viewer, period=parse_period("2026-11"),
                             as_of=NOW)  # fmt: skip
        assert sorted(shifts["visited"]) == [1, 1, 3, 4]


def _local(links: dict[int | None, str], task_id: str) -> int | None:
    return next(local for local, external in links.items() if external == task_id)


def pd_isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_unknown_codes_are_reported_not_dropped_silently(
    mariadb_server: MariaDBServer, hc: tuple[str, str], factory: sessionmaker[Session]
) -> None:
    database, source = hc
    execute(mariadb_server, database,
            "UPDATE inspection_task SET state = '20209999' WHERE task_id = '5204'")  # fmt: skip
    execute(mariadb_server, database,
            "UPDATE maintainance_plan SET plan_period = '2020099' WHERE plan_id = '6001'")  # fmt: skip
    report = sync(factory, source)
    unmapped = {(u["table"], u["column"], u["code"]) for u in report["unmapped"]}
    assert ("inspection_task", "state", "20209999") in unmapped
    assert ("maintainance_plan", "plan_period", "2020099") in unmapped
    # The shift is still read (its status is ours to judge, not HC's).
    assert report["communities"][0]["kinds"]["shift"]["created"] == 4
