"""The large dataset generator, on a tiny run (2 communities, 2 months) of each engine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts.auth import verify_password
from data_access.db import make_engine, make_session_factory, migrate
from data_access.flows import FINAL_STAGE, WORK_ORDER_FLOWS
from data_access.models import (
    Account,
    PlanTask,
    Rating,
    RectificationTicket,
    WorkOrder,
    WorkOrderEvent,
)
from data_access.plans.plans import generate_plan_tasks
from seed.demo_accounts import DEMO_PASSWORD
from seed.large import populate_large

AS_OF = dt.date(2026, 11, 20)


def _populate(factory: sessionmaker[Session], media_dir: Path) -> dict[str, int]:
    return populate_large(factory, communities=2, months=2, as_of=AS_OF, media_dir=media_dir)


def test_a_tiny_large_run(
    session_factory: sessionmaker[Session], engine: Engine, tmp_path: Path
) -> None:
    """One run per engine, checked for consistency, a working demo login, and determinism
    against a second run into another database (a populate costs seconds: kept to two)."""
    counts = _populate(session_factory, tmp_path / "media")
    assert counts["communities"] == 2
    assert counts["work_orders"] > 100 and counts["plan_tasks"] > 1000
    with session_factory() as session:
        _check_consistent(session)
        _check_plan_tasks_follow_the_rule(session)
        account = session.scalars(select(Account).where(Account.username == "owner_a")).one()
        assert verify_password(DEMO_PASSWORD, account.password_hash)
    _check_same_run(engine, counts, tmp_path)


def _check_consistent(session: Session) -> None:
    """Every order has events in flow order, completed orders (only) have a completed event,
    ratings only on completed orders, ticket codes unique per community, plan tasks in the
    window (two months back from the start of as-of's month, to two weeks ahead)."""
    events: dict[int, list[str]] = {}
    for order_id, stage in session.execute(
        select(WorkOrderEvent.work_order_id, WorkOrderEvent.stage).order_by(
            WorkOrderEvent.work_order_id, WorkOrderEvent.occurred_at, WorkOrderEvent.id
        )
    ):
        events.setdefault(order_id, []).append(stage)
    orders = session.execute(select(WorkOrder.id, WorkOrder.order_type, WorkOrder.completed_at))
    for order_id, order_type, completed_at in orders:
        stages = events[order_id]
        flow = [s.code for s in WORK_ORDER_FLOWS[order_type]]
        positions = [flow.index(stage) for stage in stages]
        assert positions == sorted(positions), (order_id, stages)
        assert (completed_at is not None) == (FINAL_STAGE in stages)
    rated = session.scalars(
        select(WorkOrder.completed_at).join(Rating, Rating.work_order_id == WorkOrder.id)
    ).all()
    assert rated and all(completed is not None for completed in rated)
    codes = session.execute(
        select(RectificationTicket.community_id, RectificationTicket.code)
    ).all()
    assert codes and len(codes) == len(set(codes))
    first, last = session.execute(
        select(func.min(PlanTask.due_date), func.max(PlanTask.due_date))
    ).one()
    assert dt.date(2026, 9, 1) <= first and last <= AS_OF + dt.timedelta(days=14)


def _check_plan_tasks_follow_the_rule(session: Session) -> None:
    """The large seed's plan tasks are exactly those ``generate_plan_tasks`` makes: each
    community's are removed and generated anew over the same days (rolled back after)."""
    key = (PlanTask.item_id, PlanTask.due_date, PlanTask.seq, PlanTask.window_start_at,
           PlanTask.window_end_at)  # fmt: skip
    for community_id, first, last in session.execute(
        select(
            PlanTask.community_id, func.min(PlanTask.due_date), func.max(PlanTask.due_date)
        ).group_by(PlanTask.community_id)
    ).all():
        mine = PlanTask.community_id == community_id
        seeded = set(session.execute(select(*key).where(mine)).all())
        session.execute(delete(PlanTask).where(mine))
        created = generate_plan_tasks(
            session=session, community_id=community_id, start=first, end=last
        )
        generated = set(session.execute(select(*key).where(mine)).all())
        session.rollback()
        assert created == len(seeded) and generated == seeded


def _check_same_run(engine: Engine, counts: dict[str, int], tmp_path: Path) -> None:
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    migrate(other)
    try:
        assert _populate(make_session_factory(other), tmp_path / "media2") == counts
        for model in (WorkOrder, WorkOrderEvent, PlanTask, Rating, RectificationTicket):
            query = select(*model.__table__.c).order_by(model.id).limit(20)
            with engine.connect() as a, other.connect() as b:
                assert a.execute(query).all() == b.execute(query).all()
    finally:
        other.dispose()
