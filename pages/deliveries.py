"""消息投递记录 Delivery log (managers): what left the app for the community's people, on which
channel, and what became of it — sent, waiting for a retry, failed (and the next channel tried),
or unknown: the worker stopped while sending on a channel that cannot refuse a repeat, so the
message may or may not have arrived and is not sent again.
"""

from __future__ import annotations

import streamlit as st

from ui import context
from ui.formatting import local_time
from ui.loaders import outbox as outbox_loaders
from ui.text import t

STATES = ("pending", "sending", "sent", "failed", "unknown", "digested", "skipped")

viewer = context.viewer()
st.title(t("page.deliveries"))
if not viewer.is_manager:
    st.error(t("outbox.managers_only"))
    st.stop()
st.caption(t("outbox.log_intro"))
configured = outbox_loaders.configured_channels()
if not configured:
    st.info(t("outbox.no_channels_manager"), icon=":material/info:")

counts, _all = outbox_loaders.delivery_log(viewer, ())
shown = ("sent", "pending", "failed", "unknown")
columns = st.columns(len(shown))
for column, state in zip(columns, shown, strict=True):
    column.metric(t(f"outbox.state_{state}"), f"{counts.get(state, 0):,}")
if counts.get("unknown"):
    st.warning(t("outbox.unknown_warning", n=counts["unknown"]), icon=":material/help:")

wanted = st.pills(
    t("outbox.filter_state"), options=list(STATES), selection_mode="multi",
    format_func=lambda s: t(f"outbox.state_{s}"), key="deliveries_states",
)  # fmt: skip
_, lines = outbox_loaders.delivery_log(viewer, tuple(wanted or ()))
if not lines:
    st.info(t("outbox.log_empty"))
else:
    st.dataframe(
        [
            {
                t("outbox.col_time"): local_time(line.created_at),
                t("outbox.col_to"): line.recipient,
                t("outbox.col_channel"): t(f"outbox.channel_{line.channel}"),
                t("outbox.col_what"): t(f"outbox.event_{line.event_type}"),
                t("outbox.col_ref"): line.ref,
                t("outbox.col_state"): t(f"outbox.state_{line.state}"),
                t("outbox.col_attempts"): line.attempts,
                t("outbox.col_sent"): local_time(line.sent_at),
                t("outbox.col_error"): line.last_error,
            }
            for line in lines
        ],
        hide_index=True,
        width="stretch",
    )
