"""Overview figures on a hand-built dataset: two communities, orders and tickets in every state."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from data_access.accounts.auth import load_viewer
from data_access.dashboards.overview import get_overview
from tests.data_access import factories as f

TODAY = dt.date(2026, 11, 20)


def test_counts_are_scoped_to_the_viewers_community(session: Session) -> None:
    home, other = f.community(session, name="翠湖花园"), f.community(session, name="锦绣华庭")
    old = f.contract(session, home, dt.date(2024, 1, 1), dt.date(2025, 12, 31))
    current = f.contract(session, home, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    b = f.building(session, home, "3栋")
    my_unit = f.unit(session, b, entrance=2, room="1201")
    f.account(session, home, username="owner_home", units=(my_unit,))
    # Home: 3 open orders (one per type), 2 completed. Other community: 4 open.
    for order_type in ("repair", "complaint", "brand_service"):
        f.work_order(session, home, order_type=order_type)
    for _ in range(2):
        f.work_order(session, home, completed_at=f.T0 + dt.timedelta(hours=3))
    for _ in range(4):
        f.work_order(session, other)
    # Home tickets: open = submitted, accepted, in_progress, awaiting_confirmation → 4;
    # closed and rejected are not open. Other community: 2 submitted.
    for status in (
        "submitted",
        "accepted",
        "in_progress",
        "awaiting_confirmation",
        "closed",
        "rejected",
    ):
        f.ticket(session, home, status)
    f.ticket(session, other)
    f.ticket(session, other)
    session.commit()

    viewer = load_viewer(session=session, username="owner_home")
    assert viewer is not None
    summary = get_overview(session=session, viewer=viewer, today=TODAY)

    assert (summary.community_name, summary.city, summary.address) == (
        "翠湖花园",
        "杭州",
        "测试路1号",
    )
    assert (summary.open_work_orders, summary.open_tickets) == (3, 4)
    assert summary.contract is not None and summary.contract.code == current.code != old.code
    assert summary.my_units == ("3栋2单元1201",)


def test_no_contract_in_force(session: Session) -> None:
    c = f.community(session)
    f.contract(session, c, dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    f.account(session, c, username="lonely")
    viewer = load_viewer(session=session, username="lonely")
    assert viewer is not None
    summary = get_overview(session=session, viewer=viewer, today=TODAY)
    assert summary.contract is None
    assert (summary.open_work_orders, summary.open_tickets, summary.my_units) == (0, 0, ())
