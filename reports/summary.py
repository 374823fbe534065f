"""The month in words, for the first page of the PDF and the top of the report page: three
sentences on what changed, and the open items a committee meeting should ask about. Computed
from the report's own figures; a KPI that was not measured is said to be so, never counted as
missed or met."""

from __future__ import annotations

from data_access.analytics.kpis import Kpi
from data_access.analytics.report import MonthlyReport
from i18n import translate
from reports.tables import Cell, format_cell

OPEN_TICKETS_LISTED = 5


def change_text(kpi: Kpi, lang: str) -> str:
    """▲ +2.1 个百分点 / ▼ -0.05 / — : the arrow says the direction without colour."""
    if kpi.change is None:
        return "—"
    amount = format_cell(Cell(kpi.change, "score_change" if kpi.is_score else "share_change"), lang)
    if kpi.change > 0:
        return f"▲ {amount}"
    if kpi.change < 0:
        return f"▼ {amount}"
    return f"= {amount}"


def _names(keys: list[str], lang: str) -> str:
    return translate("summary.separator", lang).join(translate(f"kpi.{k}", lang) for k in keys)


def what_changed(report: MonthlyReport, lang: str = "zh") -> list[str]:
    """Three sentences: targets met and missed; the biggest rise and fall against last month;
    what became of the month's tickets."""
    met = [k.key for k in report.kpis if k.meets_target is True]
    missed = list(report.missed_kpis)
    unmeasured = [k.key for k in report.kpis if k.meets_target is None]
    first = translate("report.summary_targets", lang, total=len(report.kpis), met=len(met))
    if missed:
        first += translate("report.summary_missed", lang, n=len(missed), names=_names(missed, lang))
    if unmeasured:
        first += translate(
            "report.summary_unmeasured", lang, n=len(unmeasured), names=_names(unmeasured, lang)
        )
    first += translate("report.summary_end", lang)

    # Shares and scores move on different scales: compare each KPI's change to its target.
    moved = [(k, k.change / k.target if k.target else k.change) for k in report.kpis if k.change]
    if moved:
        best = max(moved, key=lambda pair: pair[1])
        worst = min(moved, key=lambda pair: pair[1])
        parts = []
        if best[1] > 0:
            parts.append(translate("report.summary_rose", lang, kpi=translate(f"kpi.{best[0].key}", lang),
                                   change=change_text(best[0], lang)))  # fmt: skip
        if worst[1] < 0:
            parts.append(translate("report.summary_fell", lang, kpi=translate(f"kpi.{worst[0].key}", lang),
                                   change=change_text(worst[0], lang)))  # fmt: skip
        second = translate("report.summary_changes", lang, changes=translate(
            "report.summary_and", lang).join(parts)) if parts else translate("report.summary_flat", lang)  # fmt: skip
    else:
        second = translate("report.summary_no_previous", lang)

    tickets = report.tickets
    third = translate(
        "report.summary_tickets", lang, opened=tickets.opened, closed=tickets.closed,
        rejected=tickets.rejected, overdue=tickets.overdue_now,
    )  # fmt: skip
    return [first, second, third]


def open_items(report: MonthlyReport, lang: str = "zh") -> list[str]:
    """What the committee should ask about: missed KPIs without the company's word, the
    company's promised actions, and tickets past their deadline."""
    items = [
        translate("report.open_unexplained", lang, kpi=translate(f"kpi.{key}", lang))
        for key in report.unexplained_kpis
    ]
    for key, view in report.explanations.by_kpi.items():
        items.append(
            translate(
                "report.open_action",
                lang,
                kpi=translate(f"kpi.{key}", lang),
                action=view.current.action,
                owner=view.current.action_owner,
                due=f"{view.current.action_due:%Y-%m-%d}",
            )
        )
    for ticket in report.overdue_tickets[:OPEN_TICKETS_LISTED]:
        items.append(
            translate(
                "report.open_overdue",
                lang,
                code=ticket.code,
                title=ticket.title,
                days=f"{ticket.days_overdue:.1f}",
            )
        )
    hidden = report.tickets.overdue_now - min(len(report.overdue_tickets), OPEN_TICKETS_LISTED)
    if hidden > 0:
        items.append(translate("report.open_more_overdue", lang, n=hidden))
    return items
