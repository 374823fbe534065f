"""首页 Overview: this month's KPIs against the contract, the trend, and what is open now."""

from __future__ import annotations

import streamlit as st

from data_access.accounts.privacy import PRIVATE_TITLE_KEY, private_title
from data_access.analytics.kpis import CORE_KPI_KEYS, KPI_KEYS
from data_access.periods import period_containing
from ui import clock, context, loaders
from ui.charts import common as charts
from ui.charts import summaries
from ui.charts.cache import keyed_summary, show_chart
from ui.formatting import ago, deadline_text, local_time, percent
from ui.loaders import governance as governance_loaders
from ui.navigation import PAGES_DIR
from ui.text import code_label, data_label, plain, t
from ui.widgets.kpi_cards import kpi_card


def shown_title(title: str) -> str:
    """A redacted ticket's neutral title (stored in Chinese) in the UI language."""
    return t(PRIVATE_TITLE_KEY) if title == private_title() else title


viewer = context.viewer()
today, now = clock.local_today(), clock.now_utc_minute()
this_month = period_containing("month", today)
with st.spinner():
    summary = loaders.overview(viewer, today)
    report = loaders.kpi_report(viewer, this_month, now)

st.title(summary.community_name)
st.caption(f":material/location_on: {summary.city} · {summary.address}")
if summary.my_units:
    st.caption(t("overview.my_units", units="、".join(summary.my_units)))
if summary.contract is None:
    st.warning(t("overview.no_contract"), icon=":material/contract:")
else:
    contract = summary.contract
    if contract.service_level is None or contract.fee_per_m2_month is None:
        terms = t("overview.contract_unrecorded")
    else:
        period = t("overview.contract_period", start=f"{contract.start_date:%Y-%m-%d}",
                   end=f"{contract.end_date:%Y-%m-%d}")  # fmt: skip
        level = t(
            "overview.contract_level",
            level=data_label("service_level", contract.service_level),
            fee=f"{contract.fee_per_m2_month:.2f}",
        )
        terms = f"{period} · {level}"
    st.markdown(f":material/contract: **{t('overview.contract')}** · {terms}")

# --- notices in force (公告): titles here, the text on the notices page ------------------------
notices = governance_loaders.current_announcements(viewer, now)
if notices:
    with st.container(border=True, key="overview_notices"):
        for notice in notices[:3]:
            mark = f":red-badge[{t('announcements.urgent')}] " if notice.urgent else ""
            pin = ":material/push_pin: " if notice.pinned else ""
            st.markdown(
                f"{pin}{mark}**{plain(notice.title)}** · "
                f"{code_label('announcement_kind', notice.kind)} · "
                f"{t('announcements.window', start=local_time(notice.starts_at), end=local_time(notice.ends_at))}"
            )
        st.page_link(str(PAGES_DIR / "announcements.py"), icon=":material/announcement:",
                     label=t("overview.all_notices") + (f" ({len(notices)})" if len(notices) > 3 else ""))  # fmt: skip

# --- KPIs against the contract --------------------------------------------------------------
if report.running:
    st.subheader(
        f"{t('overview.kpi_header')} · {this_month.start:%Y-%m} · "
        + t("overview.running", month=today.month, day=today.day, date=f"{today:%Y-%m-%d}")
    )
    compared = report.compared_period
    st.caption(
        t(
            "overview.kpi_caption_running",
            start=f"{compared.start:%m-%d}",
            end=f"{compared.end:%m-%d}",
        )
    )
else:
    st.subheader(f"{t('overview.kpi_header')} · {this_month.start:%Y-%m}")
    st.caption(t("overview.kpi_caption"))
extras = {
    "satisfaction": t("kpi.good_share", share=percent(report.satisfaction.good_share)),
    "rectification_rate": t("kpi.on_time_share", share=percent(report.rectification.on_time_share)),
}
# One wrapping row: three cards a line on a wide screen, two on a phone (the menu's style).
with st.container(horizontal=True, key="kpi_cards"):
    for key in KPI_KEYS:
        kpi_card(report[key], extras.get(key, ""), same_days=report.running)

