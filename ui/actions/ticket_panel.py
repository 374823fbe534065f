"""The moves a viewer may make on a rectification ticket, as one small form.

Managers accept or reject a submitted ticket, start work on an accepted one, post progress and
ask the owner to confirm; the ticket's owner confirms the fix or reopens it. The form offers only
the moves the status allows; the command checks role, community, transition and version again
on the server.

Double submits: the form sends the version the viewer *saw* (kept in session state from the last
render without a submit), not the version re-read on the submitting run, so a second click on an
already-applied move meets "changed meanwhile" instead of applying twice; the form also clears
on submit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from data_access.accounts.auth import Viewer
from data_access.errors import DomainError
from data_access.tickets import ticket_commands as commands
from ui import clock
from ui.actions.commands import flash, run_command, uploaded_bytes, version_seen
from ui.text import code_label, current_language, t

PHOTO_TYPES = ["jpg", "jpeg", "png", "webp"]


@dataclass(frozen=True)
class Move:
    code: str
    by_manager: bool  # else by the ticket's owner
    from_status: str
    command: Callable[..., Any]
    text_arg: str | None  # "note" or "reason"
    text_required: bool
    photos: bool = False


MOVES: tuple[Move, ...] = (
    Move("accept", True, "submitted", commands.accept_ticket, "note", False),
    Move("reject", True, "submitted", commands.reject_ticket, "reason", True),
    Move("start", True, "accepted", commands.start_work, "note", False),
    Move("progress", True, "in_progress", commands.post_progress, "note", True, photos=True),
    Move(
        "request_confirmation",
        True,
        "in_progress",
        commands.request_confirmation,
        "note",
        False,
        photos=True,
    ),
    Move("confirm", False, "awaiting_confirmation", commands.confirm_fix, "note", False),
    Move("reopen", False, "awaiting_confirmation", commands.reopen_ticket, "reason", True),
)


def moves_for(viewer: Viewer, status: str, is_mine: bool) -> list[Move]:
    """The moves this viewer may offer on a ticket in ``status`` (the server checks again)."""
    return [
        move
        for move in MOVES
        if move.from_status == status
        and (viewer.is_manager if move.by_manager else is_mine and not viewer.is_manager)
    ]


def action_panel(
    viewer: Viewer,
    *,
    ticket_id: int,
    status: str,
    version: int,
    is_mine: bool,
    key_prefix: str,
    in_place: bool = False,
) -> None:
    """The form of the moves allowed now, or a line saying whose turn it is.

    ``in_place`` (the panel runs in a fragment, as on the console): after a move only the
    fragment reruns, so the card stays where it is and offers the next move, with a line
    saying what was done; the caller reads the ticket's new state (``moved_here``)."""
    key = f"{key_prefix}_ticket_{ticket_id}"
    done = st.session_state.pop(f"{key}_done", None)
    if done:
        # A new mark per move: the page's script (ui.menu) scrolls the card that holds it
        # (key "card_…") back to its top.
        moves_made = st.session_state[f"{key}_moves_made"] = (
            st.session_state.get(f"{key}_moves_made", 0) + 1
        )
        with st.container(key=f"scroll_to_{key}_{moves_made}"):
            st.success(done, icon=":material/check_circle:")
    _say_if_moved_elsewhere(key, status)
    moves = moves_for(viewer, status, is_mine)
    if not moves:
        _whose_turn(viewer, status, is_mine)
        return
    seen_key = f"{key}_seen_version"
    codes = [move.code for move in moves]
    chosen = st.segmented_control(
        t("ticket_action.choose"),
        options=codes,
        default=codes[0],
        format_func=lambda code: t(f"ticket_action.{code}"),
        key=f"{key}_move",
    )
    move = next((m for m in moves if m.code == chosen), moves[0])
    with st.form(key=f"{key}_form", clear_on_submit=True, border=True):
        text = ""
        if move.text_arg:
            label = t(
                f"ticket_action.{move.text_arg}_{'required' if move.text_required else 'optional'}"
            )
            text = st.text_area(label, key=f"{key}_text", max_chars=commands.NOTE_MAX)
        files = None
        if move.photos:
            files = st.file_uploader(
                t("ticket_action.photos", max=commands.MAX_PHOTOS),
                type=PHOTO_TYPES,
                accept_multiple_files=True,
                key=f"{key}_photos",
            )
        submitted = st.form_submit_button(
            t(f"ticket_action.{move.code}"), type="primary", icon=":material/send:"
        )
    expected = version_seen(seen_key, version, submitted=submitted)
    if not submitted:
        return
    arguments: dict[str, Any] = {
        "viewer": viewer,
        "ticket_id": ticket_id,
        "now": clock.now_utc(),
        "expected_version": expected,
    }
    if move.text_arg:
        arguments[move.text_arg] = text
    if move.photos:
        arguments["photos"] = uploaded_bytes(files)
    try:
        with st.spinner(t("ticket_action.saving")):
            run_command(move.command, **arguments)
    except DomainError as error:
        st.error(error.message(current_language()), icon=":material/error:")
        if error.key == "ticket.changed_meanwhile":
            st.button(t("ticket_action.reload"), key=f"{key}_reload", icon=":material/refresh:")
        version_seen(seen_key, version, submitted=False)
        return
    st.session_state[f"{key}_moved_here"] = True
    if in_place:
        st.session_state[f"{key}_done"] = t(f"ticket_action.done_{move.code}")
        st.session_state[moved_key(key_prefix, ticket_id)] = True
        _rerun_the_fragment()
    flash(t(f"ticket_action.done_{move.code}"))
    st.rerun()


def _rerun_the_fragment() -> None:
    """Rerun only the fragment when this run is one of its own reruns (a click inside it in the
    browser); a full run (the first, or AppTest's) reruns the app."""
    ctx = get_script_run_ctx()
    if ctx is not None and ctx.fragment_ids_this_run:
        st.rerun(scope="fragment")
    st.rerun()


def moved_key(key_prefix: str, ticket_id: int) -> str:
    """Set in the session once a panel has moved the ticket: its caller reads the new state."""
    return f"{key_prefix}_ticket_{ticket_id}_moved"


def _say_if_moved_elsewhere(key: str, status: str) -> None:
    """Someone else moved the ticket since this panel was drawn: the form the viewer was filling
    in may be gone (its move no longer allowed), so say why instead of dropping it silently."""
    drawn_key = f"{key}_drawn_status"
    drawn = st.session_state.get(drawn_key)
    moved_here = st.session_state.pop(f"{key}_moved_here", False)
    if drawn is not None and drawn != status and not moved_here:
        st.warning(
            t("ticket_action.moved_elsewhere", status=code_label("ticket_status", status)),
            icon=":material/sync_problem:",
        )
    st.session_state[drawn_key] = status


def _whose_turn(viewer: Viewer, status: str, is_mine: bool) -> None:
    if status in ("closed", "rejected"):
        st.caption(t("ticket_action.finished"))
    elif status == "awaiting_confirmation":
        st.caption(t("ticket_action.waiting_owner"))
    elif is_mine or not viewer.is_manager:
        st.caption(t("ticket_action.waiting_company"))
