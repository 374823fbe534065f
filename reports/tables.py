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
    "text",
    "int",
    "share",
    "score",
    "decimal",
    "datetime",
    "date",
    "share_change",
    "score_change",
    "flag",
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
    if kind == "date":
        return f"{value:%Y-%m-%d}"
    if kind == "flag":
        return translate("report.met" if value else "report.missed", lang)
    return str(value)


def report_tables(report: MonthlyReport, lang: str = "zh") -> list[ReportTable]:
    """Every section of the report as a table in ``lang``, in reading order."""
    return [
        cover_table(report, lang),
        kpi_table(report, lang),
        explanation_table(report, lang),
        trend_table(report, lang),
        work_order_table(report, lang),
        ticket_table(report, lang),
        overdue_table(report, lang),
        rejected_table(report, lang),
        hotspot_table(report, lang),
        keyword_table(report, lang),
        patrol_table(report, lang),
    ]


# --- one function per section ---------------------------------------------------------------------
def cover_table(report: MonthlyReport, lang: str) -> ReportTable:
    """The cover: community, month, when the figures were read, two headline shares."""
    items = [
        ("report.cover_community", _text(f"{report.community_name} ({report.community_code})")),
        ("report.cover_month", _text(report.month_label)),
        ("report.cover_as_of", _text(as_of_text(report))),
        ("report.cover_good_share", _share(report.good_share)),
        ("report.cover_fixed_on_time", _share(report.tickets.on_time_share)),
    ]
    return _item_table("cover", ("item", "content"), items, lang)


def kpi_table(report: MonthlyReport, lang: str) -> ReportTable:
    """The six KPIs against the contract and the previous month (``kpis.Kpi``'s own rules)."""
    columns = ("kpi", "value", "numerator", "denominator", "target", "previous", "change", "met")
    return _table("kpis", columns, [_kpi_cells(kpi, lang) for kpi in report.kpis], lang)


def _kpi_cells(kpi: Kpi, lang: str) -> list[Cell]:
    measure: CellKind = "score" if kpi.is_score else "share"
    change: CellKind = "score_change" if kpi.is_score else "share_change"
    numerator = Cell(kpi.numerator, "score" if isinstance(kpi.numerator, float) else "int")
    return [
        _text(translate(f"kpi.{kpi.key}", lang)),
        Cell(kpi.value, measure),
        numerator,
        _int(kpi.denominator),
        Cell(kpi.target, measure),
        Cell(kpi.previous, measure),
        Cell(kpi.change, change),
        Cell(kpi.meets_target, "flag"),
    ]


def explanation_table(report: MonthlyReport, lang: str) -> ReportTable:
    """物业说明: for each KPI below target (and any other the company explained), why, the
    action, its owner and date — or 物业未说明; an explanation edited after the report was
    published says so."""
    columns = ("kpi", "value", "target", "explanation", "action", "action_owner", "action_due",
               "explanation_state")  # fmt: skip
    explained = report.explanations.by_kpi
    rows = []
    for kpi in report.kpis:
        view = explained.get(kpi.key)
        if view is None and kpi.meets_target is not False:
            continue
        measure: CellKind = "score" if kpi.is_score else "share"
        head = [_text(translate(f"kpi.{kpi.key}", lang)), Cell(kpi.value, measure),
                Cell(kpi.target, measure)]  # fmt: skip
        if view is None:
            gap = [_text(None)] * 4  # "—": nothing was written
            rows.append([*head, *gap, _text(translate("report.unexplained", lang))])
            continue
        now = view.current
        state = (
            translate("report.explanation_edited", lang, n=len(view.replaced))
            if view.edited_after_publication
            else translate("report.explanation_given", lang)
        )
        rows.append(
            [
                *head,
                _text(now.reason),
                _text(now.action),
                _text(now.action_owner),
                Cell(now.action_due, "date"),
                _text(state),
            ]
        )
    return _table("explanations", columns, rows, lang)


def trend_table(report: MonthlyReport, lang: str) -> ReportTable:
    """The core KPIs of the last 12 months, one row per month."""
    trend = report.trend.pivot(index="period", columns="kpi", values="value")
    rows = [
        [_text(period), *(_share(_number(trend.at[period, key])) for key in CORE_KPI_KEYS)]
        for period in trend.index
    ]
    return _table("trend", ("month", *CORE_KPI_KEYS), rows, lang)


def work_order_table(report: MonthlyReport, lang: str) -> ReportTable:
    """Work orders per type, then the total row (``ALL_TYPES``)."""
    counts = ("created", "completed", "judged", "on_time")
    columns = ("order_type", *counts, "on_time_share", "median_hours")
    rows = [
        [
            _text(_order_type(row.order_type, lang)),
            _int(row.created),
            _int(row.completed),
            _int(row.judged),
            _int(row.on_time),
            _share(_number(row.on_time_share)),
            Cell(_number(row.median_hours), "decimal"),
        ]
        for row in report.work_orders.itertuples(index=False)
    ]
    return _table("work_orders", columns, rows, lang)


