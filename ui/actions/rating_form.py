"""A work order's rating: shown to everyone who may see the order; rated and edited by the
owner who reported it (评价). A low rating opens a public rectification ticket (整改单) in the same
transaction — the data layer does that; this form says so and links to the ticket."""

from __future__ import annotations

import uuid

import streamlit as st

from data_access.accounts.auth import Viewer
from data_access.errors import DomainError
from data_access.orders.work_orders import OrderDetail, OrderRating
from data_access.tickets import ratings
from ui import clock
from ui.actions.commands import flash, run_command, uploaded_bytes, version_seen
from ui.formatting import DIMENSIONS, deadline_text, local_time, stars
from ui.navigation import link_to
from ui.text import current_language, plain, t
from ui.widgets.photos import thumbnail_grid

PHOTO_TYPES = ["jpg", "jpeg", "png", "webp"]


def rating_section(viewer: Viewer, order: OrderDetail) -> None:
    """The rating (with reply and ticket), the form to rate, or why there is none."""
    st.subheader(t("order.rating"))
    if order.can_rate:
        if order.rate_until is not None:
            st.caption(
                t("my_orders.rate_until", left=deadline_text(order.rate_until, clock.now_utc()))
            )
        _rate_form(viewer, order.order_id)
    elif order.rating is None:
        closed = order.is_mine and order.completed_at is not None
        st.caption(t("my_orders.not_rated" if closed else "order.not_rated"))
    else:
        _show(order.rating)
        if order.rating.editable_until is not None:
            _edit_form(viewer, order.rating)


def _show(rating: OrderRating) -> None:
    now = clock.now_utc()
    with st.container(border=True):
        for dimension, label_key in DIMENSIONS:
            score = getattr(rating, f"score_{dimension}")
            st.markdown(f"{t(label_key)} {stars(score)}")
        when = local_time(rating.created_at)
        if rating.edited:
            when += f" · {t('rating_form.edited')}"
        st.markdown(f"“{plain(rating.comment)}” · {when}" if rating.comment else when)
        if rating.photos:
            thumbnail_grid(rating.photos, columns=3, key=f"rating_photos_{rating.rating_id}")
        if rating.ticket_id is not None:
            st.page_link(
                link_to("ticket_detail.py"),
                label=t("rating_form.ticket_link", code=rating.ticket_code),
                icon=":material/assignment:",
                query_params={"id": str(rating.ticket_id)},
            )
        if rating.reply:
            st.info(
                f"**{t('order.reply')}** · {local_time(rating.replied_at)}\n\n{plain(rating.reply)}"
            )
        elif rating.replied_at is not None:  # replied, but the reply is not the viewer's to read
            st.caption(f"{t('order.reply')} · {local_time(rating.replied_at)}")
        else:
            st.caption(
                f"{t('order.no_reply')} · {t('rating_form.reply_due')} "
                f"{deadline_text(rating.reply_due_at, now)}"
            )


def _scores(prefix: str, defaults: tuple[int | None, ...]) -> list[int | None]:
    values: list[int | None] = []
    for (dimension, label_key), default in zip(DIMENSIONS, defaults, strict=True):
        values.append(
            st.segmented_control(
                t(label_key),
                options=list(range(ratings.SCORE_MIN, ratings.SCORE_MAX + 1)),
                default=default,
                format_func=lambda n: "★" * n,
                key=f"{prefix}_{dimension}",
            )
        )
    return values


def _rate_form(viewer: Viewer, order_id: int) -> None:
    prefix = f"order_rating_{order_id}"
    # One key per form: a resubmitted form is the same rating, never a second one.
    submission_key = st.session_state.setdefault(f"{prefix}_submission", uuid.uuid4().hex)
    st.caption(t("rating_form.intro"))
    with st.form(key=f"{prefix}_form", border=True):
        scores = _scores(prefix, (None, None, None))
        comment = st.text_area(
            t("rating_form.comment"),
            max_chars=ratings.COMMENT_MAX_CHARS,
            placeholder=t("rating_form.comment_placeholder"),
            key=f"{prefix}_comment",
        )
        files = st.file_uploader(
            t("rating_form.photos", max=ratings.MAX_PHOTOS),
            type=PHOTO_TYPES,
            accept_multiple_files=True,
            key=f"{prefix}_photos",
        )
        submitted = st.form_submit_button(
            t("rating_form.submit"), type="primary", icon=":material/send:"
        )
    if not submitted:
        return
    if any(score is None for score in scores):
        st.error(t("rating_form.score_missing"), icon=":material/error:")
        return
    speed, attitude, quality = (int(score or 0) for score in scores)
    try:
        with st.spinner(t("rating_form.saving")):
            result = run_command(
                ratings.rate_order,
                viewer=viewer,
                order_id=order_id,
                score_speed=speed,
                score_attitude=attitude,
                score_quality=quality,
                comment=comment,
                photos=uploaded_bytes(files),
                now=clock.now_utc(),
                submission_key=submission_key,
            )
    except DomainError as error:
        st.error(error.message(current_language()), icon=":material/error:")
        return
    flash(t("rating_form.thanks"))
    if result.ticket_id is not None:
        flash(t("rating_form.ticket_opened"))
    st.rerun()


def _edit_form(viewer: Viewer, rating: OrderRating) -> None:
    prefix = f"order_rating_edit_{rating.rating_id}"
    label = t("rating_form.edit", until=local_time(rating.editable_until))
    with st.expander(label, icon=":material/edit:"), st.form(key=f"{prefix}_form"):
        scores = _scores(prefix, (rating.score_speed, rating.score_attitude, rating.score_quality))
        comment = st.text_area(
            t("rating_form.comment"),
            value=rating.comment,
            max_chars=ratings.COMMENT_MAX_CHARS,
            key=f"{prefix}_comment",
        )
        submitted = st.form_submit_button(t("rating_form.save_edit"), icon=":material/save:")
    expected = version_seen(f"{prefix}_version", rating.version, submitted=submitted)
    if not submitted:
        return
    if any(score is None for score in scores):
        st.error(t("rating_form.score_missing"), icon=":material/error:")
        return
    speed, attitude, quality = (int(score or 0) for score in scores)
    try:
        result = run_command(
            ratings.edit_rating,
            viewer=viewer,
            rating_id=rating.rating_id,
            score_speed=speed,
            score_attitude=attitude,
            score_quality=quality,
            comment=comment,
            now=clock.now_utc(),
            expected_version=expected,
        )
    except DomainError as error:
        st.error(error.message(current_language()), icon=":material/error:")
        version_seen(f"{prefix}_version", rating.version, submitted=False)
        return
    flash(t("rating_form.edited_saved"))
    if result.ticket_id is not None and rating.ticket_id is None:
        flash(t("rating_form.ticket_opened"))
    st.rerun()
