"""月度报告: the committee's report of a month, its figures read back from the data layer, the
month picker, meeting mode, the downloads, and who gets the page."""

from __future__ import annotations

import datetime as dt
import json

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
    below = [m.value for m in app.markdown if m.value.startswith("目标") and "未达标" in m.value]
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


def step(app: AppTest, times: int = 1, direction: str = "next") -> None:
    for _ in range(times):
        app.button(key=f"meeting_{direction}").click().run()
        assert not app.exception


def test_meeting_mode_shows_one_section_per_screen(app: AppTest) -> None:
    open_report(app, "committee_a")
    assert not meeting_styles(app) and app.dataframe and not app.table
    app.toggle(key="report_meeting_mode").set_value(True).run()
    assert not app.exception
    assert any('data-testid="stSidebar"' in style for style in meeting_styles(app))
    assert any("ArrowRight" in style for style in meeting_styles(app))  # the keys step too

    def headings() -> list[str]:
        return [h.value for h in app.subheader]

    assert "第 1 / 8 节:合同指标" in texts(app) and headings() == ["合同指标"]
    assert app.button(key="meeting_previous").disabled
    step(app, 4)
    assert "第 5 / 8 节:工单汇总" in texts(app) and headings() == ["工单汇总"]
    assert app.table and not app.dataframe  # static tables, which the style enlarges
    step(app, 1, "previous")
    assert "第 4 / 8 节:近12个月趋势" in texts(app)
    (chart,) = app.get("vega_lite_chart")
    config = json.loads(chart.proto.spec)["config"]
    assert config["axis"]["labelFontSize"] >= 18 and config["legend"]["labelFontSize"] >= 18
    step(app, 4)
    assert app.button(key="meeting_next").disabled and "第 8 / 8 节:巡检覆盖" in texts(app)
    app.toggle(key="report_meeting_mode").set_value(False).run()
    assert not meeting_styles(app) and "第 8 / 8 节" not in texts(app)
    assert {"合同指标", "物业说明", "工单汇总", "巡检覆盖"} <= set(headings())  # everything again


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
    step(app, 5)  # 整改汇总
    cells = [cell for table in app.table for cell in table.value.to_numpy().ravel()]
    assert plain(title) in cells and title not in cells


def submit(app: AppTest, label: str, form: str) -> None:
    (button,) = [b for b in app.button if b.label == label and form in str(b.key)]
    button.click().run()
    assert not app.exception


def test_a_manager_explains_a_missed_kpi_and_publishes_the_month(
    app: AppTest, demo_url: str
) -> None:
    expected = report_of(demo_url, "manager_a", "2026-10")
    missed = expected.missed_kpis
    assert missed, "the demo's October misses a target"
    open_report(app, "manager_a")
    shown = texts(app)
    assert "物业说明" in shown and shown.count("物业未说明]") == len(missed)  # one badge each
    assert "尚未发布" in shown
    key = f"report_explain_202610_{missed[0]}"
    app.text_area(key=f"{key}_reason").input("十月电梯配件到货晚,维修排期拖后")
    app.text_area(key=f"{key}_action").input("与供应商签订 48 小时到货协议")
    app.text_input(key=f"{key}_owner").input("工程部 王经理")
    app.date_input(key=f"{key}_due").set_value(dt.date(2026, 11, 30))
    submit(app, "保存说明", key)
    shown = texts(app)
    assert "说明已保存" in shown and "十月电梯配件到货晚,维修排期拖后" in shown
    assert shown.count("物业未说明]") == len(missed) - 1

    app.checkbox(key="report_publish_sure_202610").check()
    submit(app, "发布", "report_publish_202610")
    assert "本月报告已发布" in texts(app) and "已于 2026-11-20" in texts(app)

    # After publication an edit stays visible next to what it replaced.
    app.text_area(key=f"{key}_reason").input("十月电梯配件到货晚,且一名电工离职")
    submit(app, "保存说明", key)
    shown = texts(app)
    assert "十月电梯配件到货晚,且一名电工离职" in shown
    assert any("发布后修改过 1 次" in e.label for e in app.expander)

    committee = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    open_report(committee, "committee_a")
    seen = texts(committee)
    assert "十月电梯配件到货晚,且一名电工离职" in seen and "十月电梯配件到货晚,维修排期拖后" in seen
    assert any("发布后修改过 1 次" in e.label for e in committee.expander)
    assert not [b for b in committee.button if b.label in ("保存说明", "发布")]


def test_a_running_month_cannot_be_explained_or_published(app: AppTest) -> None:
    open_report(app, "manager_a")
    months = app.selectbox(key="report_month").options
    app.selectbox(key="report_month").set_value(parse_period("2026-11")).run()
    assert months and not app.exception
    shown = texts(app)
    assert "本月仍在进行中" in shown
    assert not [b for b in app.button if b.label in ("保存说明", "发布")]


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


def test_the_pdf_draws_the_page_s_own_charts(app: AppTest, demo_url: str) -> None:
    """The PDF's trend is the spec the page draws (the same layers over the same named data;
    Streamlit sends the data itself apart from the spec), rendered in."""
    import io

    from pypdf import PdfReader

    from ui.loaders import reports as report_loaders

    open_report(app, "committee_a")
    on_page = json.loads(app.get("vega_lite_chart")[0].proto.spec)
    engine = make_engine(demo_url)
    with make_session_factory(engine)() as session:
        viewer = load_viewer(session=session, username="committee_a")
    assert viewer is not None
    october = parse_period("2026-10")
    figures = report_loaders.monthly_report(viewer, october, DEMO_NOW)
    specs = report_loaders.pdf_chart_specs(figures, "zh")
    in_pdf = json.loads(json.dumps(specs["trend"], default=str))
    assert in_pdf["layer"] == on_page["layer"]
    assert [d.name for d in app.get("vega_lite_chart")[0].proto.datasets] == list(
        in_pdf["datasets"]
    )
    data = report_loaders.pdf(viewer, october, DEMO_NOW, "zh", specs)
    reader = PdfReader(io.BytesIO(data))
    assert sum(len(page.images) for page in reader.pages) == len(specs) == 2
