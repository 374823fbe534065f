"""月度报告: the committee's report of a month, its figures read back from the data layer, the
month picker, meeting mode, the downloads, and who gets the page."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from data_access.accounts.auth import load_viewer
from data_access.analytics.kpis import KPI_KEYS
from data_access.analytics.report import MonthlyReport, build_monthly_report
from data_access.db import make_engine, make_session_factory
from data_access.models import RectificationTicket
from data_access.periods import parse_period
from tests.conftest import ROOT
from tests.pages.conftest import DEMO_NOW, log_in, texts
from ui.text import plain

REPORT = str(ROOT / "pages" / "report.py")


def open_report(app: AppTest, username: str) -> AppTest:
    log_in(app, username)
    app.switch_page(REPORT).run()
    assert not app.exception
    return app


def report_of(url: str, username: str, month: str) -> MonthlyReport:
    """The report the data layer builds for ``username`` at the pages' fixed clock."""
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            viewer = load_viewer(session=session, username=username)
            assert viewer is not None
            return build_monthly_report(
                session=session, viewer=viewer, month=parse_period(month), now=DEMO_NOW
            )
    finally:
        engine.dispose()


def kpi_metrics(app: AppTest) -> dict[str, str]:
    labels = {"计划完成率", "实际完成率", "服务及时率", "问题整改率", "满意度", "回复及时率"}
    return {m.label: m.value for m in app.metric if m.label in labels}


def expected_metrics(report: MonthlyReport) -> dict[str, str]:
    names = dict(zip(KPI_KEYS, ("计划完成率", "实际完成率", "服务及时率", "问题整改率", "满意度",
                                "回复及时率"), strict=True))  # fmt: skip
    shown = {}
    for row in report.kpis:
        assert row.value is not None, row.key  # the demo has data for every KPI
        shown[names[row.key]] = f"{row.value:.2f}" if row.is_score else f"{row.value:.1%}"
    return shown


def test_committee_sees_last_month_by_default(app: AppTest, demo_url: str) -> None:
    open_report(app, "committee_a")
    expected = report_of(demo_url, "committee_a", "2026-10")
    assert app.selectbox(key="report_month").value == parse_period("2026-10")
    assert app.header[0].value == "翠湖花园 · 2026年10月"
    assert kpi_metrics(app) == expected_metrics(expected)
    below = [m.value for m in app.markdown if "未达标" in m.value]
    assert len(below) == sum(row.meets_target is False for row in expected.kpis) > 0
    shown = texts(app)
    for title in ("合同指标", "近12个月趋势", "工单汇总", "整改汇总", "超期整改单", "驳回整改单",
                  "问题热点", "关键词", "巡检覆盖"):  # fmt: skip
        assert title in shown, title
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["本月新提交"] == str(expected.tickets.opened)
    assert metrics["巡检班次"] == str(expected.patrols.shifts)
    assert len(app.get("vega_lite_chart")) >= 1  # the 12-month trend
    assert "打印" in shown  # the print hint


def test_changing_the_month_changes_the_figures(app: AppTest, demo_url: str) -> None:
    open_report(app, "committee_a")
    october = kpi_metrics(app)
    app.selectbox(key="report_month").set_value(parse_period("2026-09")).run()
    assert not app.exception
    september = kpi_metrics(app)
    assert september == expected_metrics(report_of(demo_url, "committee_a", "2026-09"))
    assert september != october
    assert app.header[0].value == "翠湖花园 · 2026年9月"


def test_rejected_tickets_are_listed_with_their_reason(app: AppTest, demo_url: str) -> None:
    expected = report_of(demo_url, "committee_a", "2026-09")
    assert expected.rejected_tickets, "the demo rejects a ticket in September"
    open_report(app, "committee_a")
    app.selectbox(key="report_month").set_value(parse_period("2026-09")).run()
    cells = "\n".join(frame.value.to_csv() for frame in app.dataframe)
    for ticket in expected.rejected_tickets:
        assert ticket.code in cells and ticket.reason.splitlines()[0] in cells


def meeting_styles(app: AppTest) -> list[str]:
    """The meeting mode's style blocks (the menu's own style and script are not)."""
    values = [str(getattr(element, "value", "")) for element in app.get("html")]
    return [value for value in values if 'header[data-testid="stHeader"] { display: none' in value]


def test_meeting_mode_hides_the_chrome_and_enlarges_tables(app: AppTest) -> None:
    open_report(app, "committee_a")
    assert not meeting_styles(app) and app.dataframe and not app.table
    app.toggle(key="report_meeting_mode").set_value(True).run()
    assert not app.exception
    assert any('data-testid="stSidebar"' in style for style in meeting_styles(app))
    assert "会议模式已开启" in texts(app)
    assert app.table and not app.dataframe  # static tables, which the style enlarges
    app.toggle(key="report_meeting_mode").set_value(False).run()
    assert not meeting_styles(app) and "会议模式已开启" not in texts(app)


def test_meeting_mode_shows_owners_text_as_typed(app: AppTest, demo_url: str) -> None:
    """``st.table`` renders Markdown: a ticket title must not become a link or bold text."""
    (rejected, *_) = report_of(demo_url, "committee_a", "2026-09").rejected_tickets
    title = "**急** [点我](http://evil.example) :red[假]"
    with make_engine(demo_url).begin() as conn:
        conn.execute(
            update(RectificationTicket)
            .where(RectificationTicket.code == rejected.code)
            .values(title=title)
        )
    open_report(app, "committee_a")
    app.selectbox(key="report_month").set_value(parse_period("2026-09"))
    app.toggle(key="report_meeting_mode").set_value(True).run()
    cells = [cell for table in app.table for cell in table.value.to_numpy().ravel()]
    assert plain(title) in cells and title not in cells


def test_download_buttons_offer_pdf_and_excel(app: AppTest) -> None:
    open_report(app, "committee_a")
    labels = {button.label for button in app.download_button}
    assert labels == {"下载 PDF", "下载 Excel"}
    assert app.download_button(key="report_download_pdf") is not None
    assert app.download_button(key="report_download_excel") is not None


def test_a_month_without_data_says_so(app: AppTest) -> None:
    open_report(app, "committee_a")
    picker = app.selectbox(key="report_month")
    picker.select_index(len(picker.options) - 1).run()  # two years ago: before the demo data
    assert not app.exception
    assert "2024年12月 没有任何数据" in texts(app)
    assert not app.download_button


def test_manager_sees_their_own_community(app: AppTest, demo_url: str) -> None:
    open_report(app, "manager_b")
    expected = report_of(demo_url, "manager_b", "2026-10")
    assert app.header[0].value == f"{expected.community_name} · 2026年10月"
    assert "翠湖花园" not in texts(app)
    assert kpi_metrics(app) == expected_metrics(expected)


def test_english(app: AppTest) -> None:
    open_report(app, "committee_a")
    app.selectbox(key="app_language").set_value("en").run()
    assert not app.exception
    shown = texts(app)
    assert "Contract KPIs" in shown and "Patrol coverage" in shown
    assert {button.label for button in app.download_button} == {"Download PDF", "Download Excel"}


@pytest.mark.parametrize("username", ["owner_a", "owner_b"])
def test_owners_do_not_get_the_page(app: AppTest, username: str) -> None:
    log_in(app, username)
    paths = {info.get("url_pathname") for info in app._registered_pages.values()}
    assert "monthly-report" not in paths
    with pytest.raises(ValueError):
        app.switch_page(REPORT)
