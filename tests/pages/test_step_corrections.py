"""The order page shows a corrected step once, at its corrected time, with the correction
beneath it (issue 16, point 1)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine, make_session_factory
from data_access.models import Account, WorkOrder, WorkOrderEvent
from data_access.orders.steps import correction
from tests.conftest import ROOT
from tests.pages.conftest import log_in, texts

DETAIL = str(ROOT / "pages" / "order_detail.py")


def test_a_corrected_submission_shows_once_with_its_correction(app: AppTest, demo_url: str) -> None:
    engine = make_engine(demo_url)
    with make_session_factory(engine)() as session:
        owner = session.scalars(select(Account).where(Account.username == "owner_a")).one()
        order = session.scalars(
            select(WorkOrder).where(WorkOrder.reporter_id == owner.id).order_by(WorkOrder.id)
        ).first()
        assert order is not None
        first = session.scalars(
            select(WorkOrderEvent)
            .where(WorkOrderEvent.work_order_id == order.id)
            .order_by(WorkOrderEvent.occurred_at, WorkOrderEvent.id)
        ).first()
        assert first is not None
        was, now = first.occurred_at, first.occurred_at - dt.timedelta(minutes=35)
        session.add(
            correction(
                order_id=order.id,
                step_id=first.id,
                stage=first.stage,
                to=now,
                by="物业系统",
                recorded_at=dt.datetime(2026, 11, 19, 2, 0),
            )
        )
        session.execute(update(WorkOrder).where(WorkOrder.id == order.id).values(created_at=now))
        session.commit()
        order_id, stage = order.id, first.stage
    log_in(app, "owner_a")
    app.switch_page(DETAIL)
    app.query_params["id"] = str(order_id)
    app.run()
    assert not app.exception
    shown = texts(app)
    local = dt.timedelta(hours=8)  # the demo community is in Asia/Shanghai
    assert (
        f"时间已更正：原为 {was + local:%Y-%m-%d %H:%M}，物业系统于 2026-11-19 10:00 "
        f"更正为 {now + local:%Y-%m-%d %H:%M}"
    ) in shown
    heads = [m.value for m in app.markdown if m.value.startswith("**") and " · " in m.value]
    stage_label = {"submitted": "已提交", "scheduled": "已排期"}.get(stage, stage)
    assert sum(stage_label in head for head in heads) == 1
    # The step keeps its own actor; the source that corrected it ("物业系统") is only named in
    # the correction line (before, the header showed it as the actor, masked: 物***).
    (head,) = [head for head in heads if stage_label in head]
    assert "物" not in head
    assert any(f"{now + local:%Y-%m-%d %H:%M}" in head for head in heads)
