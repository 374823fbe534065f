"""Pages show dates and times in the viewer's community's own zone, not always Shanghai."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from data_access.accounts.auth import load_viewer
from data_access.db import make_engine, make_session_factory
from data_access.models import Account, Community, WorkOrder
from i18n import translate
from tests.conftest import ROOT
from tests.pages.conftest import log_in, texts

DETAIL = str(ROOT / "pages" / "order_detail.py")


def test_an_orders_times_are_shown_in_its_communitys_zone(app: AppTest, demo_url: str) -> None:
    engine = make_engine(demo_url)
    with engine.begin() as conn:
        account_id, community_id = conn.execute(
            select(Account.id, Account.community_id).where(Account.username == "owner_a")
        ).one()
        first = conn.execute(
            select(WorkOrder.id, WorkOrder.created_at)
            .where(WorkOrder.reporter_id == account_id)
            .order_by(WorkOrder.id)
        ).first()
        assert first is not None
        order_id, created_at = first
        conn.execute(
            update(Community).where(Community.id == community_id).values(time_zone="Asia/Urumqi")
        )
    log_in(app, "owner_a")
    app.switch_page(DETAIL)
    app.query_params["id"] = str(order_id)
    app.run()
    assert not app.exception
    created_label = f"**{translate('order.created', 'zh')}**"
    urumqi = created_at + dt.timedelta(hours=6)  # UTC+6 all year
    shanghai = created_at + dt.timedelta(hours=8)
    shown = texts(app)
    assert f"{created_label} {urumqi:%Y-%m-%d %H:%M}" in shown
    assert f"{created_label} {shanghai:%Y-%m-%d %H:%M}" not in shown
    with make_session_factory(engine)() as session:
        viewer = load_viewer(session=session, username="owner_a")
    assert viewer is not None and viewer.time_zone == "Asia/Urumqi"
