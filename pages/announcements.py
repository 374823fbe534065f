"""公告 Notices: what the company and the owners' committee tell the community.

Everyone reads the notices meant for them (the whole community, or their buildings): pinned
first, then urgent, then the newest; a withdrawn one stays, struck through, with the reason.
Opening this page counts as reading the notices shown (read receipts). Managers publish as the
company and the committee as 业委会; each sees, per notice, how many of the targeted units have
an owner who opened it, and can withdraw their side's notices.
"""

from __future__ import annotations

import datetime as dt
import functools

import streamlit as st

from data_access.errors import DomainError
from data_access.governance.announcements import (
    AUDIENCE_ROLES,
    BODY_MAX,
    MAX_FILES,
    TITLE_MAX,
    AnnouncementView,
    NewAnnouncement,
    issuer_of,
)
from data_access.models import ANNOUNCEMENT_KINDS
from data_access.timestamps import to_stored_utc, zone_named
from ui import clock, context, query
from ui.actions import governance as actions
from ui.actions.commands import flash, show_flashes, uploaded_bytes
from ui.formatting import local_time
from ui.loaders import accounts as account_loaders
from ui.loaders import governance as loaders
from ui.text import code_label, current_language, plain, t
from ui.widgets.photos import thumbnail_grid

viewer = context.viewer()
now = clock.now_utc()
st.title(t("page.announcements"))
st.caption(t("announcements.intro"))
show_flashes()
publisher = not viewer.is_owner
audience = viewer.role in AUDIENCE_ROLES  # whose opening counts as reading


def window_text(notice: AnnouncementView) -> str:
    return t("announcements.window", start=local_time(notice.starts_at),
             end=local_time(notice.ends_at))  # fmt: skip


