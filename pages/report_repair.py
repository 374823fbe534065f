"""我要报修 Report a repair: where (my home or a public area), what kind, what is wrong, up to six
photos and, for a home visit, when suits me. It becomes a work order at 提交 that I follow on
我的工单. Where the community's orders come from the company's operational system, repairs are
taken there: the page says where instead of showing the form."""

from __future__ import annotations

import streamlit as st

from data_access.errors import DomainError
from data_access.models import WORK_ORDER_CATEGORIES
from data_access.orders import repair_requests
from ui import clock, context
from ui.actions.commands import flash, run_command, uploaded_bytes
from ui.loaders import communities as community_loaders
from ui.loaders import orders as order_loaders
from ui.navigation import PAGES_DIR, link_to
from ui.text import code_label, current_language, t

PHOTO_TYPES = ["jpg", "jpeg", "png", "webp"]

viewer = context.viewer()
st.title(t("page.report_repair"))

if community_loaders.sync_status(viewer.community_id) is not None:
    channel = order_loaders.repair_channel() or t("repair.default_channel")
    st.info(t("repair.use_source_intro", channel=channel), icon=":material/info:")
    st.page_link(
        link_to("my_orders.py"), label=t("page.my_orders"), icon=":material/chevron_right:"
    )
    st.stop()

st.caption(t("repair.intro"))
units = dict(order_loaders.my_units(viewer))
areas = {a.area_id: a.name for a in order_loaders.areas(viewer)}
place = st.radio(
    t("repair.place"),
    options=["home", "public"] if units else ["public"],
    format_func=lambda p: t(f"repair.place_{p}"),
    horizontal=True,
    key="repair_place",
)
in_home = place == "home"

with st.form("repair_form", clear_on_submit=True, border=True):
    unit_id = area_id = None
    visit_slot = ""
    if in_home:
        unit_id = st.selectbox(
            t("repair.unit"), options=list(units), format_func=lambda u: units[u],
            key="repair_unit", placeholder=t("common.choose")
        )  # fmt: skip
        visit_slot = st.selectbox(
            t("repair.visit_slot"), options=list(repair_requests.VISIT_SLOTS),
            format_func=lambda s: t(f"repair.slot_{s}"), key="repair_slot", placeholder=t("common.choose")
        )  # fmt: skip
    else:
        area_id = st.selectbox(
            t("repair.area"), options=list(areas), index=None, format_func=lambda a: areas[a],
            placeholder=t("repair.area_placeholder"), key="repair_area",
        )  # fmt: skip
    category = st.selectbox(
        t("repair.category"), options=list(WORK_ORDER_CATEGORIES),
        format_func=lambda c: code_label("order_category", c), key="repair_category", placeholder=t("common.choose")
    )  # fmt: skip
    description = st.text_area(
        t("repair.description"), max_chars=repair_requests.DESCRIPTION_MAX,
        placeholder=t("repair.description_placeholder"), key="repair_description",
    )  # fmt: skip
    files = st.file_uploader(
        t("repair.photos", max=repair_requests.MAX_PHOTOS), type=PHOTO_TYPES,
        accept_multiple_files=True, key="repair_photos",
    )  # fmt: skip
    submitted = st.form_submit_button(t("repair.submit"), type="primary", icon=":material/send:")

if submitted:
    try:
        with st.spinner(t("repair.saving")):
            order_id = run_command(
                repair_requests.report_repair, viewer=viewer, category=category,
                description=description, area_id=area_id, unit_id=unit_id,
                visit_slot=visit_slot, photos=uploaded_bytes(files), now=clock.now_utc(),
            )  # fmt: skip
    except DomainError as error:
        st.error(error.message(current_language()), icon=":material/error:")
    else:
        flash(t("repair.sent"))
        st.switch_page(str(PAGES_DIR / "order_detail.py"), query_params={"id": str(order_id)})
