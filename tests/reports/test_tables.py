"""The report's tables: every section in reading order, labelled from the catalog in both
languages, cells formatted one way (``format_cell``), and each section's rows holding the
report's own figures."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from data_access.analytics.kpis import CORE_KPI_KEYS
from data_access.analytics.report import MonthlyReport
from reports.tables import (
    Cell,
    CellKind,
    cover_table,
    format_cell,
    patrol_table,
    report_tables,
    ticket_table,
)
from tests.reports.conftest import OVERDUE, REJECTED, with_tickets

SECTIONS = ["cover", "kpis", "explanations", "trend", "work_orders", "tickets", "overdue", "rejected", "hotspots",
            "keywords", "patrols"]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "kind", "lang", "shown"),
    [
        (0.9677, "share", "zh", "96.8%"),
        (4.0149, "score", "zh", "4.01"),
        (2.04, "decimal", "zh", "2.0"),
        (-0.0012, "share_change", "zh", "-0.1 个百分点"),
        (0.012, "share_change", "en", "+1.2 pts"),
        (-0.05, "score_change", "zh", "-0.05"),
        (dt.datetime(2026, 10, 27, 10, 0, 30), "datetime", "zh", "2026-10-27 10:00"),
        (True, "flag", "zh", "✔ 达标"),
        (False, "flag", "en", "✘ Below target"),
        (12, "int", "zh", "12"),
        ("3栋", "text", "zh", "3栋"),
        (None, "share", "zh", "—"),  # no data
        (math.nan, "decimal", "en", "—"),  # a frame's missing value
    ],
)
def test_a_cell_is_shown_one_way(value: object, kind: CellKind, lang: str, shown: str) -> None:
    assert format_cell(Cell(value, kind), lang) == shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_section_in_reading_order_with_catalog_labels(
    october: MonthlyReport, lang: str
) -> None:
    tables = report_tables(with_tickets(october), lang)
    assert [table.key for table in tables] == SECTIONS
    assert len({table.title for table in tables}) == len(tables)
    for table in tables:
        assert all(len(row) == len(table.columns) for row in table.rows), table.key
        texts = [table.title, table.empty_text, *table.columns]
        texts += [cell for row in table.text_rows(lang) for cell in row]
        leaked = [text for text in texts if text.startswith(("report.", "kpi.", "analytics."))]
        assert leaked == [], (lang, table.key)


def test_the_kpi_rows_are_the_reports_kpis(october: MonthlyReport) -> None:
    kpis = {table.key: table for table in report_tables(october)}["kpis"]
    assert [row[0].value for row in kpis.rows] == [
        "计划完成率", "实际完成率", "服务及时率", "问题整改率", "满意度", "回复及时率",
    ]  # fmt: skip
    for row, kpi in zip(kpis.rows, october.kpis, strict=True):
        values = [cell.value for cell in row[1:]]
        assert values == [kpi.value, kpi.numerator, kpi.denominator, kpi.target, kpi.previous,
                          kpi.change, kpi.meets_target]  # fmt: skip
        measure = "score" if kpi.is_score else "share"
        assert [cell.kind for cell in row[1:]] == [
            measure, "score" if isinstance(kpi.numerator, float) else "int", "int", measure,
            measure, f"{measure}_change", "flag",
        ]  # fmt: skip


def test_the_trend_has_a_row_per_month(october: MonthlyReport) -> None:
    trend = {table.key: table for table in report_tables(october)}["trend"]
    assert len(trend.rows) == 12 and trend.rows[-1][0].value == "2026-10"
    values = october.trend.set_index(["period", "kpi"])["value"]
    for index, key in enumerate(CORE_KPI_KEYS, start=1):
        assert trend.rows[-1][index].value == pytest.approx(values["2026-10", key]), key
    assert len(trend.columns) == 1 + len(CORE_KPI_KEYS)  # the month, then the core KPIs


def test_work_orders_end_with_the_total(october: MonthlyReport) -> None:
    orders = {table.key: table for table in report_tables(october, "en")}["work_orders"]
    total = october.work_orders.iloc[-1]
    assert [cell.value for cell in orders.rows[-1][:5]] == [
        "Total", total["created"], total["completed"], total["judged"], total["on_time"],
    ]  # fmt: skip
    assert len(orders.rows) == len(october.work_orders)


def test_the_figure_tables_hold_the_reports_figures(october: MonthlyReport) -> None:
    tickets, patrols = october.tickets, october.patrols
    assert [row[1].value for row in ticket_table(october, "zh").rows] == [
        tickets.opened, tickets.closed, tickets.rejected, tickets.in_progress, tickets.overdue_now,
    ]  # fmt: skip
    assert [row[1].value for row in patrol_table(october, "en").rows] == [
        patrols.shifts, patrols.judged, patrols.done, patrols.late, patrols.missed,
        patrols.checkpoints_planned, patrols.checkpoints_visited, patrols.coverage_share,
        patrols.mean_coverage, patrols.target,
    ]  # fmt: skip
    cover = cover_table(october, "en").text_rows("en")
    assert cover[:3] == [["Community", "翠湖花园 (CUIHU)"], ["Month", "2026-10"],
                         ["Data as of", "2026-11-20 20:00 (Asia/Shanghai)"]]  # fmt: skip


def test_ticket_lists_are_shown_as_listed(october: MonthlyReport) -> None:
    tables = {table.key: table for table in report_tables(with_tickets(october))}
    assert tables["overdue"].text_rows() == [
        [OVERDUE.code, OVERDUE.title, "已受理", OVERDUE.place, "张*", "2026-10-27 10:00", "24.4"]
    ]
    assert tables["rejected"].text_rows() == [
        [REJECTED.code, REJECTED.title, "3栋", "李*", "2026-10-05 15:00", REJECTED.reason]
    ]


def test_an_empty_month_has_empty_lists_and_says_so(empty_month: MonthlyReport) -> None:
    tables = {table.key: table for table in report_tables(empty_month)}
    for key in ("overdue", "rejected", "hotspots", "keywords"):
        assert tables[key].rows == () and tables[key].empty_text, key
    assert tables["work_orders"].text_rows() == [["合计", "0", "0", "0", "0", "—", "—"]]
    assert {row[1] for row in tables["kpis"].text_rows()} == {"—"}
