"""分析 Analytics: timeliness, hotspots, what owners write about, and where risks coincide."""

from __future__ import annotations

import streamlit as st

from data_access.analytics.analytics import (
    RISK_FAULT_WEIGHT,
    RISK_HOTSPOT_WEIGHT,
    RISK_LOW_RATING_WEIGHT,
    RISK_MIN_SIGNALS,
    RISK_OPEN_FAULT_WEIGHT,
)
from data_access.analytics.keywords import KEYWORD_SOURCES, FeedbackText
from ui import clock, context
from ui.charts import analytics as analytics_charts
from ui.charts import summaries
from ui.charts.cache import show_chart
from ui.formatting import local_time, percent
from ui.loaders import analytics as analytics_loaders
from ui.navigation import link_to
from ui.text import code_label, current_language, plain, t
from ui.widgets.period_picker import period_picker

KEYWORD_LIMIT = 20  # bars in the keyword chart
TEXT_LIMIT = 30  # texts shown for one keyword


def text_card(item: FeedbackText, word: str) -> None:
    """One text mentioning ``word`` (shown bold), where it came from, and a link to it."""
    where = f" · {plain(item.area_name)}" if item.area_name else ""
    st.markdown(
        f"**{t(f'keywords.source.{item.source}')}** · "
        f"{code_label('order_category', item.category)}{where}"
    )
    st.caption(local_time(item.created_at))
    st.markdown(plain(item.text).replace(plain(word), f"**{plain(word)}**"))
    page, link = (
        ("ticket_detail.py", t("keywords.open_ticket"))
        if item.source == "ticket"
        else ("order_detail.py", t("keywords.open_order"))
    )
    st.page_link(
        link_to(page), label=link, icon=":material/chevron_right:",
        query_params={"id": str(item.target_id)},
    )  # fmt: skip


viewer = context.viewer()
st.title(t("page.analytics"))
st.caption(t("analytics.intro"))

period = period_picker("analytics", open_on_complete=True)
now = clock.now_utc_minute()
timeliness_tab, hotspot_tab, keyword_tab, risk_tab = st.tabs(
    [
        t("analytics.tab_timeliness"),
        t("analytics.tab_hotspots"),
        t("analytics.tab_keywords"),
        t("analytics.tab_risks"),
    ]
)

# --- 时效: reply timeliness, handling time, overdue trend ------------------------------------------
with timeliness_tab:
    with st.spinner():
        reply = analytics_loaders.reply_timeliness(viewer, period, now)
        durations = analytics_loaders.durations(viewer, period)
        overdue = analytics_loaders.overdue(viewer, period, now)
    due, in_time = int(reply["due"].sum()), int(reply["in_time"].sum())
    overdue_by_source = overdue.groupby("source")["overdue"].sum()
    median = durations["hours"].median()
    metrics = st.columns(4)
    metrics[0].metric(
        t("analytics.metric_reply_share"), percent(in_time / due if due else None),
        help=t("analytics.metric_reply_help"), border=True,
    )  # fmt: skip
    metrics[1].metric(t("analytics.metric_closed"), len(durations), border=True)
    metrics[2].metric(
        t("analytics.metric_median"),
        t("analytics.hours", hours=f"{median:.1f}") if len(durations) else t("analytics.no_data"),
        border=True,
    )
    metrics[3].metric(
        t("analytics.metric_overdue"),
        t("analytics.overdue_pair", orders=int(overdue_by_source.get("order", 0)),
          tickets=int(overdue_by_source.get("ticket", 0))),
        border=True,
    )  # fmt: skip

    st.subheader(t("analytics.reply_header"))
    if due:
        show_chart(
            analytics_charts.reply_timeliness_bars, reply,
            summary=summaries.reply_timeliness(reply),
        )  # fmt: skip
    else:
        st.info(t("analytics.reply_empty"), icon=":material/mark_chat_read:")

    st.subheader(t("analytics.handling_header"))
    st.caption(t("analytics.handling_caption"))
    if len(durations):
        show_chart(
            analytics_charts.handling_boxplot, durations,
            summary=summaries.handling_times(durations),
        )  # fmt: skip
    else:
        st.info(t("analytics.handling_empty"), icon=":material/hourglass_empty:")

    st.subheader(t("analytics.overdue_header"))
    st.caption(t("analytics.overdue_caption"))
    if overdue["due"].sum():
        show_chart(
            analytics_charts.overdue_lines, overdue, height=300,
            summary=summaries.overdue_weeks(overdue),
        )  # fmt: skip
    else:
        st.info(t("analytics.overdue_empty"), icon=":material/event_available:")

