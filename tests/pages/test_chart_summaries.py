"""Every chart's text summary (issue 19, point 11), each from a small frame whose answer was
worked out by hand; and the summary reaches the page under its chart."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from streamlit.testing.v1 import AppTest

from data_access.analytics.keywords import KeywordCount
from data_access.plans.patrols import ShiftRoute
from tests.pages.conftest import log_in
from ui.charts import summaries

NOV, OCT, SEP, DEC = (pd.Timestamp(f"2026-{m:02d}-01") for m in (11, 10, 9, 12))


def test_kpi_trend_names_the_last_whole_month_and_the_one_before() -> None:
    rows = [
        # month, kpi, value, partial
        (SEP, "timeliness_rate", 0.5, False),
        (OCT, "timeliness_rate", 0.8, False),
        (NOV, "timeliness_rate", 0.9, False),
        (DEC, "timeliness_rate", 0.1, True),  # still running: left out
        (OCT, "satisfaction", 0.75, False),
        (NOV, "satisfaction", float("nan"), False),  # not measured: said so, not 0 %
    ]
    trend = pd.DataFrame(rows, columns=["month_start", "kpi", "value", "partial"])
    text = summaries.kpi_trend(trend, {"timeliness_rate": "服务及时率", "satisfaction": "满意率"})
    assert text == (
        "图表摘要:最近一个完整月 2026-11(上月为 2026-10):"
        "服务及时率 90.0%(上月 80.0%)、满意率 暂无数据(上月 75.0%)。"
    )
    running = trend[trend["month_start"] == DEC]
    assert summaries.kpi_trend(running, {"timeliness_rate": "服务及时率"}) == (
        "图表摘要:还没有完整的月份,当月仍在进行中。"
    )


def test_history_gives_the_total_by_type_and_the_busiest_day() -> None:
    day1, day2 = pd.Timestamp("2026-11-02"), pd.Timestamp("2026-11-03")
    buckets = pd.DataFrame(
        [(day1, "repair", 2), (day1, "complaint", 1), (day2, "repair", 4)],
        columns=["bucket", "order_type", "orders"],
    )
    assert summaries.history_buckets(buckets) == (
        "图表摘要:本期共 7 单(报事报修 6、投诉 1);最多的时段是 2026-11-03,4 单。"
    )


def test_plan_calendar_counts_the_days_all_done_and_names_the_worst() -> None:
    daily = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"]),
            "due": [2, 3, 0, 4],
            "plan_rate": [1.0, 2 / 3, None, 0.25],
        }
    )
    assert summaries.plan_calendar(daily) == (
        "图表摘要:有计划任务的 3 天中,1 天全部按计划完成;完成率最低的一天是 11-04(25.0%)。"
    )


def test_patrol_coverage_counts_days_below_the_target() -> None:
    trend = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-11-01", "2026-11-02", "2026-11-03"]),
            "mean_coverage": [1.0, 0.9, 0.5],
        }
    )
    assert summaries.patrol_coverage(trend) == (
        "图表摘要:有已结束班次的 3 天中,2 天平均覆盖率低于 95% 目标;最低的一天是 11-03(50.0%)。"
    )


def test_the_site_plan_says_in_words_what_its_colours_say() -> None:
    moment = dt.datetime(2026, 11, 20, 21, 30)
    checkpoints = pd.DataFrame(
        {
            "seq": [1, 2, 3, 4],
            "name": ["北门", "车库", "泵房", "南门"],
            "status": ["visited", "missed", "visited", "missed"],
        }
    )
    route = ShiftRoute(
        shift_id=1, label="夜班", plan="夜班", route="全区", guard="余**", status="done",
        planned_start=moment, planned_end=moment, started_at=None, ended_at=None,
        distance_m=None, expected_distance_m=None, expected_minutes=40, site_width_m=100,
        site_height_m=100, checkpoints=checkpoints, path=checkpoints, photos=(),
    )  # fmt: skip
    labels = {"visited": "已打卡", "late": "超时打卡", "missed": "漏检", "pending": "待巡检"}
    assert summaries.site_plan(route, labels) == (
        "图表摘要:本班次 4 个点位:已打卡 2、漏检 2。漏检:车库、南门。"
    )


def test_staff_measure_gives_the_last_month_and_the_range() -> None:
    trend = pd.DataFrame(
        {
            "month_start": [SEP, OCT, NOV],
            "on_time_share": [0.5, None, 0.75],
            "orders_handled": [3, 5, 4],
        }
    )
    assert summaries.staff_measure(trend, "on_time_share") == (
        "按时完成率:最近 2026-11 为 75.0%,所示各月在 50.0% 至 75.0% 之间。"
    )
    assert summaries.staff_measure(trend, "orders_handled") == (
        "处理工单:最近 2026-11 为 4,所示各月在 3 至 5 之间。"
    )


def test_analytics_summaries() -> None:
    reply = pd.DataFrame(
        [("electrical", 4, 4, 3, 0.75), ("elevator", 2, 2, 1, 0.5), ("greening", 1, 0, 0, None)],
        columns=["category", "rated", "due", "in_time", "share"],
    )
    assert summaries.reply_timeliness(reply) == (
        "图表摘要:按时回复率最低的是电梯 50.0%(1/2),最高的是电气照明 75.0%(3/4)。"
    )
    durations = pd.DataFrame(
        {
            "category": ["elevator", "elevator", "elevator", "greening"],
            "hours": [1.0, 9.0, 4.0, 2.5],
        }
    )
    assert summaries.handling_times(durations) == (
        "图表摘要:处理时长中位数最长的是电梯(4.0 小时),最短的是绿化(2.5 小时)。"
    )
    w1, w2 = dt.date(2026, 11, 2), dt.date(2026, 11, 9)
    overdue = pd.DataFrame(
        [(w1, "order", 5, 1), (w1, "ticket", 2, 2), (w2, "order", 4, 0), (w2, "ticket", 1, 0)],
        columns=["week_start", "source", "due", "overdue"],
    )
    assert summaries.overdue_weeks(overdue) == (
        "图表摘要:本期逾期工单 1 件、整改单 2 件;逾期最多的是 11-02 起的一周(3 件)。"
    )
    assert summaries.overdue_weeks(overdue.assign(overdue=0)) == (
        "图表摘要:本期到期的 12 项都没有逾期。"
    )
    matrix = pd.DataFrame(
        [
            ("3栋", "elevator", 5),
            ("地库", "greening", 2),
            ("3栋", "greening", 7),
            ("南门", "elevator", 1),
        ],
        columns=["area_name", "category", "count"],
    )
    assert summaries.hotspots(matrix) == (
        "图表摘要:问题最集中的是 3栋·绿化 7、3栋·电梯 5、地库·绿化 2(单数)。"
    )
    words = [
        KeywordCount(word=w, count=c * 2, documents=c, score=1.0)
        for w, c in [("漏水", 3), ("噪音", 5)]
    ]
    assert summaries.keywords(words) == "图表摘要:提到最多的是 噪音(5 条)、漏水(3 条)。"


def test_alert_weeks() -> None:
    trend = pd.DataFrame(
        {
            "week_start": pd.to_datetime(["2026-11-02", "2026-11-02", "2026-11-09"]),
            "rule": ["overdue_ticket", "fault_streak", "overdue_ticket"],
            "raised": [2, 1, 4],
        }
    )
    text = summaries.alert_weeks(trend)
    assert text.startswith("图表摘要:所示各周共产生预警 7 条(")
    assert text.endswith(";最多的是 11-09 起的一周(4 条)。")


def test_the_summary_is_under_the_chart_and_is_its_description(app: AppTest) -> None:
    log_in(app, "owner_a")
    charts = app.get("vega_lite_chart")
    assert charts, "the overview draws its trend"
    description = json.loads(charts[0].proto.spec)["description"]
    assert description.startswith("图表摘要:最近一个完整月")
    # The caption under it: the summary, then (this month is running) what the open points mean.
    assert description in [caption.value.split("\n\n")[0] for caption in app.caption]
