"""The monthly report as labelled tables in the reader's language: one ``ReportTable`` per
section, in reading order, made of typed cells (``Cell``) that ``format_cell`` turns into text.
The page, the Excel workbook and the PDF all draw these same tables, so the three always show the
same figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from data_access.analytics.kpis import CORE_KPI_KEYS, Kpi
from data_access.analytics.report import ALL_TYPES, MonthlyReport
from i18n import label, translate
from reports.text import as_of_text

CellKind = Literal[
    "text", "int", "share", "score", "decimal", "datetime", "share_change", "score_change", "flag"
]


@dataclass(frozen=True)
class Cell:
    value: Any  # None: no data
    kind: CellKind = "text"


@dataclass(frozen=True)
class ReportTable:
    """One section of the report: a title, column labels and rows of typed cells."""

    key: str  # "kpis", "trend", "work_orders", …
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    empty_text: str  # what to say when there are no rows

    def text_rows(self, lang: str = "zh") -> list[list[str]]:
        return [[format_cell(cell, lang) for cell in row] for row in self.rows]

    def text_frame(self, lang: str = "zh") -> pd.DataFrame:
        """The table as the reader sees it (formatted text), for a page."""
        return pd.DataFrame(self.text_rows(lang), columns=list(self.columns), dtype="object")


def format_cell(cell: Cell, lang: str = "zh") -> str:
    """A cell as text: shares 96.8%, scores 4.01, changes +1.2 / -0.05, "—" for no data."""
    value, kind = cell.value, cell.kind
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if kind == "share":
        return f"{value:.1%}"
    if kind == "score":
        return f"{value:.2f}"
    if kind == "decimal":
        return f"{value:.1f}"
    if kind == "share_change":
        return translate("report.points", lang, value=f"{value * 100:+.1f}")
    if kind == "score_change":
        return f"{value:+.2f}"
    if kind == "datetime":
        return f"{value:%Y-%m-%d %H:%M}"
    if kind == "flag":
        return translate("report.yes" if value else "report.no", lang)
    return str(value)


def report_tables(report: MonthlyReport, lang: str = "zh") -> list[ReportTable]:
    """Every section of the report as a table in ``lang``, in reading order."""

    def tr(key: str, **params: object) -> str:
        return translate(key, lang, **params)

    def table(key: str, columns: Sequence[str], rows: Sequence[Sequence[Cell]]) -> ReportTable:
        return ReportTable(
            key=key,
            title=tr(f"report.section_{key}"),
            columns=tuple(tr(f"report.col_{c}") for c in columns),
            rows=tuple(tuple(row) for row in rows),
            empty_text=tr(f"report.empty_{key}"),
        )

    def text(value: object) -> Cell:
        return Cell(value, "text")

    def integer(value: object) -> Cell:
        return Cell(value, "int")

    def share(value: float | None) -> Cell:
        return Cell(value, "share")

    def kpi_cells(row: Kpi) -> list[Cell]:
        measure: CellKind = "score" if row.is_score else "share"
        change: CellKind = "score_change" if row.is_score else "share_change"
        numerator = Cell(row.numerator, "score" if isinstance(row.numerator, float) else "int")
        return [
            text(tr(f"kpi.{row.key}")),
            Cell(row.value, measure),
            numerator,
            integer(row.denominator),
            Cell(row.target, measure),
            Cell(row.previous, measure),
            Cell(row.change, change),
            Cell(row.meets_target, "flag"),
        ]

    cover = [
        (tr("report.cover_community"), text(f"{report.community_name} ({report.community_code})")),
        (tr("report.cover_month"), text(report.month_label)),
        (tr("report.cover_as_of"), text(as_of_text(report))),
        (tr("report.cover_good_share"), share(report.good_share)),
        (tr("report.cover_fixed_on_time"), share(report.tickets.on_time_share)),
    ]
    trend = report.trend.pivot(index="period", columns="kpi", values="value")
    orders = report.work_orders
    tickets, patrols = report.tickets, report.patrols
    return [
        table("cover", ("item", "content"), [(text(name), cell) for name, cell in cover]),
        table(
            "kpis",
            ("kpi", "value", "numerator", "denominator", "target", "previous", "change", "met"),
            [kpi_cells(row) for row in report.kpis],
        ),
        table(
            "trend",
            ("month", *CORE_KPI_KEYS),
            [
                [text(period), *(share(_number(trend.at[period, key])) for key in CORE_KPI_KEYS)]
                for period in trend.index
            ],
        ),
        table(
            "work_orders",
            (
                "order_type",
                "created",
                "completed",
                "judged",
                "on_time",
                "on_time_share",
                "median_hours",
            ),
            [
                [
                    text(
                        tr("report.all_types")
                        if row.order_type == ALL_TYPES
                        else label("order_type", row.order_type, lang)
                    ),
                    integer(row.created),
                    integer(row.completed),
                    integer(row.judged),
                    integer(row.on_time),
                    share(_number(row.on_time_share)),
                    Cell(_number(row.median_hours), "decimal"),
                ]
                for row in orders.itertuples(index=False)
            ],
        ),
        table(
            "tickets",
            ("item", "count"),
            [
                (text(tr("report.tickets_opened")), integer(tickets.opened)),
                (text(tr("report.tickets_closed")), integer(tickets.closed)),
                (text(tr("report.tickets_rejected")), integer(tickets.rejected)),
                (text(tr("report.tickets_in_progress")), integer(tickets.in_progress)),
                (text(tr("report.tickets_overdue")), integer(tickets.overdue_now)),
            ],
        ),
        table(
            "overdue",
            ("code", "title", "status", "place", "owner", "deadline", "days_overdue"),
            [
                [
                    text(row.code),
                    text(row.title),
                    text(label("ticket_status", row.status, lang)),
                    text(row.place),
                    text(row.owner),
                    Cell(row.deadline, "datetime"),
                    Cell(row.days_overdue, "decimal"),
                ]
                for row in report.overdue_tickets
            ],
        ),
        table(
            "rejected",
            ("code", "title", "place", "owner", "rejected_at", "reason"),
            [
                [
                    text(row.code),
                    text(row.title),
                    text(row.place),
                    text(row.owner),
                    Cell(row.rejected_at, "datetime"),
                    text(row.reason),
                ]
                for row in report.rejected_tickets
            ],
        ),
        table(
            "hotspots",
            ("area", "area_kind", "category", "count"),
            [
                [
                    text(row.area),
                    text(label("analytics.area_kind", row.area_kind, lang)),
                    text(label("order_category", row.category, lang)),
                    integer(row.count),
                ]
                for row in report.hotspots.itertuples(index=False)
            ],
        ),
        table(
            "keywords",
            ("word", "occurrences", "documents"),
            [[text(k.word), integer(k.count), integer(k.documents)] for k in report.keywords],
        ),
        table(
            "patrols",
            ("item", "figure"),
            [
                (text(tr("report.patrol_shifts")), integer(patrols.shifts)),
                (text(tr("report.patrol_judged")), integer(patrols.judged)),
                (text(tr("report.patrol_done")), integer(patrols.done)),
                (text(tr("report.patrol_late")), integer(patrols.late)),
                (text(tr("report.patrol_missed")), integer(patrols.missed)),
                (text(tr("report.patrol_planned")), integer(patrols.checkpoints_planned)),
                (text(tr("report.patrol_visited")), integer(patrols.checkpoints_visited)),
                (text(tr("report.patrol_coverage")), share(patrols.coverage_share)),
                (text(tr("report.patrol_mean_coverage")), share(patrols.mean_coverage)),
                (text(tr("report.patrol_target")), share(patrols.target)),
            ],
        ),
    ]


def _number(value: Any) -> float | None:
    """A frame's float as a Python float, NaN as None."""
    if value is None or pd.isna(value):
        return None
    return float(value)
