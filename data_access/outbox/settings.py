"""Which outbound channels are switched on, and how to reach them.

Every channel is off until configured, each by environment variables or the
``[notifications]`` section of ``.streamlit/secrets.toml`` (the variable wins):

- e-mail: ``SMTP_URL`` (``smtp://user:pass@host:port``; ``smtps://`` for TLS from the first
  byte; ``?starttls=1`` to upgrade a plain connection) and ``SMTP_FROM``;
- WeChat 服务号 template messages: ``WECHAT_APP_ID``, ``WECHAT_APP_SECRET``,
  ``WECHAT_TEMPLATE_ID`` and optionally ``WECHAT_API_BASE`` (default the public API);
- SMS through Aliyun's SendSms: ``SMS_ACCESS_KEY_ID``, ``SMS_ACCESS_KEY_SECRET``,
  ``SMS_SIGN_NAME``, ``SMS_TEMPLATE_CODE`` and optionally ``SMS_ENDPOINT``.

``APP_BASE_URL`` (or ``[app] base_url``) is the address messages link back to.
Nothing here opens a connection: ``channels/`` does the sending.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from data_access.db import SECRETS_PATH
from data_access.errors import DomainError

WECHAT_API_BASE = "https://api.weixin.qq.com/cgi-bin/"
SMS_ENDPOINT = "https://dysmsapi.aliyuncs.com/"


class ChannelConfigError(DomainError):
    """A channel is configured in a way it cannot work with."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str
    password: str
    sender: str
    tls: bool  # TLS from the first byte (smtps://)
    starttls: bool


@dataclass(frozen=True)
class WeChatSettings:
    app_id: str
    app_secret: str
    template_id: str
    api_base: str


@dataclass(frozen=True)
class SmsSettings:
    access_key_id: str
    access_key_secret: str
    sign_name: str
    template_code: str
    endpoint: str


@dataclass(frozen=True)
class ChannelSettings:
    base_url: str
    email: SmtpSettings | None = None
    wechat: WeChatSettings | None = None
    sms: SmsSettings | None = None

    @property
    def configured(self) -> tuple[str, ...]:
        """The channels switched on, in the catalogue's order."""
        on = {"wechat": self.wechat, "email": self.email, "sms": self.sms}
        return tuple(name for name, value in on.items() if value is not None)


def channel_settings(
    env: Mapping[str, str] | None = None, secrets_path: Path = SECRETS_PATH
) -> ChannelSettings:
    """The channels as configured now (read on each call: cheap, and tests change them)."""
    env = os.environ if env is None else env
    section, app = _secrets_sections(secrets_path, _mtime(secrets_path))

    def value(name: str) -> str:
        return (env.get(name) or str(section.get(name.lower(), ""))).strip()

    base_url = (env.get("APP_BASE_URL") or str(app.get("base_url", ""))).strip().rstrip("/")
    return ChannelSettings(
        base_url=base_url,
        email=_smtp(value("SMTP_URL"), value("SMTP_FROM")),
        wechat=_wechat(value),
        sms=_sms(value),
    )


def _smtp(url: str, sender: str) -> SmtpSettings | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ChannelConfigError("error.smtp_url")
    if not sender:
        raise ChannelConfigError("error.smtp_from")
    starttls = parse_qs(parts.query).get("starttls", ["0"])[0].lower() in ("1", "true", "yes")
    tls = parts.scheme == "smtps"
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or (465 if tls else 25),
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        sender=sender,
        tls=tls,
        starttls=starttls,
    )


def _wechat(get: Callable[[str], str]) -> WeChatSettings | None:
    app_id = get("WECHAT_APP_ID")
    if not app_id:
        return None
    secret, template = get("WECHAT_APP_SECRET"), get("WECHAT_TEMPLATE_ID")
    if not secret or not template:
        raise ChannelConfigError("error.wechat_settings")
    base = get("WECHAT_API_BASE") or WECHAT_API_BASE
    return WeChatSettings(app_id, secret, template, base.rstrip("/") + "/")


def _sms(get: Callable[[str], str]) -> SmsSettings | None:
    key_id = get("SMS_ACCESS_KEY_ID")
    if not key_id:
        return None
    names = ("SMS_ACCESS_KEY_SECRET", "SMS_SIGN_NAME", "SMS_TEMPLATE_CODE")
    secret, sign, template = (get(name) for name in names)
    if not secret or not sign or not template:
        raise ChannelConfigError("error.sms_settings")
    endpoint = get("SMS_ENDPOINT") or SMS_ENDPOINT
    return SmsSettings(key_id, secret, sign, template, endpoint)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


@lru_cache(maxsize=4)
def _secrets_sections(path: Path, _mtime: float) -> tuple[dict[str, object], dict[str, object]]:
    """The ``[notifications]`` and ``[app]`` sections (re-read when the file changes)."""
    if not path.exists():
        return {}, {}
    with path.open("rb") as f:
        secrets = tomllib.load(f)
    notifications, app = secrets.get("notifications", {}), secrets.get("app", {})
    return (
        notifications if isinstance(notifications, dict) else {},
        app if isinstance(app, dict) else {},
    )
