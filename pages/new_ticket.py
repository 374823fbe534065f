"""我要整改/建议 Open a rectification ticket: an owner for themselves, a manager on an owner's
behalf (recorded as such). The ticket is public on 整改公示 from the moment it is sent, with its
accept and fix deadlines from the contract."""

from __future__ import annotations

import streamlit as st

from data_access.errors import DomainError
from data_access.models import WORK_ORDER_CATEGORIES
from data_access.tickets import ticket_commands
from ui import clock, context
from ui.actions.commands import flash, run_command, uploaded_bytes
from ui.loaders import communities as community_loaders
from ui.loaders import orders as order_loaders
from ui.navigation import PAGES_DIR
from ui.text import code_label, current_language, t

PHOTO_TYPES = ["jpg", "jpeg", "png", "webp"]

viewer = context.viewer()
st.title(t("page.new_ticket"))
st.caption(t("ticket_form.intro"))

owner_id = None
if viewer.is_manager:
    owners = {o.account_id: o for o in community_loaders.owner_choices(viewer)}
    owner_id = st.selectbox(
        t("ticket_form.on_behalf_of"),
        options=list(owners),
        index=None,
        format_func=lambda i: f"{owners[i].name} · {owners[i].units or '—'}",
        placeholder=t("ticket_form.choose_owner"),
        key="new_ticket_owner",
    )
    st.caption(t("ticket_form.on_behalf_note"))

areas = {a.area_id: a.name for a in order_loaders.areas(viewer)}
with st.form("new_ticket_form", clear_on_submit=True, border=True):
    title = st.text_input(
        t("ticket_form.title"),
        max_chars=ticket_commands.TITLE_MAX,
        placeholder=t("ticket_form.title_placeholder"),
        key="new_ticket_title",
    )
    category_column, area_column = st.columns(2)
    category = category_column.selectbox(
        t("ticket_form.category"),
        options=list(WORK_ORDER_CATEGORIES),
        format_func=lambda code: code_label("order_category", code),
        key="new_ticket_category",
        placeholder=t("common.choose"),
    )
    area_id = area_column.selectbox(
        t("ticket_form.area"),
        options=list(areas),
        index=None,
        format_func=lambda i: areas[i],
        placeholder=t("ticket_form.area_placeholder"),
        key="new_ticket_area",
    )
    location = st.text_input(
        t("ticket_form.location"),
        max_chars=ticket_commands.LOCATION_MAX,
        placeholder=t("ticket_form.location_placeholder"),
        key="new_ticket_location",
    )
    description = st.text_area(
        t("ticket_form.description"),
        max_chars=ticket_commands.DESCRIPTION_MAX,
        placeholder=t("ticket_form.description_placeholder"),
        key="new_ticket_description",
    )
    files = st.file_uploader(
        t("ticket_form.photos", max=ticket_commands.MAX_PHOTOS),
        type=PHOTO_TYPES,
        accept_multiple_files=True,
        key="new_ticket_photos",
    )
    submitted = st.form_submit_button(
        t("ticket_form.submit"), type="primary", icon=":material/send:"
    )

if submitted:
    try:
        with st.spinner(t("ticket_form.saving")):
            ticket_id = run_command(
                ticket_commands.open_ticket,
                viewer=viewer,
                title=title,
                category=category,
                description=description,
                location=location,
                area_id=area_id,
                on_behalf_of_account_id=owner_id,
                photos=uploaded_bytes(files),
                now=clock.now_utc(),
            )
    except DomainError as error:
        st.error(error.message(current_language()), icon=":material/error:")
    else:
        flash(t("ticket_form.sent"))
        st.switch_page(str(PAGES_DIR / "ticket_detail.py"), query_params={"id": str(ticket_id)})
