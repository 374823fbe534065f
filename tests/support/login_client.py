"""A login through the real login form, spoken over Streamlit's own websocket protocol (what the
browser's frontend sends), from a chosen local source address: several "clients" on one machine
have different addresses (127.0.0.2, 127.0.0.3, … are all this machine), which a browser cannot
choose. Used to check how a server behind a proxy counts login failures per client."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bench.concurrent import run_coroutine

if TYPE_CHECKING:
    from websockets.asyncio.client import ClientConnection

LOGIN_KEYS = {"username": "login_username", "password": "login_password", "submit": "login_submit"}
LOGGED_IN_MARKER = b"app_logout"  # the logout button's key: drawn only for a logged-in viewer
TIMEOUT_S = 60.0


@dataclass(frozen=True)
class LoginResult:
    logged_in: bool
    alerts: tuple[str, ...]  # what the page said (the generic failure message, say)


def try_login(
    port: int,
    username: str,
    password: str,
    *,
    source: str,
    headers: dict[str, str] | None = None,
    host: str = "127.0.0.1",
) -> LoginResult:
    """Open the app at ``host:port`` from ``source``, fill in the login form, submit it.

    Playwright's sync API (used by other tests in the same run) keeps an event loop running
    in the main thread, where ``asyncio.run`` is refused: ``run_coroutine`` copes."""
    return run_coroutine(_try_login(port, username, password, source, headers or {}, host))


async def _try_login(
    port: int, username: str, password: str, source: str, headers: dict[str, str], host: str
) -> LoginResult:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    from websockets.asyncio.client import connect
    from websockets.typing import Subprotocol

    async with connect(
        f"ws://{host}:{port}/_stcore/stream",
        additional_headers=headers,
        subprotocols=[Subprotocol("streamlit")],
        max_size=None,
        ping_interval=None,
        local_addr=(source, 0),
    ) as ws:
        first = ClientState(query_string="", page_name="")
        first.context_info.CopyFrom(
            ContextInfo(timezone="Asia/Shanghai", timezone_offset=-480, locale="zh-CN")
        )
        back = BackMsg()
        back.rerun_script.CopyFrom(first)
        await ws.send(back.SerializeToString())
        form = await _run(ws)
        ids = {name: form.widget_ids[key] for name, key in LOGIN_KEYS.items()}
        submit = ClientState(query_string="", page_script_hash=form.page_hash)
        submit.widget_states.widgets.extend(
            [
                WidgetState(id=ids["username"], string_value=username),
                WidgetState(id=ids["password"], string_value=password),
                WidgetState(id=ids["submit"], trigger_value=True),
            ]
        )
        back = BackMsg()
        back.rerun_script.CopyFrom(submit)
        await ws.send(back.SerializeToString())
        answer = await _run(ws, follow_reruns=True)
        return LoginResult(answer.logged_in, answer.alerts)


@dataclass
class _Run:
    widget_ids: dict[str, str]
    page_hash: str
    alerts: tuple[str, ...]
    logged_in: bool


async def _run(ws: ClientConnection, *, follow_reruns: bool = False) -> _Run:
    """Read messages until the script has finished (after ``st.rerun``, the run after it)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    widget_ids: dict[str, str] = {}
    alerts: list[str] = []
    page_hash = ""
    logged_in = False
    while True:
        raw = await asyncio.wait_for(ws.recv(decode=False), TIMEOUT_S)
        msg = ForwardMsg.FromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            page_hash = msg.new_session.page_script_hash or page_hash
        elif kind == "navigation":
            page_hash = msg.navigation.page_script_hash or page_hash
        elif kind == "delta":
            element = msg.delta.new_element
            for widget in ("text_input", "button"):
                if element.HasField(widget):
                    widget_id = getattr(element, widget).id
                    for key in LOGIN_KEYS.values():
                        if widget_id.endswith(key):
                            widget_ids[key] = widget_id
            if element.HasField("alert"):
                alerts.append(element.alert.body)
            logged_in = logged_in or LOGGED_IN_MARKER in raw
        elif kind == "script_finished":
            status = msg.script_finished
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN and follow_reruns:
                continue
            if status in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_EARLY_FOR_RERUN):
                return _Run(widget_ids, page_hash, tuple(alerts), logged_in)
            raise RuntimeError(f"the script ended with status {status}")