st.subheader(t("overview.trend_header"))
trend = loaders.kpi_trend(viewer, today, now)
labels = {key: t(f"kpi.{key}") for key in CORE_KPI_KEYS}
trend_key = ("overview", viewer.community_id, today, now)  # what community_trend is keyed by
show_chart(
    charts.kpi_trend, trend, labels, height=360, key=trend_key,
    summary=keyed_summary(summaries.kpi_trend, trend_key, trend, labels),
)  # fmt: skip
if trend["partial"].any():
    st.caption(t("overview.trend_partial_caption", date=f"{today:%Y-%m-%d}"))

# --- what is open right now -----------------------------------------------------------------
# A card's title and its small print are one Markdown (two paragraphs; the page style draws
# the second as a caption in cards of this container): each element is a message the server
# builds, hashes and hands to its event loop, and the lists are most of this page's elements.
orders_column, tickets_column = st.columns(2)
with orders_column, st.container(key="overview_cards_orders"):
    st.subheader(f"{t('overview.open_orders_header')} ({summary.open_work_orders})")
    orders = loaders.open_orders(viewer)
    if not orders:
        st.info(t("overview.no_open_orders"))
    for order in orders:
        with st.container(border=True):
            badges = " ".join(
                badge
                for badge, show in (
                    (f":blue-badge[{t('overview.mine')}]", order.is_mine),
                    (f":gray-badge[{t('overview.private')}]", order.is_private),
                )
                if show
            )
            st.markdown(
                f"**{plain(order.title)}** {badges}\n\n"
                f"{code_label('order_type', order.order_type)} · "
                f"{code_label('order_category', order.category)} · {plain(order.location)} · "
                f"{ago(order.created_at, now)}"
            )
            progress = order.progress
            st.progress(
                progress.percent / 100,
                text=t(
                    "overview.step",
                    stage=code_label("stage", progress.stage),
                    step=progress.step,
                    steps=progress.steps,
                )
                + f" · {t('orders.deadline_resolve')} {deadline_text(order.resolve_due_at, now)}",
            )

with tickets_column, st.container(key="overview_cards_tickets"):
    st.subheader(f"{t('overview.open_tickets_header')} ({summary.open_tickets})")
    tickets = loaders.open_tickets(viewer, now)
    if not tickets:
        st.info(t("overview.no_open_tickets"))
    for ticket in tickets:
        with st.container(border=True):
            mine = f" :blue-badge[{t('overview.mine')}]" if ticket.is_mine else ""
            status = code_label("ticket_status", ticket.status)
            if ticket.status != "awaiting_confirmation":  # else the company's part is done
                deadline = t(f"overview.deadline_{ticket.deadline_kind}")
                shown = deadline_text(ticket.deadline_at, now)
                status = f"{status} · {deadline} {local_time(ticket.deadline_at)} · {shown}"
            st.markdown(f"**{plain(shown_title(ticket.title))}**{mine}\n\n{status}")
            st.page_link(
                str(PAGES_DIR / "ticket_detail.py"),
                label=t("overview.open_ticket", code=ticket.code),
                icon=":material/assignment:",
                query_params={"id": str(ticket.ticket_id)},
            )
    if tickets:
        st.page_link(
            str(PAGES_DIR / "tickets.py"),
            label=t("overview.all_tickets"),
            icon=":material/campaign:",
        )

with st.container(key="overview_cards_updates"):
    st.subheader(t("overview.updates_header"))
    updates = loaders.public_updates(viewer)
    if not updates:
        st.info(t("overview.no_updates"))
    for update in updates:
        state = code_label("stage" if update.subject == "order" else "ticket_status", update.state)
        actor = f" · {update.actor}" if update.actor else ""
        # The note, as typed (its own paragraphs kept), below the step in small print.
        note = "\n\n" + plain(update.note).replace("  \n  \n", "\n\n") if update.note else ""
        st.markdown(
            f"**{local_time(update.occurred_at)}** · {plain(shown_title(update.title))} → "
            f"{state}{plain(actor)}{note}"
        )
