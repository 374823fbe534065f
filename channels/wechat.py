"""WeChat 服务号 template messages (``wechatpy``), and binding an owner's openid by OAuth.

Sending: ``message/template/send`` with the account's template (``WECHAT_TEMPLATE_ID``), its
fields ``first`` (what happened), ``keyword1`` (the record), ``keyword2`` (the time),
``remark`` (the note), the link back, and ``client_msg_id`` = the row's idempotency key: WeChat
sends one message per openid and ``client_msg_id`` within 10 minutes, so an interrupted send
may be repeated safely in that window (``accepts_idempotency_key``).

Binding: the settings page links to WeChat's OAuth page (``authorize_url``, scope
``snsapi_base``: no consent screen inside the official account); WeChat sends the owner back
with a ``code``, which ``openid_for_code`` exchanges for the openid. ``state`` carries the
account id signed with the cookie key, so a code is bound only to the account that asked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time

import requests
from wechatpy import WeChatClient, WeChatOAuth
from wechatpy.exceptions import WeChatClientException, WeChatOAuthException

from channels.text import render
from data_access.outbox.delivery import Failed, NoAnswer, Outcome, OutgoingMessage, Sent
from data_access.outbox.settings import WeChatSettings

TIMEOUT_S = 10.0
# errcodes after which this openid cannot get the message: retrying cannot help.
PERMANENT_ERRORS = {
    40003,  # invalid openid
    43004,  # the owner does not follow the official account
    43101,  # the owner refused subscribe messages
    40036, 40037,  # the template id is wrong
}  # fmt: skip
STATE_TTL_S = 600


class _Client(WeChatClient):
    """wechatpy's client with the API base configurable (its token URL is fixed)."""

    def __init__(self, settings: WeChatSettings) -> None:
        super().__init__(settings.app_id, settings.app_secret, timeout=TIMEOUT_S)
        self.API_BASE_URL = settings.api_base

    def fetch_access_token(self) -> dict[str, object]:
        return self._fetch_access_token(
            url=f"{self.API_BASE_URL}token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


class WeChatSender:
    accepts_idempotency_key = True

    def __init__(self, settings: WeChatSettings, base_url: str) -> None:
        self.settings = settings
        self.base_url = base_url
        self.client = _Client(settings)  # keeps its access token between rounds

    def payload(self, message: OutgoingMessage) -> dict[str, object]:
        text = render(message, self.base_url)
        note = message.note if message.event_type != "digest" else text.body
        data = {
            "first": {"value": text.headline},
            "keyword1": {"value": text.record or text.headline},
            "keyword2": {"value": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")},
            "remark": {"value": note[:200]},
        }
        body: dict[str, object] = {
            "touser": message.address,
            "template_id": self.settings.template_id,
            "data": data,
            "client_msg_id": message.idempotency_key,
        }
        if text.link:
            body["url"] = text.link
        return body

    def send(self, message: OutgoingMessage) -> Outcome:
        try:
            answer = self.client.post("message/template/send", data=self.payload(message))
        except (requests.ConnectionError, requests.ConnectTimeout) as error:
            return Failed(f"cannot reach WeChat: {type(error).__name__}")
        except requests.Timeout as error:
            return NoAnswer(f"WeChat did not answer: {type(error).__name__}")
        except WeChatClientException as error:
            code = error.errcode
            if code is None:
                status = getattr(error.response, "status_code", "?")
                return Failed(f"WeChat answered HTTP {status}")
            return Failed(
                f"WeChat errcode {code}: {error.errmsg}", permanent=code in PERMANENT_ERRORS
            )
        return Sent(provider_id=str(answer.get("msgid", "")) if isinstance(answer, dict) else "")


# --- binding an owner's openid -----------------------------------------------------------------
def sign_state(account_id: int, key: str, now: float | None = None) -> str:
    """``<account>.<time>.<signature>``: names the account asking, valid ``STATE_TTL_S``."""
    moment = int(now if now is not None else time.time())
    body = f"{account_id}.{moment}"
    return f"{body}.{_signature(body, key)}"


def account_of_state(state: str, key: str, now: float | None = None) -> int | None:
    """The account a state was signed for, or None (forged, altered, expired)."""
    parts = state.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    body = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(parts[2], _signature(body, key)):
        return None
    moment = now if now is not None else time.time()
    if not 0 <= moment - int(parts[1]) <= STATE_TTL_S:
        return None
    return int(parts[0])


def _signature(body: str, key: str) -> str:
    return hmac.new(key.encode(), f"wechat-bind:{body}".encode(), hashlib.sha256).hexdigest()[:32]


def _oauth(settings: WeChatSettings, redirect_uri: str, state: str = "") -> WeChatOAuth:
    oauth = WeChatOAuth(settings.app_id, settings.app_secret, redirect_uri, "snsapi_base", state)
    root = settings.api_base.removesuffix("cgi-bin/")
    oauth.API_BASE_URL = root
    return oauth


def authorize_url(settings: WeChatSettings, redirect_uri: str, state: str) -> str:
    """WeChat's page that sends the owner back to ``redirect_uri`` with a code."""
    return str(_oauth(settings, redirect_uri, state).authorize_url)


def openid_for_code(settings: WeChatSettings, code: str) -> str:
    """The openid WeChat gives for an OAuth ``code`` (raises ``WeChatOAuthException``)."""
    answer = _oauth(settings, "").fetch_access_token(code)
    openid = str(answer.get("openid", "")) if isinstance(answer, dict) else ""
    if not openid:
        raise WeChatOAuthException(-1, "no openid in the answer")
    return openid
