"""The public ledger's 12-month chart: income, costs and the owners' share per month, in yuan.

A month with no published ledger (for owners: not signed off by the committee) has no bars and
is labelled "未公示" on the axis — never a bar of 0. The page and the PDF draw the same spec.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from data_access.governance.ledger import MonthFigures
from reports.ledger import yuan
from ui.text import t

SERIES = ("income", "cost", "share")
COLOURS = ("#35557a", "#b0702c", "#2e7d4f")


def months_frame(figures: Sequence[MonthFigures], lang: str) -> pd.DataFrame:
    """One row per month and series (yuan, for drawing); months without figures: one row with
    ``missing`` set and no value. ``lang`` keys the frame to the language of its labels."""
    del lang  # the labels come from the session's language (``t``)
    rows = []
    for month in figures:
        label = f"{month.month_start:%Y-%m}"
        if month.totals is None:
            rows.append({"month": label, "series": "", "yuan": 0.0, "missing": True})
            continue
        values = (month.totals.income_fen, month.totals.cost_fen, month.totals.owners_share_fen)
        for series, fen in zip(SERIES, values, strict=True):
            rows.append({"month": label, "series": t(f"ledger.series_{series}"),
                         "yuan": fen / 100, "missing": False})  # fmt: skip
    return pd.DataFrame(rows, columns=["month", "series", "yuan", "missing"])


def ledger_months(frame: pd.DataFrame) -> alt.TopLevelMixin:
    order = [t(f"ledger.series_{s}") for s in SERIES]
    months = list(dict.fromkeys(frame["month"]))
    missing = sorted(set(frame.loc[frame["missing"], "month"]))
    # A month without figures keeps its place on the axis, its label saying 未公示 (no bar: a
    # month not published is not a month of zero).
    label = f"indexof({missing!r}, datum.value) >= 0 ? datum.value + ' ' + {t('ledger.not_published_short')!r} : datum.value"
    x = alt.X("month:O", title=None, sort=months, scale=alt.Scale(domain=months),
              axis=alt.Axis(labelAngle=-45, labelExpr=label))  # fmt: skip
    bars = (
        alt.Chart(frame[~frame["missing"]])
        .mark_bar()
        .encode(
            x=x,
            xOffset=alt.XOffset("series:N", sort=order),
            y=alt.Y("yuan:Q", title=t("ledger.axis_yuan")),
            color=alt.Color("series:N", sort=order, title=None,
                            scale=alt.Scale(domain=order, range=list(COLOURS)),
                            legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("month:O", title=t("ledger.month")),
                     alt.Tooltip("series:N", title=None),
                     alt.Tooltip("yuan:Q", title=t("ledger.axis_yuan"), format=",.2f")],
        )
    )  # fmt: skip
    return bars.properties(height=220, title=t("ledger.chart_title"))


def summary(figures: Sequence[MonthFigures]) -> str:
    """The chart in words: the months shown, their share, and which are not published."""
    shown = [m for m in figures if m.totals is not None]
    missing = [f"{m.month_start:%Y-%m}" for m in figures if m.totals is None]
    if not shown:
        return t("ledger.summary_none")
    total = sum(m.totals.owners_share_fen for m in shown if m.totals is not None)
    text = t("ledger.summary", n=len(shown), share=yuan(total))
    if missing:
        text += " " + t("ledger.summary_missing", months="、".join(missing))
    return text
