"""The bar under a public order's or ticket's title: how many owners have the same problem,
"我也遇到" and "关注" (``data_access.governance.me_too``)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from data_access.accounts.auth import Viewer
from data_access.errors import DomainError
from ui.actions import me_too as actions
from ui.actions.commands import flash
from ui.loaders import me_too as loaders
from ui.text import current_language, t


def voice_bar(viewer: Viewer, subject: str, subject_id: int) -> None:
    """Nothing for a private record; the count for everyone; the buttons for owners who may."""
    voice = loaders.voice(viewer, subject, subject_id)
    if not (voice.me_too or voice.can_follow):
        return
    key = f"{subject}_{subject_id}"
    with st.container(border=True):
        counted = t("voice.count", n=voice.me_too) if voice.me_too else t("voice.none_yet")
        st.markdown(f":material/groups: **{counted}**")
        if not voice.can_follow:
            return
        say, follow = st.columns(2)
        with say:
            if voice.said_me_too:
                st.markdown(f":green-badge[:material/check: {t('voice.said')}]")
            elif voice.can_say_me_too and st.button(
                t("voice.me_too"), key=f"me_too_{key}", icon=":material/group_add:",
                type="primary", use_container_width=True,
            ):  # fmt: skip
                _act(lambda: actions.say_me_too(viewer, subject, subject_id), "voice.thanks")
        with follow:
            label, done = (
                ("voice.unfollow", "voice.unfollowed") if voice.following
                else ("voice.follow", "voice.followed")
            )  # fmt: skip
            icon = ":material/notifications_off:" if voice.following else ":material/notifications:"
            if st.button(t(label), key=f"follow_{key}", icon=icon, use_container_width=True):
                _act(lambda: actions.set_following(viewer, subject, subject_id,
                                                   not voice.following), done)  # fmt: skip
        if voice.following:
            st.caption(t("voice.following"))
        st.caption(t("voice.explain"))


def _act(action: Callable[[], object], done_key: str) -> None:
    try:
        action()
    except DomainError as error:
        st.error(error.message(current_language()))
        return
    flash(t(done_key))
    st.rerun()
