"""Cached reads for the monthly report page (月度报告).

Every loader takes the viewer (the report is of their community, and owners are refused) and
every argument that changes the answer: the month, ``now`` (the current minute, which decides
which deadlines have passed) and, for the tables and files, the language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from data_access.accounts.auth import Viewer
from data_access.analytics import report
from data_access.analytics.kpis import CORE_KPI_KEYS
from data_access.periods import Period
from data_access.timestamps import stored_to_local
from i18n import label, translate
from reports.charts import chart_png
from reports.excel import report_to_excel
from reports.pdf import report_to_pdf
from reports.tables import ReportTable, report_tables
from ui.charts import common as charts
from ui.charts.cache import vega_lite_spec
from ui.database import read
from ui.loaders.cache import community_cache

TTL_SECONDS = 300  # a month's figures move slowly; "now" in the key ages them anyway


@community_cache(ttl=TTL_SECONDS)
def monthly_report(viewer: Viewer, month: Period, now: dt.datetime) -> report.MonthlyReport:
    return read(report.build_monthly_report, viewer=viewer, month=month, now=now)


@community_cache(ttl=TTL_SECONDS)
def tables(viewer: Viewer, month: Period, now: dt.datetime, lang: str) -> list[ReportTable]:
    return report_tables(monthly_report(viewer, month, now), lang)


def trend_labels(lang: str) -> dict[str, str]:
    return {key: translate(f"kpi.{key}", lang) for key in CORE_KPI_KEYS}


def hotspot_bars(figures: report.MonthlyReport, lang: str) -> pd.DataFrame:
    """The month's busiest places, one bar each ("3栋 · 电梯"): the page's chart and the PDF's."""
    hotspots = figures.hotspots
    categories = hotspots["category"].map(lambda code: label("order_category", code, lang))
    return hotspots.assign(place=hotspots["area"] + " · " + categories)


def keyword_bars(figures: report.MonthlyReport) -> pd.DataFrame:
    """Keywords ranked by the texts they occur in (one rant does not outweigh ten), as the
    table."""
    return pd.DataFrame(
        {
            "word": [k.word for k in figures.keywords],
            "texts": [k.documents for k in figures.keywords],
        }
    )


def pdf_chart_specs(figures: report.MonthlyReport, lang: str) -> dict[str, dict[str, Any]]:
    """The page's own chart specs for the PDF (built in the page's run, where the language is
    known: the PDF itself is made later, on another thread, when the button is pressed)."""
    specs = {
        "trend": vega_lite_spec(
            charts.kpi_trend, "ui.charts.common.kpi_trend", figures.trend, trend_labels(lang),
            language=lang,
        ),
    }  # fmt: skip
    if not figures.hotspots.empty:
        specs["hotspots"] = vega_lite_spec(
            charts.ranked_bars, "ui.charts.common.ranked_bars", hotspot_bars(figures, lang),
            "place", "count", translate("report.hotspot_chart", lang),
            translate("report.axis_count", lang), language=lang,
        )  # fmt: skip
    return specs


@community_cache(ttl=TTL_SECONDS)
def pdf(
    viewer: Viewer, month: Period, now: dt.datetime, lang: str, specs: dict[str, dict[str, Any]]
) -> bytes:
    """The PDF with the page's charts drawn into it (``pdf_chart_specs``)."""
    figures = monthly_report(viewer, month, now)
    pictures = {name: chart_png(spec) for name, spec in specs.items()}
    made = stored_to_local(now, ZoneInfo(figures.time_zone))
    return report_to_pdf(figures, lang, charts=pictures, generated_at=made)


@community_cache(ttl=TTL_SECONDS)
def excel(viewer: Viewer, month: Period, now: dt.datetime, lang: str) -> bytes:
    return report_to_excel(monthly_report(viewer, month, now), lang)
