"""The public ledger's 12-month chart: income, costs and the owners' share per month, in yuan.

A month with no published ledger (for owners: not signed off by the committee) has no bars and
is a grey band with the tooltip "未公示" — never a bar of 0. The page and the PDF draw the same spec.
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
    x = alt.X("month:O", title=None, sort=months, scale=alt.Scale(domain=months),
              axis=alt.Axis(labelAngle=-45))  # fmt: skip
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
    # A month without figures is a grey band the plot's height saying 未公示, with no bar (a
    # month not published is not a month of zero); the summary under the chart names them too.
    not_published = (
        alt.Chart(frame[frame["missing"]])
        .mark_rect(color="#d9dde3", opacity=0.6)
        .encode(x=x, y=alt.value(0), y2=alt.value("height"),
                tooltip=[alt.Tooltip("month:O", title=t("ledger.month")),
                         alt.Tooltip("note:N", title=None)])
        .transform_calculate(note=f"{t('ledger.not_published_short')!r}")
    )  # fmt: skip
    says_so = (
        alt.Chart(frame[frame["missing"]])
        .mark_text(angle=90, align="left", baseline="middle", dx=6, color="#4b5563", fontSize=11)
        .encode(x=x, y=alt.value(0), text=alt.value(t("ledger.not_published_short")))
    )  # written down from the top of the band, whatever the plot's height
    # Streamlit fits the whole chart (title, rotated labels, legend) into the height.
    return alt.layer(not_published, says_so, bars).properties(
        height=300, title=t("ledger.chart_title")
    )


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
