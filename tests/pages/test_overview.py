"""首页: what each role sees, read back against the database directly."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine
from data_access.flows import OPEN_TICKET_STATUSES
from data_access.models import Account, Community, RectificationTicket, WorkOrder
from tests.pages.conftest import log_in, texts


def expected_figures(url: str, username: str) -> tuple[str, int, int]:
    """Community name, open orders, open tickets — counted straight from the tables."""
    with make_engine(url).connect() as conn:
        community_id = conn.scalar(select(Account.community_id).where(Account.username == username))
        name = conn.scalar(select(Community.name).where(Community.id == community_id))
        orders = conn.scalar(
            select(func.count()).where(
                WorkOrder.community_id == community_id, WorkOrder.completed_at.is_(None)
            )
        )
        tickets = conn.scalar(
            select(func.count()).where(
                RectificationTicket.community_id == community_id,
                RectificationTicket.status.in_(OPEN_TICKET_STATUSES),
            )
        )
    assert name and orders is not None and tickets is not None
    return name, orders, tickets


@pytest.mark.parametrize(
    "username", ["owner_a", "owner_b", "committee_a", "manager_a", "manager_b"]
)
def test_each_role_sees_its_own_community(app: AppTest, demo_url: str, username: str) -> None:
    log_in(app, username)
    assert not app.exception
    name, orders, tickets = expected_figures(demo_url, username)
    assert app.title[0].value == name
    assert [(m.label, m.value) for m in app.metric] == [
        ("处理中的工单", str(orders)),
        ("进行中的整改", str(tickets)),
    ]
    assert "合同期" in texts(app)


def test_owners_do_not_see_the_other_community(app: AppTest, demo_url: str) -> None:
    other, _, _ = expected_figures(demo_url, "owner_a")
    log_in(app, "owner_b")
    assert other not in texts(app)


def test_owner_sees_their_own_home(app: AppTest) -> None:
    log_in(app, "owner_a")
    assert "我的房屋" in texts(app)


def test_language_switch_to_english(app: AppTest) -> None:
    log_in(app, "owner_a")
    app.selectbox(key="app_language").set_value("en").run()
    assert [m.label for m in app.metric] == ["Open work orders", "Open rectification tickets"]
    assert "Contract period" in texts(app)
