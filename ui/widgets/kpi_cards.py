"""KPI cards: value, contract target, change against the previous period; red below target."""

from __future__ import annotations

import streamlit as st

from data_access.analytics.kpis import Kpi
from ui.text import t


def _value(kpi: Kpi, value: float | None) -> str:
    if value is None:
        return t("kpi.no_data")
    return t("overview.score", value=f"{value:.2f}") if kpi.is_score else f"{value:.1%}"


def _change(kpi: Kpi, same_days: bool) -> str:
    change = kpi.change
    if change is None:
        return ""
    arrow = "▲" if change > 0 else "▼" if change < 0 else "■"
    color = "green" if change > 0 else "red" if change < 0 else "gray"
    amount = (
        t("overview.score_points", value=f"{abs(change):.2f}")
        if kpi.is_score
        else t("overview.points", value=f"{abs(change) * 100:.1f}")
    )
    key = "overview.vs_same_days" if same_days else "overview.vs_previous"
    return f":{color}[{arrow} {t(key, delta=amount)}]"


def _left_out(kpi: Kpi) -> str:
    """Why the value is missing or covers fewer items than exist (not measured ≠ 0 %)."""
    if not kpi.left_out:
        return ""
    key = "kpi.not_measured" if kpi.value is None else "kpi.left_out"
    return t(key, count=kpi.left_out, reason=t(f"kpi.{kpi.key}.left_out_reason"))


def _pending(kpi: Kpi) -> str:
    return t("kpi.pending", count=kpi.pending) if kpi.pending else ""


def kpi_card(kpi: Kpi, extra: str = "", *, same_days: bool = False) -> None:
    """Draw one card in the current container (the Overview's ``kpi_cards`` row, whose page
    style draws each of its elements as a bordered card). ``same_days``: the change is against
    the same days of the previous period (this one is still running).

    The card is one Markdown, not a bordered container: every element is a message the server
    builds, hashes and hands to its event loop, so the title (its explanation behind the help
    icon), the value, the target and the small print are one (the paragraphs after the value
    are drawn as a caption by ``ui.menu``'s page style, as after any Markdown heading)."""
    meets = kpi.meets_target
    color = "red" if meets is False else "green" if meets else "gray"
    target = _value(kpi, kpi.target) if kpi.target is not None else "—"
    status = ""
    if meets is False:
        status = f" · :red-badge[{t('overview.below_target')}]"
    elif meets:
        status = f" · :green-badge[{t('overview.meets_target')}]"
    parts = (_change(kpi, same_days), _left_out(kpi), _pending(kpi), extra)
    lines = [line for line in parts if line]
    small_print = " · ".join(lines) if lines else "&nbsp;"
    st.markdown(
        f"**{t(f'kpi.{kpi.key}')}**\n\n## :{color}[{_value(kpi, kpi.value)}]\n\n"
        f"{t('kpi.target', target=target)}{status}\n\n{small_print}",
        help=t(f"kpi.{kpi.key}.help"),
    )
