"""The correction model: a re-import that corrects step times appends corrections, and every
reader uses the effective steps (issue 16, point 1). Times in files are Asia/Shanghai."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer, load_viewer
from data_access.dashboards.overview import community_updates
from data_access.models import Community, WorkOrder, WorkOrderEvent
from data_access.orders.handling import handling_figures
from data_access.orders.steps import StepCorrection
from data_access.orders.work_orders import get_order_detail, list_board
from data_access.periods import range_period
from tests.data_access import factories as f
from tests.data_access.test_imports import community, csv_bytes, order_by_external_id, row

__all__ = ["community"]  # the fixture, used by name

L = f.local
RECORDED = dt.datetime(2026, 11, 1, 4, 0)  # when the corrected file was imported (UTC)


def _manager(session: Session, c: Community) -> Viewer:
    account = f.account(session, c, role="manager")
    viewer = load_viewer(session=session, account_id=account.id)
    assert viewer is not None
    return viewer


def _all_steps(session: Session, order: WorkOrder) -> list[tuple[str, dt.datetime, int | None]]:
    return [
        (e.stage, e.occurred_at, e.corrects_event_id)
        for e in session.scalars(
            select(WorkOrderEvent)
            .where(WorkOrderEvent.work_order_id == order.id)
            .order_by(WorkOrderEvent.id)
        )
    ]


def _import(session: Session, c: Community, data: bytes, now: dt.datetime = RECORDED) -> None:
    from data_access.imports.order_import import import_orders
    from tests.data_access.test_imports import mapping

    import_orders(
        session=session, community_id=c.id, data=data, mapping=mapping(), file_name="t.csv",
        now=now,
    )  # fmt: skip
    session.commit()


def test_a_corrected_closed_and_created_time_supersede_their_steps(
    session: Session, community: Community
) -> None:
    first = row("C1", created="2026/10/9 10:00", answered="2026/10/9 10:30",
                closed="2026/10/10 10:00", status="已完成")  # fmt: skip
    _import(session, community, csv_bytes([first]))
    order = order_by_external_id(session, "C1")
    original = _all_steps(session, order)
    assert [(s, t) for s, t, _ in original] == [
        ("submitted", L(2026, 10, 9, 10)),
        ("accepted", L(2026, 10, 9, 10, 30)),
        ("completed", L(2026, 10, 10, 10)),
    ]

    # The source corrected two times: created 09:40 (not 10:00), closed the 11th at 16:00.
    fixed = row("C1", created="2026/10/9 9:40", answered="2026/10/9 10:30",
                closed="2026/10/11 16:00", status="已完成")  # fmt: skip
    _import(session, community, csv_bytes([fixed]))
    session.refresh(order)
    steps = _all_steps(session, order)
    ids = [e.id for e in session.scalars(select(WorkOrderEvent).order_by(WorkOrderEvent.id))]
    # Append-only: the three original rows are untouched; two corrections name them.
    assert steps[:3] == original
    assert steps[3:] == [
        ("submitted", L(2026, 10, 9, 9, 40), ids[0]),
        ("completed", L(2026, 10, 11, 16), ids[2]),
    ]
    assert (order.created_at, order.completed_at) == (L(2026, 10, 9, 9, 40), L(2026, 10, 11, 16))

    # The timeline: one submission and one completion, at the corrected times, each with its
    # correction beneath it (from → to, by the source, when).
    detail = get_order_detail(
        session=session, viewer=_manager(session, community), order_id=order.id,
        now=dt.datetime(2026, 11, 2),
    )  # fmt: skip
    assert [(s.stage, s.occurred_at) for s in detail.steps] == [
        ("submitted", L(2026, 10, 9, 9, 40)),
        ("accepted", L(2026, 10, 9, 10, 30)),
        ("completed", L(2026, 10, 11, 16)),
    ]
    assert detail.steps[0].corrections == (
        StepCorrection(
            "submitted", L(2026, 10, 9, 10), L(2026, 10, 9, 9, 40), "测试系统", RECORDED
        ),
    )
    assert detail.steps[1].corrections == ()
    assert detail.steps[2].corrections == (
        StepCorrection("completed", L(2026, 10, 10, 10), L(2026, 10, 11, 16), "测试系统", RECORDED),
    )
    assert detail.progress.stage == "completed"
    # The resolve deadline is judged on the corrected time: created 09:40 + 600 min = 19:40
    # on the 9th; closed on the 11th is late.
    assert detail.steps[2].deadline_met is False

    # Handling time: 09:40 on the 9th → 16:00 on the 11th = 54 h 20 min.
    figures = handling_figures(
        session=session, community_id=community.id,
        period=range_period(dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
    )  # fmt: skip
    assert (figures.count, figures.median_hours) == (1, 54 + 20 / 60)

    # The same corrected file again changes nothing.
    before = session.scalar(select(func.count()).select_from(WorkOrderEvent))
    _import(session, community, csv_bytes([fixed]), now=RECORDED + dt.timedelta(days=1))
    assert session.scalar(select(func.count()).select_from(WorkOrderEvent)) == before


def test_a_correction_can_be_corrected_and_the_chain_is_shown(
    session: Session, community: Community
) -> None:
    times = ("2026/10/10 10:00", "2026/10/10 12:00", "2026/10/10 11:00")
    for n, closed in enumerate(times):
        data = csv_bytes([row("C2", closed=closed, status="已完成")])
        _import(session, community, data, now=RECORDED + dt.timedelta(days=n))
    order = order_by_external_id(session, "C2")
    detail = get_order_detail(
        session=session, viewer=_manager(session, community), order_id=order.id,
        now=dt.datetime(2026, 11, 5),
    )  # fmt: skip
    completed = [s for s in detail.steps if s.stage == "completed"]
    assert len(completed) == 1 and completed[0].occurred_at == L(2026, 10, 10, 11)
    assert [(c.corrected_from, c.corrected_to) for c in completed[0].corrections] == [
        (L(2026, 10, 10, 10), L(2026, 10, 10, 12)),
        (L(2026, 10, 10, 12), L(2026, 10, 10, 11)),
    ]
    assert [c.recorded_at for c in completed[0].corrections] == [
        RECORDED + dt.timedelta(days=1),
        RECORDED + dt.timedelta(days=2),
    ]


def test_feed_and_board_read_only_effective_steps(session: Session, community: Community) -> None:
    _import(session, community, csv_bytes([row("C3", answered="2026/10/9 10:30")]))
    _import(session, community, csv_bytes([row("C3", answered="2026/10/9 10:45")]))
    order = order_by_external_id(session, "C3")
    feed = community_updates(session=session, community_id=community.id, unmasked=True, limit=20)
    accepted = [u for u in feed if u.title == order.title and u.state == "accepted"]
    assert [u.occurred_at for u in accepted] == [L(2026, 10, 9, 10, 45)]
    board = list_board(
        session=session, viewer=_manager(session, community), now=dt.datetime(2026, 10, 9, 4)
    )
    (card,) = [c for c in board.orders if c.order_id == order.id]
    assert card.progress.stage == "accepted" and card.last_event_at == L(2026, 10, 9, 10, 45)
