"""服务计划: filters change the figures; owners see masked assignees and only their community."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine
from data_access.models import Account, PlanTask, ServiceItem, Staff
from tests.conftest import ROOT
from tests.pages.conftest import log_in, show_running_period, texts

PLANS = str(ROOT / "pages" / "plans.py")


def open_plans(app: AppTest, username: str) -> AppTest:
    log_in(app, username)
    app.switch_page(PLANS).run()
    assert not app.exception
    return show_running_period(app, "plans")


def metric(app: AppTest, label: str) -> int:
    return int(next(m.value for m in app.metric if m.label == label))


def tasks_due(
    url: str, username: str, start: dt.date, end: dt.date, category: str | None = None
) -> int:
    """Tasks due in [start, end] of the user's community, cancelled excluded — straight SQL."""
    with make_engine(url).connect() as conn:
        community_id = conn.scalar(select(Account.community_id).where(Account.username == username))
        query = (
            select(func.count())
            .select_from(PlanTask)
            .join(ServiceItem, PlanTask.item_id == ServiceItem.id)
            .where(
                PlanTask.community_id == community_id,
                PlanTask.due_date.between(start, end),
                PlanTask.status != "cancelled",
            )
        )
        if category:
            query = query.where(ServiceItem.category == category)
        return int(conn.scalar(query) or 0)


def test_month_figures_match_the_database(app: AppTest, demo_url: str) -> None:
    open_plans(app, "owner_a")
    assert metric(app, "计划任务") == tasks_due(
        demo_url, "owner_a", dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    )
    assert len(app.get("vega_lite_chart")) == 1  # the calendar
    assert app.dataframe[0].value.shape[0] > 5


def test_period_and_category_filters_change_the_figures(app: AppTest, demo_url: str) -> None:
    open_plans(app, "owner_a")
    month = metric(app, "计划任务")
    app.segmented_control(key="plans_period_kind").set_value("week").run()
    week = metric(app, "计划任务")
    assert week == tasks_due(demo_url, "owner_a", dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    assert 0 < week < month
    app.selectbox(key="plans_category").set_value("greening").run()
    greening = metric(app, "计划任务")
    assert greening == tasks_due(
        demo_url, "owner_a", dt.date(2026, 11, 16), dt.date(2026, 11, 22), "greening"
    )
    assert greening < week


def test_a_period_without_tasks_says_so(app: AppTest) -> None:
    open_plans(app, "owner_a")
    app.date_input(key="plans_date").set_value(dt.date(2020, 1, 1)).run()
    assert "所选周期内没有计划任务" in texts(app)
    assert not app.exception


def _staff_names(url: str) -> set[str]:
    with make_engine(url).connect() as conn:
        return set(conn.scalars(select(Staff.name)))


@pytest.mark.parametrize(
    ("username", "masked"), [("owner_a", True), ("committee_a", True), ("manager_a", False)]
)
def test_assignees_are_masked_except_for_managers(
    app: AppTest, demo_url: str, username: str, masked: bool
) -> None:
    open_plans(app, username)
    assignees = set(app.dataframe[1].value["assignee"]) - {""}
    assert assignees
    staff = _staff_names(demo_url)
    if masked:
        assert all(name.endswith("*") for name in assignees)
        assert not assignees & staff
    else:
        assert assignees <= staff


def test_owner_b_sees_only_their_community(app: AppTest, demo_url: str) -> None:
    open_plans(app, "owner_b")
    assert metric(app, "计划任务") == tasks_due(
        demo_url, "owner_b", dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    )
    assert metric(app, "计划任务") != tasks_due(
        demo_url, "owner_a", dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    )