def draw(notice: AnnouncementView, *, highlighted: bool) -> None:
    status = notice.status(now)
    with st.container(border=True, key=f"notice_{notice.announcement_id}"):
        tags = [code_label("announcement_issuer", notice.issuer),
                code_label("announcement_kind", notice.kind)]  # fmt: skip
        if notice.urgent:
            tags.insert(0, f":red-badge[{t('announcements.urgent')}]")
        if notice.pinned:
            tags.insert(0, f":blue-badge[:material/push_pin: {t('announcements.pinned')}]")
        if status != "current":
            tags.append(f":gray-badge[{code_label('announcement_status', status)}]")
        if notice.announcement_id in new_this_visit:
            tags.append(f":orange-badge[{t('announcements.new')}]")
        st.markdown(" ".join(tags))
        title = plain(notice.title)
        st.subheader(f"~~{title}~~" if status == "withdrawn" else title, anchor=False)
        where = "、".join(notice.buildings) if notice.buildings else t("announcements.everyone")
        st.caption(f"{window_text(notice)} · {t('announcements.for', where=where)}")
        if status == "withdrawn":
            st.warning(t("announcements.withdrawn_because", at=local_time(notice.withdrawn_at),
                         reason=notice.withdrawn_reason), icon=":material/undo:")  # fmt: skip
        st.markdown(plain(notice.body))
        if notice.photos:
            thumbnail_grid(notice.photos, columns=3, key=f"notice_photos_{notice.announcement_id}")
        for pdf in notice.pdfs:
            st.download_button(
                t("announcements.download", name=pdf.file_name, kb=max(1, pdf.size_bytes // 1024)),
                functools.partial(loaders.announcement_pdf_bytes, pdf),  # read when pressed
                file_name=pdf.file_name, mime="application/pdf", icon=":material/picture_as_pdf:",
                on_click="ignore", key=f"notice_pdf_{pdf.file_id}",
            )  # fmt: skip
        if publisher:
            receipts_and_withdraw(notice, status)
    if highlighted:
        st.divider()


def receipts_and_withdraw(notice: AnnouncementView, status: str) -> None:
    receipts = loaders.receipts(viewer, notice.announcement_id)
    share = f" ({receipts.reached / receipts.targeted:.0%})" if receipts.targeted else ""
    with st.expander(t("announcements.receipts", reached=receipts.reached,
                       targeted=receipts.targeted, share=share)):  # fmt: skip
        if not receipts.buildings:
            st.caption(t("announcements.no_units"))
        else:
            st.dataframe(
                [{t("announcements.col_building"): b.building,
                  t("announcements.col_reached"): b.reached,
                  t("announcements.col_targeted"): b.targeted} for b in receipts.buildings],
                hide_index=True, width="stretch",
            )  # fmt: skip
        st.caption(t("announcements.receipts_how"))
    mine = notice.issuer == issuer_of(viewer)
    if mine and status in ("upcoming", "current"):
        with (
            st.popover(t("announcements.withdraw"), icon=":material/undo:"),
            st.form(f"withdraw_{notice.announcement_id}"),
        ):
            reason = st.text_input(t("announcements.withdraw_reason"), max_chars=200)
            if st.form_submit_button(t("announcements.withdraw_confirm"), type="primary"):
                try:
                    actions.withdraw(viewer, notice.announcement_id, reason)
                except DomainError as error:
                    st.error(error.message(current_language()))
                else:
                    flash(t("announcements.withdrawn"))
                    st.rerun()


def compose() -> None:
    zone = zone_named(viewer.time_zone)
    today = clock.local_today()
    with st.form("compose_notice", clear_on_submit=False):
        st.caption(t(f"announcements.publish_as_{issuer_of(viewer)}"))
        kind = st.selectbox(t("announcements.kind"), ANNOUNCEMENT_KINDS,
                            format_func=lambda k: code_label("announcement_kind", k))  # fmt: skip
        title = st.text_input(t("announcements.title"), max_chars=TITLE_MAX)
        body = st.text_area(t("announcements.body"), max_chars=BODY_MAX, height=160)
        buildings = account_loaders.buildings(viewer)
        chosen = st.multiselect(
            t("announcements.buildings"), [b.area_id for b in buildings],
            format_func=lambda i: next(b.name for b in buildings if b.area_id == i),
            placeholder=t("announcements.everyone"),
        )  # fmt: skip
        left, right = st.columns(2)
        start_day = left.date_input(t("announcements.start_day"), value=today)
        start_time = right.time_input(t("announcements.start_time"), value=dt.time(0, 0))
        end_day = left.date_input(t("announcements.end_day"), value=today + dt.timedelta(days=7))
        end_time = right.time_input(t("announcements.end_time"), value=dt.time(23, 59))
        urgent = st.checkbox(t("announcements.urgent_box"), help=t("announcements.urgent_help"))
        pinned = st.checkbox(t("announcements.pinned_box"))
        photos = st.file_uploader(t("announcements.photos"), type=["jpg", "jpeg", "png", "webp"],
                                  accept_multiple_files=True)  # fmt: skip
        pdfs = st.file_uploader(t("announcements.pdfs"), type=["pdf"], accept_multiple_files=True,
                                help=t("announcements.files_help", n=MAX_FILES))  # fmt: skip
        if not st.form_submit_button(t("announcements.publish"), type="primary"):
            return
    starts = to_stored_utc(dt.datetime.combine(start_day, start_time, tzinfo=zone))
    ends = to_stored_utc(dt.datetime.combine(end_day, end_time, tzinfo=zone))
    draft = NewAnnouncement(
        kind=kind, title=title, body=body, starts_at=starts, ends_at=ends, urgent=urgent,
        pinned=pinned, building_ids=tuple(chosen), photos=tuple(uploaded_bytes(photos)),
        pdfs=tuple((f.name, f.getvalue()) for f in pdfs or ()),
    )  # fmt: skip
    try:
        actions.publish(viewer, draft)
    except DomainError as error:
        st.error(error.message(current_language()))
    else:
        flash(t("announcements.published"))
        st.rerun()


if publisher:
    with st.expander(t("announcements.compose"), icon=":material/edit_square:"):
        compose()

notices = loaders.announcement_list(viewer, now)
# Opening the page reads its notices (and the app then reruns to update the menu's count): the
# ones that were unread keep their mark for the rest of this browser session, so the owner sees
# which are new.
new_this_visit: set[int] = st.session_state.setdefault("notices_unread_when_shown", set())
if audience:
    new_this_visit.update(n.announcement_id for n in notices
                          if not n.is_read and n.status(now) == "current")  # fmt: skip
wanted = query.record_id_from_link()
if wanted is not None and not any(n.announcement_id == wanted for n in notices):
    st.warning(t("announcements.not_found"))
if not notices:
    st.info(t("announcements.none"))
else:
    current = [n for n in notices if n.status(now) in ("current", "upcoming")]
    past = [n for n in notices if n.status(now) not in ("current", "upcoming")]
    # The one a message linked to comes first; then what is in force; then the rest.
    ordered = sorted(current, key=lambda n: n.announcement_id != wanted)
    for notice in ordered:
        draw(notice, highlighted=notice.announcement_id == wanted)
    if past:
        with st.expander(t("announcements.past", n=len(past))):
            for notice in past:
                draw(notice, highlighted=False)
    unread = [n.announcement_id for n in current if not n.is_read and n.status(now) == "current"]
    if audience and unread:
        actions.mark_read(viewer, unread)
