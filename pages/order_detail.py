"""工单详情 One work order: every step with time and actor, deadlines, parts, photos, rating.

Opened from the board with ``?id=<order id>``; an order the viewer may not see reads as not found.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from data_access.errors import DomainError
from ui import clock, context
from ui.actions import orders as order_actions
from ui.actions.rating_form import rating_section
from ui.actions.voice_bar import voice_bar
from ui.formatting import local_time, span
from ui.loaders import orders as order_loaders
from ui.navigation import link_to
from ui.query import record_id_from_link
from ui.text import code_label, current_language, plain, t
from ui.widgets.photos import thumbnail_grid

viewer = context.viewer()
back = st.empty()  # to 工单进度; replaced by 我的工单 once the order proves to be the viewer's
back.page_link(link_to("work_orders.py"), label=t("order.back"), icon=":material/arrow_back:")
order_id = record_id_from_link()
if order_id is None:
    st.error(t("order.not_found"))
    st.stop()
now = clock.now_utc()
try:
    order = order_loaders.order_detail(viewer, order_id, now)
except DomainError as error:
    st.error(error.message(current_language()))
    st.stop()
order_actions.mark_seen(viewer, order.order_id, now)
if order.is_mine:
    back.page_link(
        link_to("my_orders.py"), label=t("order.back_mine"), icon=":material/arrow_back:"
    )

st.title(plain(order.title))
if order.is_private:
    st.caption(f":material/lock: {t('order.private_note')}")
progress = order.progress
st.progress(
    progress.percent / 100,
    text=f"{code_label('stage', progress.stage)} {progress.step}/{progress.steps} · "
    + " → ".join(
        t("order.stage_skipped", stage=code_label("stage", s))
        if s in progress.skipped
        else code_label("stage", s)
        for s in progress.stages
    ),
)
if order.can_rate:  # what the owner came for: the form first
    rating_section(viewer, order)
voice_bar(viewer, "order", order.order_id)


def deadline(label_key: str, due: dt.datetime, done: dt.datetime | None) -> str:
    """The deadline with a met/missed badge once it is decided."""
    mark = ""
    if done is not None:
        met = done <= due
        mark = f" :green-badge[{t('order.met')}]" if met else f" :red-badge[{t('order.missed')}]"
    elif due < now:
        mark = f" :red-badge[{t('order.missed')}]"
    return f"**{t(label_key)}** {local_time(due)}{mark}"


info, photos = st.columns([2, 3])
with info, st.container(border=True):
    st.markdown(f"**{t('order.code')}** {order.code}")
    st.markdown(
        f"**{t('order.type')}** {code_label('order_type', order.order_type)} · "
        f"**{t('order.category')}** {code_label('order_category', order.category)} · "
        f"**{t('order.priority')}** {code_label('priority', order.priority)}"
    )
    st.markdown(f"**{t('order.location')}** {plain(order.location)}")
    if order.reporter:
        st.markdown(f"**{t('order.reporter')}** {plain(order.reporter)}")
    if order.service_phone:
        st.markdown(f"**{t('order.service_phone')}** {plain(order.service_phone)}")
    if order.preferred_visit:
        slot = t(f"repair.slot_{order.preferred_visit}")
        st.markdown(f"**{t('order.preferred_visit')}** {slot}")
    st.markdown(f"**{t('order.created')}** {local_time(order.created_at)}")
    st.markdown(deadline("order.respond_by", order.respond_due_at, order.responded_at))
    st.markdown(deadline("order.resolve_by", order.resolve_due_at, order.completed_at))
    if order.description:
        st.caption(plain(order.description))

with photos:
    st.subheader(t("order.photos"))
    before, after = st.columns(2)
    for column, kinds, key in (
        (before, ("before",), "order.photos_before"),
        (after, ("after", "during"), "order.photos_after"),
    ):
        with column:
            st.markdown(f"**{t(key)}**")
            shown = [p for p in order.photos if p.kind in kinds]
            if shown:
                thumbnail_grid(shown, columns=1, key=f"order_photos_{key}")
            else:
                st.caption(t("order.no_photos"))

st.subheader(t("order.timeline"))
for step in reversed(order.steps):
    with st.container(border=True):
        head = f"**{code_label('stage', step.stage)}** · {local_time(step.occurred_at)}"
        if step.actor:
            head += f" · {plain(step.actor)}"
        if step.deadline_kind:
            outcome = "met" if step.deadline_met else "missed"
            color = "green" if step.deadline_met else "red"
            head += f" :{color}-badge[{t(f'order.deadline_{step.deadline_kind}_{outcome}')}]"
        st.markdown(head)
        details = [plain(step.note)] if step.note else []
        if step.spent is not None:
            details.append(t("order.spent", span=span(step.spent)))
        if details:
            st.caption(" · ".join(details))
        for fix in step.corrections:
            key = "order.corrected" if fix.recorded_at else "order.corrected_undated"
            st.caption(
                t(
                    key,
                    before=local_time(fix.corrected_from),
                    after=local_time(fix.corrected_to),
                    by=plain(fix.by),
                    recorded=local_time(fix.recorded_at),
                ),
                help=t("order.corrected_help"),
            )

if order.parts:
    st.subheader(t("order.parts"))
    st.dataframe(
        [
            {
                t("order.part_name"): p.name,
                t("order.part_quantity"): p.quantity,
                t("order.part_ordered"): local_time(p.ordered_at),
                t("order.part_arrived"): local_time(p.arrived_at) or "—",
            }
            for p in order.parts
        ],
        hide_index=True,
    )

if not order.can_rate:
    rating_section(viewer, order)
