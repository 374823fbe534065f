"""Outbound channels: e-mail (SMTP), WeChat 服务号 template messages, SMS (Aliyun SendSms).

Each is a ``Sender`` (``data_access.outbox.delivery``) built from the configured settings
(``data_access.outbox.settings``); ``senders_from`` gives those that are switched on.
"""

from __future__ import annotations

from data_access.outbox.delivery import Sender
from data_access.outbox.settings import ChannelSettings


def senders_from(settings: ChannelSettings) -> dict[str, Sender]:
    """A sender for each configured channel."""
    from channels.email import EmailSender
    from channels.sms import AliyunSmsSender
    from channels.wechat import WeChatSender

    senders: dict[str, Sender] = {}
    if settings.email is not None:
        senders["email"] = EmailSender(settings.email, settings.base_url)
    if settings.wechat is not None:
        senders["wechat"] = WeChatSender(settings.wechat, settings.base_url)
    if settings.sms is not None:
        senders["sms"] = AliyunSmsSender(settings.sms, settings.base_url)
    return senders
