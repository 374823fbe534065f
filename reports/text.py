"""The report's words outside its tables: the document title, the download's file name, the
moment the figures were read, and how wide a text prints (CJK characters take two columns)."""

from __future__ import annotations

import unicodedata
from zoneinfo import ZoneInfo

from data_access.analytics.report import MonthlyReport
from data_access.timestamps import stored_to_local
from i18n import translate


def as_of_text(report: MonthlyReport) -> str:
    """When deadlines were judged, in the community's zone: 2026-11-20 20:00 (Asia/Shanghai)."""
    local = stored_to_local(report.as_of, ZoneInfo(report.time_zone))
    assert local is not None
    return f"{local:%Y-%m-%d %H:%M} ({report.time_zone})"


def report_title(report: MonthlyReport, lang: str = "zh") -> str:
    return translate(
        "report.document_title", lang, community=report.community_name, month=report.month_label
    )


def report_file_name(report: MonthlyReport, extension: str, lang: str = "zh") -> str:
    """月度报告_CUIHU_2026-10.pdf"""
    stem = translate("report.file_stem", lang)
    return f"{stem}_{report.community_code}_{report.month_label}.{extension}"


def display_width(text: str) -> int:
    """Columns a text takes: CJK characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
