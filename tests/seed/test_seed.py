"""The demo seed: deterministic, complete enough for every page, and consistent with the rules."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

import seed
from data_access.accounts.auth import UNUSABLE_PASSWORD_HASH, verify_password
from data_access.db import make_engine, make_session_factory, migrate
from data_access.errors import DomainError
from data_access.flows import RESPONSE_STAGE, WORK_ORDER_FLOWS, can_move_ticket, derive_progress
from data_access.models import (
    TICKET_STATUSES,
    Account,
    Base,
    Community,
    PlanTask,
    Rating,
    RectificationTicket,
    ServiceContract,
    ServiceItem,
    Staff,
    TicketEvent,
    WorkOrder,
    WorkOrderEvent,
)
from seed.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.conftest import DEMO_AS_OF

AS_OF = DEMO_AS_OF  # the shared demo database is seeded as of this day too
NOW = dt.datetime(2026, 11, 20, 12, 0)  # 20:00 Asia/Shanghai, the seed's "now"


def seed_into(folder: Path) -> tuple[Engine, dict[str, int]]:
    engine = make_engine(f"sqlite:///{folder / 'seed.db'}")
    migrate(engine)
    counts = seed.populate(
        session_factory=make_session_factory(engine),
        scale="demo",
        seed=42,
        as_of=AS_OF,
        media_dir=folder / "media",
    )
    return engine, counts


@pytest.fixture(scope="module")
def seeded(
    tmp_path_factory: pytest.TempPathFactory, demo_database: Path
) -> Iterator[dict[str, Any]]:
    """The demo seeded into a fresh database here, and the run's shared demo database, seeded
    with the same seed and date by another process (tests/conftest.py). The shared one is only
    read; the page tests may add uploaded photos to its media folder."""
    first = tmp_path_factory.mktemp("first")
    engine_a, counts = seed_into(first)
    engine_b = make_engine(f"sqlite:///{demo_database}")
    folders = (first, demo_database.parent)
    yield {"folders": folders, "engines": (engine_a, engine_b), "counts": counts}
    engine_a.dispose()
    engine_b.dispose()


@pytest.fixture
def db(seeded: dict[str, Any]) -> Iterator[Session]:
    with Session(seeded["engines"][0]) as session:
        yield session


def table_contents(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    contents = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            # Salted hashes differ by design; a data version's time is when the seed ran.
            columns = [
                c
                for c in table.columns
                if c.name != "password_hash"
                and not (table.name == "data_versions" and c.name == "changed_at")
            ]
            rows = conn.execute(select(*columns).order_by(*table.primary_key.columns))
            contents[table.name] = [tuple(row) for row in rows]
    return contents


def media_files(folder: Path) -> dict[str, bytes]:
    media = folder / "media"
    return {
        p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()
    }


def test_same_seed_and_date_give_identical_rows(seeded: dict[str, Any]) -> None:
    first, second = (table_contents(engine) for engine in seeded["engines"])
    assert {name: len(rows) for name, rows in first.items()} == seeded["counts"]
    for name in first:
        assert first[name] == second[name], name


def test_same_seed_and_date_give_identical_photos(seeded: dict[str, Any]) -> None:
    first, second = (media_files(folder) for folder in seeded["folders"])
    assert first == {name: second.get(name) for name in first}
    # Every photo row has its file and its thumbnail.
    assert len(first) == 2 * seeded["counts"]["photos"]


def test_volumes_make_sense(seeded: dict[str, Any]) -> None:
    counts = seeded["counts"]
    assert counts["communities"] == 3
    assert 300 <= counts["accounts"] <= 1000
    assert 15_000 <= counts["plan_tasks"] <= 45_000
    assert counts["patrol_checkins"] >= 40_000
    assert 2 * 12 * 150 <= counts["work_orders"] <= 3 * 13 * 150
    assert counts["work_order_events"] > 3 * counts["work_orders"]
    assert 100 <= counts["photos"] <= 400
    assert counts["photo_attachments"] >= counts["photos"]
    assert counts["equipment_faults"] > 0 and counts["work_order_parts"] > 0
    assert counts["ratings"] > 0 and counts["rectification_tickets"] > 0


def test_each_community_has_a_contract_with_12_to_20_items(db: Session) -> None:
    items = dict(
        db.execute(
            select(Community.code, func.count(ServiceItem.id))
            .join(ServiceContract, ServiceContract.community_id == Community.id)
            .join(ServiceItem, ServiceItem.contract_id == ServiceContract.id)
            .group_by(Community.code)
        ).all()
    )
    assert set(items) == {"CUIHU", "JINXIU", "WUTONG"}
    assert all(12 <= n <= 20 for n in items.values()), items
    categories = set(db.scalars(select(ServiceItem.category)))
    assert categories == {
        "cleaning", "greening", "security", "engineering", "elevator", "customer_service", "events"
    }  # fmt: skip


def test_plan_tasks_are_mostly_done_and_the_future_is_planned(db: Session) -> None:
    past = Counter(db.scalars(select(PlanTask.status).where(PlanTask.window_end_at <= NOW)).all())
    assert past["done"] / sum(past.values()) > 0.9
    assert past["planned"] > 0 and past["cancelled"] > 0  # missed and cancelled ones too
    future = set(db.scalars(select(PlanTask.status).where(PlanTask.window_start_at > NOW)))
    assert future == {"planned"}


def test_open_orders_at_every_stage_of_every_flow(db: Session) -> None:
    stages: dict[int, list[str]] = defaultdict(list)
    for order_id, stage in db.execute(
        select(WorkOrderEvent.work_order_id, WorkOrderEvent.stage).order_by(WorkOrderEvent.id)
    ):
        stages[order_id].append(stage)
    open_at: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for order_id, code, order_type, completed_at in db.execute(
        select(WorkOrder.id, Community.code, WorkOrder.order_type, WorkOrder.completed_at).join(
            Community
        )
    ):
        progress = derive_progress(order_type, stages[order_id])
        assert progress.is_final == (completed_at is not None), order_id
        if not progress.is_final:
            open_at[code].add((order_type, progress.stage))
    expected = {
        (order_type, stage.code)
        for order_type, flow in WORK_ORDER_FLOWS.items()
        for stage in flow[:-1]
    }
    for code in ("CUIHU", "JINXIU", "WUTONG"):
        assert open_at[code] >= expected, code


def test_order_timestamps_agree_with_their_events(db: Session) -> None:
    orders = db.scalars(select(WorkOrder)).all()
    events: dict[int, list[WorkOrderEvent]] = defaultdict(list)
    for event in db.scalars(select(WorkOrderEvent).order_by(WorkOrderEvent.id)):
        events[event.work_order_id].append(event)
    for order in orders:
        times = [e.occurred_at for e in events[order.id]]
        assert times == sorted(times) and times[0] == order.created_at, order.code
        assert times[-1] <= NOW
        response = [
            e.occurred_at for e in events[order.id] if e.stage == RESPONSE_STAGE[order.order_type]
        ]
        completion = [e.occurred_at for e in events[order.id] if e.stage == "completed"]
        assert order.responded_at == (response[0] if response else None), order.code
        assert order.completed_at == (completion[0] if completion else None), order.code
        assert (order.visibility == "private") == (order.unit_id is not None)
    overdue = [o for o in orders if (o.completed_at or NOW) > o.resolve_due_at]
    assert 0.03 < len(overdue) / len(orders) < 0.3


def test_ratings_are_skewed_high_with_a_low_tail(db: Session) -> None:
    scores = Counter(db.scalars(select(Rating.score_quality)).all())
    total = sum(scores.values())
    assert (scores[4] + scores[5]) / total > 0.65
    assert 0.03 < (scores[1] + scores[2]) / total < 0.2
    unique = db.execute(select(func.count()).select_from(Rating)).scalar()
    pairs = db.execute(select(Rating.work_order_id, Rating.owner_id).distinct()).all()
    assert unique == len(pairs)


def test_tickets_in_every_status_with_valid_transitions(db: Session) -> None:
    statuses = set(
        db.execute(select(Community.code, RectificationTicket.status).join(Community)).all()
    )
    for code in ("CUIHU", "JINXIU", "WUTONG"):
        assert {s for c, s in statuses if c == code} == set(TICKET_STATUSES), code
    sources = set(db.scalars(select(RectificationTicket.source)))
    assert sources == {"rating", "owner", "on_behalf"}
    assert db.scalar(select(func.count()).where(RectificationTicket.auto_closed.is_(True)))
    trail: dict[int, list[TicketEvent]] = defaultdict(list)
    for event in db.scalars(select(TicketEvent).order_by(TicketEvent.id)):
        trail[event.ticket_id].append(event)
    for ticket in db.scalars(select(RectificationTicket)):
        events = trail[ticket.id]
        assert events[0].from_status is None and events[0].to_status == "submitted"
        for before, after in itertools.pairwise(events):
            assert after.from_status == before.to_status
            assert can_move_ticket(before.to_status, after.to_status), ticket.code
        assert events[-1].to_status == ticket.status
        assert (ticket.status == "rejected") == bool(ticket.reject_reason)


def test_demo_accounts(db: Session) -> None:
    accounts = {a.username: a for a in db.scalars(select(Account))}
    codes = dict(db.execute(select(Community.id, Community.code)).all())
    for demo in DEMO_ACCOUNTS:
        account = accounts[demo.username]
        assert (account.role, codes[account.community_id]) == (demo.role, demo.community_code)
    assert verify_password(DEMO_PASSWORD, accounts["owner_a"].password_hash)
    data_accounts = [
        a for name, a in accounts.items() if name not in {d.username for d in DEMO_ACCOUNTS}
    ]
    assert all(a.password_hash == UNUSABLE_PASSWORD_HASH for a in data_accounts)
    for username in ("manager_a", "manager_b"):
        staff = db.scalar(select(Staff).where(Staff.account_id == accounts[username].id))
        assert staff is not None and staff.post == "经理"


def test_owner_a_has_orders_in_several_stages(db: Session) -> None:
    owner_a = db.scalar(select(Account).where(Account.username == "owner_a"))
    assert owner_a is not None and owner_a.units
    orders = db.scalars(select(WorkOrder).where(WorkOrder.reporter_id == owner_a.id)).all()
    stages = {
        o.id: [
            e.stage
            for e in db.scalars(
                select(WorkOrderEvent)
                .where(WorkOrderEvent.work_order_id == o.id)
                .order_by(WorkOrderEvent.id)
            )
        ]
        for o in orders
    }
    rated = set(db.scalars(select(Rating.work_order_id).where(Rating.owner_id == owner_a.id)))
    assert {o.visibility for o in orders} == {"public", "private"}
    assert any(o.completed_at and o.id not in rated for o in orders)  # something to rate
    assert any(
        o.order_type == "repair" and o.completed_at is None and "parts_procurement" in stages[o.id]
        for o in orders
    )
    current = {
        derive_progress(o.order_type, stages[o.id]).stage for o in orders if not o.completed_at
    }
    assert len(current) >= 4


def test_refuses_a_database_that_has_data(seeded: dict[str, Any], tmp_path: Path) -> None:
    factory = make_session_factory(seeded["engines"][0])
    assert not seed.is_empty(session_factory=factory)
    with pytest.raises(DomainError) as refused:
        seed.populate(session_factory=factory, as_of=AS_OF, media_dir=tmp_path)
    assert refused.value.key == "seed.not_empty"


def test_only_demo_scale_exists(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="later step"):
        seed.populate(session_factory=None, scale="large", media_dir=tmp_path)  # type: ignore[arg-type]  # no database on purpose: the scale is refused first


@pytest.mark.parametrize(
    ("place", "subject", "joined"),
    [("3栋1单元", "单元门禁", "3栋1单元门禁"), ("1栋大堂", "大堂空调", "1栋大堂空调"),
     ("南门", "道闸", "南门道闸"), ("", "路灯", "路灯"), ("家里", "", "家里")],
)  # fmt: skip
def test_place_and_subject_never_repeat_their_overlap(
    place: str, subject: str, joined: str
) -> None:
    from seed.texts import place_and_subject

    assert place_and_subject(place, subject) == joined