def _order_type(code: str, lang: str) -> str:
    """A row's label: the type's name, or 合计 on the total row."""
    return (
        translate("report.all_types", lang)
        if code == ALL_TYPES
        else label("order_type", code, lang)
    )


def ticket_table(report: MonthlyReport, lang: str) -> ReportTable:
    """Rectification tickets opened in the month, by what became of them."""
    tickets = report.tickets
    items = [
        ("report.tickets_opened", _int(tickets.opened)),
        ("report.tickets_closed", _int(tickets.closed)),
        ("report.tickets_rejected", _int(tickets.rejected)),
        ("report.tickets_in_progress", _int(tickets.in_progress)),
        ("report.tickets_overdue", _int(tickets.overdue_now)),
    ]
    return _item_table("tickets", ("item", "count"), items, lang)


def overdue_table(report: MonthlyReport, lang: str) -> ReportTable:
    """Tickets past their running deadline, most overdue first (masked in ``data_access``)."""
    columns = ("code", "title", "status", "place", "owner", "deadline", "days_overdue")
    rows = [
        [
            _text(row.code),
            _text(row.title),
            _text(label("ticket_status", row.status, lang)),
            _text(row.place),
            _text(row.owner),
            Cell(row.deadline, "datetime"),
            Cell(row.days_overdue, "decimal"),
        ]
        for row in report.overdue_tickets
    ]
    return _table("overdue", columns, rows, lang)


def rejected_table(report: MonthlyReport, lang: str) -> ReportTable:
    """Tickets rejected, with the public reason."""
    columns = ("code", "title", "place", "owner", "rejected_at", "reason")
    rows = [
        [
            _text(row.code),
            _text(row.title),
            _text(row.place),
            _text(row.owner),
            Cell(row.rejected_at, "datetime"),
            _text(row.reason),
        ]
        for row in report.rejected_tickets
    ]
    return _table("rejected", columns, rows, lang)


def hotspot_table(report: MonthlyReport, lang: str) -> ReportTable:
    """The busiest area × category pairs."""
    rows = [
        [
            _text(row.area),
            _text(label("analytics.area_kind", row.area_kind, lang)),
            _text(label("order_category", row.category, lang)),
            _int(row.count),
        ]
        for row in report.hotspots.itertuples(index=False)
    ]
    return _table("hotspots", ("area", "area_kind", "category", "count"), rows, lang)


def keyword_table(report: MonthlyReport, lang: str) -> ReportTable:
    """The month's keywords, ranked as ``keywords.top_keywords`` ranks them."""
    rows = [[_text(k.word), _int(k.count), _int(k.documents)] for k in report.keywords]
    return _table("keywords", ("word", "occurrences", "documents"), rows, lang)


def patrol_table(report: MonthlyReport, lang: str) -> ReportTable:
    """Patrol shifts and checkpoint coverage against the target."""
    patrols = report.patrols
    items = [
        ("report.patrol_shifts", _int(patrols.shifts)),
        ("report.patrol_judged", _int(patrols.judged)),
        ("report.patrol_done", _int(patrols.done)),
        ("report.patrol_late", _int(patrols.late)),
        ("report.patrol_missed", _int(patrols.missed)),
        ("report.patrol_planned", _int(patrols.checkpoints_planned)),
        ("report.patrol_visited", _int(patrols.checkpoints_visited)),
        ("report.patrol_coverage", _share(patrols.coverage_share)),
        ("report.patrol_mean_coverage", _share(patrols.mean_coverage)),
        ("report.patrol_target", _share(patrols.target)),
    ]
    return _item_table("patrols", ("item", "figure"), items, lang)


# --- building blocks ------------------------------------------------------------------------------
def _table(
    key: str, columns: Sequence[str], rows: Sequence[Sequence[Cell]], lang: str
) -> ReportTable:
    """A section ``key``: its title, column labels and empty text come from the catalog
    (``report.section_<key>``, ``report.col_<column>``, ``report.empty_<key>``)."""
    return ReportTable(
        key=key,
        title=translate(f"report.section_{key}", lang),
        columns=tuple(translate(f"report.col_{c}", lang) for c in columns),
        rows=tuple(tuple(row) for row in rows),
        empty_text=translate(f"report.empty_{key}", lang),
    )


def _item_table(
    key: str, columns: Sequence[str], items: Sequence[tuple[str, Cell]], lang: str
) -> ReportTable:
    """A two-column section: one row per item, its label's catalog key and its figure."""
    rows = [(_text(translate(name, lang)), cell) for name, cell in items]
    return _table(key, columns, rows, lang)


def _text(value: object) -> Cell:
    return Cell(value, "text")


def _int(value: object) -> Cell:
    return Cell(value, "int")


def _share(value: float | None) -> Cell:
    return Cell(value, "share")


def _number(value: Any) -> float | None:
    """A frame's float as a Python float, NaN as None."""
    if value is None or pd.isna(value):
        return None
    return float(value)
