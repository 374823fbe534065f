"""我也遇到 and 关注 on the order and ticket pages (issue 24, item 2), through AppTest on the demo."""

from __future__ import annotations

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from data_access.accounts.privacy import ticket_of_private_order
from data_access.db import make_engine
from data_access.flows import OPEN_TICKET_STATUSES
from data_access.models import Account, MeToo, RectificationTicket, WorkOrder
from tests.conftest import ROOT
from tests.pages.conftest import log_in, texts

BOARD, DETAIL, TICKETS, TICKET = (
    str(ROOT / "pages" / name)
    for name in ("work_orders.py", "order_detail.py", "tickets.py", "ticket_detail.py")
)


def someone_elses_open_public_order(url: str, username: str) -> tuple[int, str]:
    with make_engine(url).connect() as conn:
        account_id, community_id = conn.execute(
            select(Account.id, Account.community_id).where(Account.username == username)
        ).one()
        return conn.execute(
            select(WorkOrder.id, WorkOrder.title)
            .where(WorkOrder.community_id == community_id, WorkOrder.completed_at.is_(None),
                   WorkOrder.visibility == "public", WorkOrder.reporter_id != account_id)
            .order_by(WorkOrder.id)
            .limit(1)
        ).one()  # fmt: skip


def open_order(app: AppTest, order_id: int) -> AppTest:
    app.switch_page(DETAIL)
    app.query_params["id"] = str(order_id)
    return app.run()


def test_an_owner_says_me_too_follows_and_the_board_counts_it(app: AppTest, demo_url: str) -> None:
    order_id, title = someone_elses_open_public_order(demo_url, "owner_a")
    log_in(app, "owner_a")
    open_order(app, order_id)
    assert not app.exception
    assert "还没有其他业主表示也遇到" in texts(app)
    app.button(key=f"me_too_order_{order_id}").click().run()
    assert not app.exception
    shown = texts(app)
    assert "**1 位业主也遇到**" in shown and "您已表示也遇到" in shown
    assert "已关注:每一步进展都会通知您" in shown
    assert not [b for b in app.button if b.key == f"me_too_order_{order_id}"]  # once
    with make_engine(demo_url).connect() as conn:
        said = conn.execute(
            select(MeToo.subject, MeToo.subject_id)
            .join(Account, Account.id == MeToo.account_id)
            .where(Account.username == "owner_a")
        ).all()
    assert said == [("order", order_id)]
    # Unfollowing keeps the "me too": it is a statement, not a subscription.
    app.button(key=f"follow_order_{order_id}").click().run()
    shown = texts(app)
    assert "已取消关注。" in shown and "**1 位业主也遇到**" in shown
    assert "已关注:每一步进展都会通知您" not in shown
    # Another owner's board shows the count on the order's card.
    other = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    log_in(other, "committee_a")
    other.switch_page(BOARD).run()
    other.segmented_control(key="orders_scope").set_value("community").run()
    cards = [m.value for m in other.markdown if m.value.startswith(f"**{title}**")]
    assert cards and ":violet-badge[:material/groups: 1 位业主也遇到]" in cards[0]


def test_a_manager_sees_the_count_without_the_buttons(app: AppTest, demo_url: str) -> None:
    order_id, _ = someone_elses_open_public_order(demo_url, "owner_a")
    owner = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    log_in(owner, "owner_a")
    open_order(owner, order_id).button(key=f"me_too_order_{order_id}").click().run()
    log_in(app, "manager_a")
    open_order(app, order_id)
    assert "**1 位业主也遇到**" in texts(app)
    assert not [b for b in app.button if b.key and b.key.startswith(("me_too_", "follow_"))]


def test_an_owner_follows_a_public_ticket(app: AppTest, demo_url: str) -> None:
    with make_engine(demo_url).connect() as conn:
        owner_id, community_id = conn.execute(
            select(Account.id, Account.community_id).where(Account.username == "owner_a")
        ).one()
        ticket_id = conn.execute(
            select(RectificationTicket.id)
            .where(RectificationTicket.community_id == community_id,
                   RectificationTicket.status.in_(OPEN_TICKET_STATUSES),
                   RectificationTicket.owner_id != owner_id, ~ticket_of_private_order())
            .order_by(RectificationTicket.id).limit(1)
        ).scalar_one()  # fmt: skip
    log_in(app, "owner_a")
    app.switch_page(TICKET)
    app.query_params["id"] = str(ticket_id)
    app.run()
    app.button(key=f"follow_ticket_{ticket_id}").click().run()
    assert not app.exception
    assert "已关注,进展会通知您。" in texts(app)
    assert [b.label for b in app.button if b.key == f"follow_ticket_{ticket_id}"] == ["取消关注"]
