"""What the outbox tests share: a world with people and addresses, and a recording sender."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.models import Account, Community, OutboxMessage, WorkOrder
from data_access.outbox.delivery import Outcome, OutgoingMessage, Sent
from tests.data_access import factories


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None).replace(microsecond=0)


def configure(monkeypatch: pytest.MonkeyPatch, *channels: str) -> None:
    """Switch these channels on (addresses that nothing listens on: sends are not made here)."""
    for name in ("SMTP_URL", "WECHAT_APP_ID", "SMS_ACCESS_KEY_ID", "APP_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    if "email" in channels:
        monkeypatch.setenv("SMTP_URL", "smtp://127.0.0.1:9")
        monkeypatch.setenv("SMTP_FROM", "wuye@example.com")
    if "wechat" in channels:
        monkeypatch.setenv("WECHAT_APP_ID", "wx-test")
        monkeypatch.setenv("WECHAT_APP_SECRET", "secret")
        monkeypatch.setenv("WECHAT_TEMPLATE_ID", "tpl-1")
    if "sms" in channels:
        monkeypatch.setenv("SMS_ACCESS_KEY_ID", "key")
        monkeypatch.setenv("SMS_ACCESS_KEY_SECRET", "secret")
        monkeypatch.setenv("SMS_SIGN_NAME", "物业")
        monkeypatch.setenv("SMS_TEMPLATE_CODE", "SMS_1")


@dataclass
class World:
    community_id: int
    owner_id: int
    manager_id: int
    order_id: int


def make_world(
    session: Session,
    *,
    email: str = "owner@example.com",
    openid: str | None = None,
    order_age: dt.timedelta = dt.timedelta(hours=1),
) -> World:
    community = factories.community(session)
    b = factories.building(session, community)
    owner = factories.account(session, community, units=(factories.unit(session, b),))
    owner.email, owner.wechat_openid = email, openid
    manager = factories.account(session, community, role="manager")
    manager.display_name, manager.email = "李经理", "manager@example.com"
    order = factories.work_order(session, community, created_at=utc_now() - order_age,
                                 reporter_id=owner.id)  # fmt: skip
    session.flush()
    return World(community.id, owner.id, manager.id, order.id)


def outbox_rows(session: Session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@dataclass
class RecordingSender:
    """A channel that records what it is given and answers what the test says."""

    accepts_idempotency_key: bool = False
    answer: Callable[[OutgoingMessage], Outcome] = lambda message: Sent("ok")
    sent: list[OutgoingMessage] = field(default_factory=list)

    def send(self, message: OutgoingMessage) -> Outcome:
        self.sent.append(message)
        return self.answer(message)


__all__ = ["Account", "Community", "WorkOrder"]
