"""The period picker: pages that judge a period open on the last complete one with the running
one a click away, and History reaches every day its data covers, also as a from–to range.

The demo's today is 2026-11-20 (tests/pages/conftest.py), so the last complete month is
October 2026 and November is running.
"""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from data_access.communities import community_id_by_code
from data_access.db import make_engine, make_session_factory, write_session
from data_access.imports.order_import import import_orders, load_mapping
from tests.conftest import ROOT
from tests.pages.conftest import log_in

PAGES = {name: str(ROOT / "pages" / f"{name}.py") for name in ("plans", "history", "analytics", "staff", "patrols")}  # fmt: skip
OCTOBER = "统计范围:2026-10-01 至 2026-10-31"
NOVEMBER = "统计范围:2026-11-01 至 2026-11-30"
RUNNING = "进行中,截至 2026-11-20"

OLD_EXPORT = """工单编号,创建时间,响应时间,完成时间,工单类型,类别,标题,内容,位置,状态
GD2011030001,2011/3/5 9:00:00,2011/3/5 9:20:00,2011/3/5 15:00:00,报修,水电,3栋地库漏水,地库漏水,3栋地库,已完成
GD2011030002,2011/3/20 10:00:00,2011/3/20 10:30:00,2011/3/22 10:00:00,报修,电梯,2栋电梯异响,电梯异响,2栋1单元,已完成
GD2016080001,2016/8/1 8:00:00,2016/8/1 8:10:00,2016/8/1 20:00:00,投诉,噪音,夜间施工噪音,夜间施工,小区东门,已完成
"""


def open_page(app: AppTest, name: str, username: str = "manager_a") -> AppTest:
    log_in(app, username)
    app.switch_page(PAGES[name]).run()
    assert not app.exception
    return app


def caption(app: AppTest) -> str:
    return next(c.value for c in app.caption if c.value.startswith("统计范围"))


@pytest.mark.parametrize("name", ["plans", "history", "analytics", "staff"])
def test_a_judging_page_opens_on_the_last_complete_month_and_one_click_shows_the_running_one(
    app: AppTest, name: str
) -> None:
    open_page(app, name)
    assert caption(app).startswith(OCTOBER) and RUNNING not in caption(app)
    switch = app.button(key=f"{name}_period_switch")
    assert switch.label == "看本月(进行中)"
    switch.click().run()
    assert caption(app).startswith(NOVEMBER) and RUNNING in caption(app)
    switch = app.button(key=f"{name}_period_switch")
    assert switch.label == "看上月(完整)"
    switch.click().run()
    assert caption(app).startswith(OCTOBER)


def test_patrols_open_on_today_and_say_that_it_is_running(app: AppTest) -> None:
    open_page(app, "patrols")
    app.segmented_control(key="patrols_period_kind").set_value("week").run()
    assert caption(app).startswith("统计范围:2026-11-16 至 2026-11-22")
    assert RUNNING in caption(app)
    assert app.button(key="patrols_period_switch").label == "看上周(完整)"


def import_old_orders(url: str) -> None:
    mapping = load_mapping("legacy_cn")
    with write_session(make_session_factory(make_engine(url))) as session:
        report = import_orders(
            session=session, community_id=community_id_by_code(session=session, code="CUIHU"),
            data=OLD_EXPORT.encode("gbk"), mapping=mapping, file_name="old.csv", dry_run=False,
        )  # fmt: skip
    assert report.created == 3 and not report.rejected


def orders_shown(app: AppTest) -> int:
    return int(next(m.value for m in app.metric if m.label == "工单数"))


def test_history_reaches_back_to_the_oldest_imported_order(app: AppTest, demo_url: str) -> None:
    """Streamlit's calendar stops ten years back by default; 2011 must stay reachable."""
    import_old_orders(demo_url)
    open_page(app, "history", "committee_a")
    assert "数据覆盖 2011-03-05 至" in caption(app)
    app.date_input(key="history_date").set_value(dt.date(2011, 3, 9)).run()
    assert not app.exception
    assert caption(app).startswith("统计范围:2011-03-01 至 2011-03-31")
    assert orders_shown(app) == 2
    assert {"3栋地库漏水", "2栋电梯异响"} <= set(app.dataframe[0].value["title"])


def test_a_from_to_range_shows_a_whole_old_import_at_once(app: AppTest, demo_url: str) -> None:
    import_old_orders(demo_url)
    open_page(app, "history", "committee_a")
    app.segmented_control(key="history_period_kind").set_value("range").run()
    app.date_input(key="history_range").set_value(
        (dt.date(2011, 1, 1), dt.date(2016, 12, 31))
    ).run()
    assert not app.exception
    assert caption(app).startswith("统计范围:2011-01-01 至 2016-12-31")
    assert orders_shown(app) == 3  # the demo's own history starts in 2025
    shown = {m.label: m.value for m in app.metric}
    # handling: 6 h, 48 h and 12 h → median 12 h; 2 of 3 within 24 h, all within 72 h
    assert shown["处理时长中位数"] == "12.0 小时"
    assert (shown["24 小时内完成"], shown["72 小时内完成"]) == (f"{2 / 3:.1%}", "100.0%")


def test_a_range_opens_on_the_whole_span_of_the_data(app: AppTest, demo_url: str) -> None:
    import_old_orders(demo_url)
    open_page(app, "history", "committee_a")
    app.segmented_control(key="history_period_kind").set_value("range").run()
    assert caption(app).startswith("统计范围:2011-03-05 至 ")
