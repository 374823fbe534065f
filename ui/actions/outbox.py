"""Writes of the notification settings page: the person's own choices, and binding WeChat.

Binding follows WeChat's OAuth: ``wechat_authorize_url`` sends the owner to WeChat with a state
signed for their account; WeChat sends them back to this page with ``code`` and ``state``;
``bind_wechat_from_callback`` checks the state names this viewer and exchanges the code for
the openid. A forged, altered, expired or somebody else's state binds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from channels import wechat
from data_access.accounts.auth import Viewer
from data_access.errors import DomainError
from data_access.outbox import choices
from data_access.outbox.settings import channel_settings
from data_access.settings import load_settings
from ui.actions.commands import run_bookkeeping

SETTINGS_PATH = "message-settings"


def save_settings(
    viewer: Viewer,
    *,
    chosen: Mapping[tuple[str, str], bool],
    order: Iterable[str],
    quiet_hours: str,
    email: str,
) -> None:
    run_bookkeeping(
        choices.save_my_settings, account_id=viewer.account_id, choices=chosen,
        order=list(order), quiet_hours=quiet_hours, email=email,
    )  # fmt: skip


def wechat_authorize_url(viewer: Viewer) -> str:
    """WeChat's OAuth page for this viewer ("" when WeChat or the base URL is not set up)."""
    settings = channel_settings()
    if settings.wechat is None or not settings.base_url:
        return ""
    state = wechat.sign_state(viewer.account_id, load_settings().cookie_key)
    return wechat.authorize_url(settings.wechat, f"{settings.base_url}/{SETTINGS_PATH}", state)


def bind_wechat_from_callback(viewer: Viewer, code: str, state: str) -> None:
    """Raises ``DomainError("error.wechat_bind")`` unless the state is this viewer's."""
    settings = channel_settings()
    account = wechat.account_of_state(state, load_settings().cookie_key)
    if settings.wechat is None or account != viewer.account_id or not code:
        raise DomainError("error.wechat_bind")
    try:
        openid = wechat.openid_for_code(settings.wechat, code)
    except Exception:
        raise DomainError("error.wechat_bind") from None
    run_bookkeeping(choices.bind_wechat, account_id=viewer.account_id, openid=openid)


def unbind_wechat(viewer: Viewer) -> None:
    run_bookkeeping(choices.unbind_wechat, account_id=viewer.account_id)
