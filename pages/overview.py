"""首页 Overview: this month's KPIs against the contract, the trend, and what is open now."""

from __future__ import annotations

from contextlib import nullcontext

import streamlit as st

from data_access.accounts.privacy import PRIVATE_TITLE_KEY, private_title
from data_access.analytics.kpis import CORE_KPI_KEYS, KPI_KEYS
from data_access.periods import period_containing
from ui import clock, context, loaders
from ui.charts import common as charts
from ui.charts import summaries
from ui.charts.cache import keyed_summary, show_chart
from ui.formatting import deadline_text, local_time, percent
from ui.loaders import governance as governance_loaders
from ui.navigation import link_to
from ui.text import code_label, data_label, plain, t
from ui.widgets import card_lists
from ui.widgets.chrome import heading_with_caption
from ui.widgets.kpi_cards import kpi_card


def shown_title(title: str) -> str:
    """A redacted ticket's neutral title (stored in Chinese) in the UI language."""
    return t(PRIVATE_TITLE_KEY) if title == private_title() else title


viewer, homes = context.viewer(), context.own_units()
today, now = clock.local_today(), clock.now_utc_minute()
this_month = period_containing("month", today)
# A spinner only while the community's figures are computed (see overview_is_cached).
with nullcontext() if loaders.overview_is_cached(viewer, today, this_month, now) else st.spinner():
    summary = loaders.overview(viewer, today, homes)
    report = loaders.kpi_report(viewer, this_month, now)

# The community, where it is and the viewer's own homes: one element.
place = [f":material/location_on: {plain(summary.city)} · {plain(summary.address)}"]
if summary.my_units:
    place.append(t("overview.my_units", units="、".join(map(plain, summary.my_units))))
heading_with_caption(1, plain(summary.community_name), place)
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
notices = governance_loaders.current_notices(viewer, now, homes.building_ids)
if notices:
    with st.container(border=True, key="overview_notices"):
        lines = []
        for notice in notices[:3]:
            mark = f":red-badge[{t('announcements.urgent')}] " if notice.urgent else ""
            pin = ":material/push_pin: " if notice.pinned else ""
            window = t("announcements.window", start=local_time(notice.starts_at),
                       end=local_time(notice.ends_at))  # fmt: skip
            lines.append(
                f"{pin}{mark}**{plain(notice.title)}** · "
                f"{code_label('announcement_kind', notice.kind)} · {window}"
            )
        st.markdown("\n\n".join(lines))  # one element for the three
        st.page_link(link_to("announcements.py"), icon=":material/announcement:",
                     label=t("overview.all_notices") + (f" ({len(notices)})" if len(notices) > 3 else ""))  # fmt: skip

# --- KPIs against the contract --------------------------------------------------------------
if report.running:
    compared = report.compared_period
    heading_with_caption(
        3,
        f"{t('overview.kpi_header')} · {this_month.start:%Y-%m} · "
        + t("overview.running", month=today.month, day=today.day, date=f"{today:%Y-%m-%d}"),
        [t("overview.kpi_caption_running", start=f"{compared.start:%m-%d}",
           end=f"{compared.end:%m-%d}")],
    )  # fmt: skip
else:
    heading_with_caption(
        3, f"{t('overview.kpi_header')} · {this_month.start:%Y-%m}", [t("overview.kpi_caption")]
    )
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
partial = t("overview.trend_partial_caption", date=f"{today:%Y-%m-%d}")
show_chart(
    charts.kpi_trend, trend, labels, height=360, key=trend_key,
    summary=keyed_summary(summaries.kpi_trend, trend_key, trend, labels),
    note=partial if trend["partial"].any() else None,
)  # fmt: skip

# --- what is open right now -----------------------------------------------------------------
# Each element is a message the server builds, hashes and hands to its event loop, and these
# lists were most of this page's elements: the order cards and the steps are one HTML element
# each (ui.widgets.card_lists); a ticket's card is its link.
orders_column, tickets_column = st.columns(2)
with orders_column:
    st.subheader(f"{t('overview.open_orders_header')} ({summary.open_work_orders})")
    orders = loaders.open_orders(viewer)
    if orders:
        card_lists.show_order_cards(orders, now)
    else:
        st.info(t("overview.no_open_orders"))

with tickets_column:
    st.subheader(f"{t('overview.open_tickets_header')} ({summary.open_tickets})")
    tickets = loaders.open_tickets(viewer, now)
    if not tickets:
        st.info(t("overview.no_open_tickets"))
    with st.container(key="overview_ticket_cards"):
        for ticket in tickets:
            # The title, then in small print (the page style): whose, status, deadline, code.
            facts = [f":blue-badge[{t('overview.mine')}]"] if ticket.is_mine else []
            facts.append(code_label("ticket_status", ticket.status))
            if ticket.status != "awaiting_confirmation":  # else the company's part is done
                deadline = t(f"overview.deadline_{ticket.deadline_kind}")
                facts.append(f"{deadline} {local_time(ticket.deadline_at)}")
                facts.append(deadline_text(ticket.deadline_at, now))
            facts.append(ticket.code)
            st.page_link(
                link_to("ticket_detail.py"),
                label=f"**{plain(shown_title(ticket.title))}** {' · '.join(facts)}",
                icon=":material/assignment:",
                query_params={"id": str(ticket.ticket_id)},
                width="stretch",
            )
    if tickets:
        st.page_link(
            link_to("tickets.py"),
            label=t("overview.all_tickets"),
            icon=":material/campaign:",
        )

st.subheader(t("overview.updates_header"))
updates = loaders.public_updates(viewer)
if updates:
    card_lists.show_updates(updates, {private_title(): t(PRIVATE_TITLE_KEY)})
else:
    st.info(t("overview.no_updates"))