# --- 热点: area × category --------------------------------------------------------------------------
with hotspot_tab:
    with st.spinner():
        matrix = analytics_loaders.hotspots(viewer, period)
    st.subheader(t("analytics.hotspot_header"))
    st.caption(t("analytics.hotspot_caption"))
    if matrix.empty:
        st.info(t("analytics.hotspot_empty"), icon=":material/location_off:")
    else:
        per_area = matrix.groupby("area_name", sort=False)["count"].sum()
        left, right = st.columns(2)
        left.metric(t("analytics.metric_issue_orders"), int(matrix["count"].sum()), border=True)
        right.metric(
            t("analytics.metric_busiest_area"),
            t("analytics.busiest_value", area=per_area.index[0], count=int(per_area.iloc[0])),
            border=True,
        )
        show_chart(analytics_charts.hotspot_heatmap, matrix, summary=summaries.hotspots(matrix))

# --- 关键词: ranked words, drill-down to the texts -----------------------------------------------------
with keyword_tab:
    st.subheader(t("keywords.header"))
    st.caption(t("keywords.caption"))
    chosen_sources = st.pills(
        t("keywords.sources"), options=list(KEYWORD_SOURCES), selection_mode="multi",
        default=list(KEYWORD_SOURCES), format_func=lambda s: t(f"keywords.source.{s}"),
        key="analytics_sources",
    )  # fmt: skip
    sources = tuple(s for s in KEYWORD_SOURCES if s in (chosen_sources or []))
    if not sources:
        st.info(t("keywords.pick_source"), icon=":material/filter_alt:")
    else:
        with st.spinner():
            words = analytics_loaders.keywords(viewer, period, sources, KEYWORD_LIMIT)
            total_texts = analytics_loaders.text_count(viewer, period, sources)
        if not words:
            st.info(t("keywords.empty"), icon=":material/speaker_notes_off:")
        else:
            st.metric(t("keywords.metric_texts"), total_texts, border=True)
            show_chart(analytics_charts.keyword_bars, words, summary=summaries.keywords(words))
            counts = {k.word: k.documents for k in words}
            word = st.selectbox(
                t("keywords.pick_word"), options=list(counts), key="analytics_keyword",
                format_func=lambda w: t("keywords.word_option", word=w, documents=counts[w]), placeholder=t("common.choose")
            )  # fmt: skip
            if word:
                with st.spinner():
                    found = analytics_loaders.keyword_texts(
                        viewer, period, sources, word, TEXT_LIMIT
                    )
                st.markdown(f"**{t('keywords.texts_header', word=plain(word))}**")
                if not found:
                    st.info(t("keywords.no_texts"))
                elif len(found) < counts[word]:
                    st.caption(t("keywords.texts_shown", shown=len(found), total=counts[word]))

                for item in found:
                    with st.container(border=True):
                        text_card(item, word)

# --- 风险点: places where signals coincide ---------------------------------------------------------
with risk_tab:
    with st.spinner():
        points = analytics_loaders.risks(viewer, period, now)
    st.subheader(t("analytics.risk_header"))
    st.caption(
        t("analytics.risk_caption", signals=RISK_MIN_SIGNALS, hotspot=RISK_HOTSPOT_WEIGHT,
          low=RISK_LOW_RATING_WEIGHT, fault=RISK_FAULT_WEIGHT, open_fault=RISK_OPEN_FAULT_WEIGHT)
    )  # fmt: skip
    if not points:
        st.info(t("analytics.risk_empty"), icon=":material/verified_user:")
    for rank, point in enumerate(points, start=1):
        with st.container(border=True):
            left, right = st.columns([4, 1], vertical_alignment="center")
            left.markdown(
                f"**{t('analytics.risk_title', rank=rank, area=plain(point.area_name))}** · "
                f"{t(f'analytics.area_kind.{point.area_kind}')} · "
                f"{t('analytics.risk_signals', signals=point.signals)}"
            )
            left.markdown("\n".join(f"- {plain(r)}" for r in point.reasons(current_language())))
            right.metric(t("analytics.risk_score"), point.score)
