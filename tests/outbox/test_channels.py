"""Messages reach real local servers: an SMTP server receives the mail, local HTTP servers
play WeChat's and Aliyun SMS's APIs (issue 22, item 3). The worker's own job delivers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from data_access.db import write_session
from data_access.models import Account, NotificationChoice
from data_access.orders.order_commands import advance_order
from tests.data_access import factories
from tests.outbox.support import World, configure, make_world, outbox_rows, utc_now
from tests.support.fake_apis import FakeApis, MailBox, fake_apis, smtp_server
from worker import jobs

BASE = "https://wuye.example.cn"


@pytest.fixture
def mailbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[MailBox]:
    with smtp_server() as (box, port):
        monkeypatch.setenv("SMTP_URL", f"smtp://127.0.0.1:{port}")
        monkeypatch.setenv("SMTP_FROM", "wuye@example.cn")
        yield box


@pytest.fixture
def apis(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApis]:
    with fake_apis() as (served, base):
        monkeypatch.setenv("WECHAT_APP_ID", "wx-app")
        monkeypatch.setenv("WECHAT_APP_SECRET", "wx-secret")
        monkeypatch.setenv("WECHAT_TEMPLATE_ID", "TPL-STEP")
        monkeypatch.setenv("WECHAT_API_BASE", f"{base}/cgi-bin/")
        monkeypatch.setenv("SMS_ACCESS_KEY_ID", "LTAI-test")
        monkeypatch.setenv("SMS_ACCESS_KEY_SECRET", served.sms_secret)
        monkeypatch.setenv("SMS_SIGN_NAME", "阳光物业")
        monkeypatch.setenv("SMS_TEMPLATE_CODE", "SMS_0001")
        monkeypatch.setenv("SMS_ENDPOINT", f"{base}/sms/")
        yield served


@pytest.fixture(autouse=True)
def _base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch)  # everything off, then each test's servers switch theirs on
    monkeypatch.setenv("APP_BASE_URL", BASE)
    jobs._senders.cache_clear()  # senders are kept per settings between rounds


def _daytime() -> dt.datetime:
    return dt.datetime.combine(utc_now().date(), dt.time(4, 0)) + dt.timedelta(days=1)


def _round(factory: sessionmaker[Session], now: dt.datetime) -> dict[str, int]:
    summary = jobs.deliver_messages(factory, now)
    return {key: int(value) for key, value in summary.params.items()}


def _step(factory: sessionmaker[Session], world: World, stage: str, note: str = "") -> None:
    with write_session(factory) as session:
        advance_order(session=session, order_id=world.order_id, to_stage=stage, at=utc_now(),
                      actor_name="维修工", actor_account_id=world.manager_id, note=note)  # fmt: skip


def test_an_email_in_the_owners_language_with_a_link_and_nobody_elses_data(
    session_factory: sessionmaker[Session], mailbox: MailBox
) -> None:
    with write_session(session_factory) as session:
        world = make_world(session)
        owner = session.get(Account, world.owner_id)
        assert owner is not None
        owner.language = "en"
        community = session.get(factories.Community, world.community_id)
        assert community is not None
        factories.staff(session, community, name="王建国")
    _step(session_factory, world, "accepted", note="王建国明早上门,电话13912345678")
    figures = _round(session_factory, _daytime())
    assert figures["sent"] == 1
    (mail,) = mailbox.mails
    assert mail["To"] == "owner@example.com" and mail["From"] == "wuye@example.cn"
    assert mail["Subject"] == "Owner Transparency Dashboard · Your work order: Accepted"
    body = mail.get_content()
    assert f"{BASE}/order?id={world.order_id}" in body
    assert "13912345678" not in body and "王建国" not in body
    assert "139****5678" in body and "王**" in body


def test_wechat_template_message_and_a_timeout_resent_under_the_same_key(
    session_factory: sessionmaker[Session], apis: FakeApis, monkeypatch: pytest.MonkeyPatch
) -> None:
    from channels import wechat

    monkeypatch.setattr(wechat, "TIMEOUT_S", 0.5)
    apis.hang_s = 1.5
    apis.wechat.answers = ["hang"]  # the message arrives, the answer does not
    with write_session(session_factory) as session:
        world = make_world(session, openid="o-owner-1")
    _step(session_factory, world, "accepted")
    now = _daytime()
    assert _round(session_factory, now)["retried"] == 1
    assert _round(session_factory, now + dt.timedelta(minutes=1))["sent"] == 1
    sends = [body for path, body in apis.requests if path.endswith("template/send")]
    assert len(sends) == 2 and sends[0]["client_msg_id"] == sends[1]["client_msg_id"]
    assert len(apis.delivered_wechat) == 1  # the repeat was dropped by its key: once
    sent = apis.delivered_wechat[0]
    assert (sent["touser"], sent["template_id"]) == ("o-owner-1", "TPL-STEP")
    assert sent["url"] == f"{BASE}/order?id={world.order_id}"
    assert sent["data"]["first"]["value"] == "您的工单有新进展:已受理"
    with session_factory() as session:
        assert [(r.state, r.attempts) for r in outbox_rows(session)] == [("sent", 2)]


def test_an_owner_who_unfollowed_the_account_gets_the_email_instead(
    session_factory: sessionmaker[Session], apis: FakeApis, mailbox: MailBox
) -> None:
    apis.wechat.answers = ["43004"]
    with write_session(session_factory) as session:
        world = make_world(session, openid="o-left")
    _step(session_factory, world, "accepted")
    now = _daytime()
    _round(session_factory, now)
    _round(session_factory, now)
    assert len(mailbox.mails) == 1 and apis.delivered_wechat == []
    with session_factory() as session:
        rows = outbox_rows(session)
    assert [(r.channel, r.state) for r in rows] == [("wechat", "failed"), ("email", "sent")]
    assert rows[0].last_error.startswith("WeChat errcode 43004")


def test_an_sms_is_a_signed_sendsms_request(
    session_factory: sessionmaker[Session], apis: FakeApis
) -> None:
    with write_session(session_factory) as session:
        world = make_world(session, email="")
        session.add(NotificationChoice(account_id=world.owner_id, event_type="order_step",
                                       channel="sms", enabled=True))  # fmt: skip
    _step(session_factory, world, "accepted")
    assert _round(session_factory, _daytime())["sent"] == 1
    (params,) = apis.delivered_sms
    assert (params["Action"], params["PhoneNumbers"], params["SignName"]) == (
        "SendSms", "13812341234", "阳光物业",
    )  # fmt: skip
    assert '"event": "您的工单有新进展:已受理"' in params["TemplateParam"]


def test_a_wrongly_signed_sms_is_refused_by_the_api(
    session_factory: sessionmaker[Session], apis: FakeApis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMS_ACCESS_KEY_SECRET", "not-the-secret")
    with write_session(session_factory) as session:
        world = make_world(session, email="")
        session.add(NotificationChoice(account_id=world.owner_id, event_type="order_step",
                                       channel="sms", enabled=True))  # fmt: skip
    _step(session_factory, world, "accepted")
    assert _round(session_factory, _daytime())["retried"] == 1
    assert apis.delivered_sms == []
    with session_factory() as session:
        assert outbox_rows(session)[0].last_error.startswith("SMS API SignatureDoesNotMatch")


def test_a_mail_server_that_does_not_answer_in_time_is_never_sent_to_twice(
    session_factory: sessionmaker[Session], mailbox: MailBox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from channels import email

    monkeypatch.setattr(email, "TIMEOUT_S", 0.5)
    mailbox.delay_s = 1.5
    with write_session(session_factory) as session:
        world = make_world(session)
    _step(session_factory, world, "accepted")
    now = _daytime()
    for minutes in (0, 1, 5, 30, 60):
        _round(session_factory, now + dt.timedelta(minutes=minutes))
    assert mailbox.data_commands == 1  # one attempt, whatever became of it: never twice
    with session_factory() as session:
        assert [(r.state, r.attempts) for r in outbox_rows(session)] == [("unknown", 1)]


def test_a_batch_through_real_servers_reaches_everyone_once(
    session_factory: sessionmaker[Session],
    apis: FakeApis,
    mailbox: MailBox,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """30 owners on three channels with the failures of a real evening: WeChat refusing two
    owners who unfollowed (→ e-mail), the SMS API failing once (→ retried), a mailbox refused
    (→ failed), a mail server silent for one send (→ unknown). Duplicates: none."""
    from channels import email

    monkeypatch.setattr(email, "TIMEOUT_S", 0.5)
    worlds: dict[str, World] = {}
    with write_session(session_factory) as session:
        for n in range(30):
            kind = ("wechat", "sms", "email")[n % 3]
            world = make_world(session, email=f"o{n}@example.com",
                               openid=f"o-{n}" if kind == "wechat" else None)  # fmt: skip
            if kind == "sms":
                session.add(NotificationChoice(account_id=world.owner_id, event_type="order_step",
                                               channel="sms", enabled=True))  # fmt: skip
                session.get_one(Account, world.owner_id).channel_order = "sms,wechat,email"
            worlds[f"{kind}{n}"] = world
    mailbox.refuse = {"o2@example.com"}
    apis.wechat.answers = ["43004", "ok", "ok", "43004"]
    apis.sms.answers = ["isv.BUSINESS_LIMIT_CONTROL"]
    for world in worlds.values():
        _step(session_factory, world, "accepted")
    now = _daytime()
    totals: dict[str, int] = {}
    for minutes in (0, 0, 1, 5, 30, 60):
        if minutes == 30:
            mailbox.delay_s = 1.5  # the next mail's answer never comes in time
            with write_session(session_factory) as session:
                late = worlds["email29"]
                advance_order(session=session, order_id=late.order_id, to_stage="dispatched",
                              at=utc_now(), actor_name="客服",
                              actor_account_id=late.manager_id)  # fmt: skip
        figures = _round(session_factory, now + dt.timedelta(minutes=minutes))
        for key, value in figures.items():
            totals[key] = totals.get(key, 0) + value
        mailbox.delay_s = 0
    with session_factory() as session:
        states: dict[str, int] = {}
        for row in outbox_rows(session):
            states[row.state] = states.get(row.state, 0) + 1
    delivered = (
        [m["To"] for m in mailbox.mails]
        + [b["touser"] for b in apis.delivered_wechat]
        + [p["PhoneNumbers"] + p["OutId"] for p in apis.delivered_sms]
    )
    duplicates = len(delivered) - len(set(delivered))
    with capsys.disabled():
        print(f"\ndelivery figures: rounds {totals}, rows {states}, duplicates {duplicates}")
    assert duplicates == 0
    assert states == {"sent": 29, "failed": 3, "unknown": 1}
    assert (totals["retried"], totals["failed"], totals["unknown"]) == (1, 3, 1)


def test_many_steps_arrive_as_one_digest_mail_and_night_waits_for_morning(
    session_factory: sessionmaker[Session], mailbox: MailBox
) -> None:
    """Seven steps on an owner's orders within minutes: one mail listing them; a step at
    23:30 Shanghai time waits until 07:00 (real SMTP server, the worker's job)."""
    with write_session(session_factory) as session:
        world = make_world(session)
    for stage in ("accepted", "dispatched", "in_progress", "awaiting_acceptance"):
        _step(session_factory, world, stage)
    with write_session(session_factory) as session:
        community = session.get_one(factories.Community, world.community_id)
        for n in range(3):
            order = factories.work_order(session, community, reporter_id=world.owner_id,
                                         created_at=utc_now() - dt.timedelta(minutes=5),
                                         title=f"第{n}件")  # fmt: skip
            advance_order(session=session, order_id=order.id, to_stage="accepted", at=utc_now(),
                          actor_name="客服", actor_account_id=world.manager_id)  # fmt: skip
    night = dt.datetime.combine(utc_now().date(), dt.time(15, 30)) + dt.timedelta(days=1)
    assert _round(session_factory, night)["postponed"] == 7
    assert mailbox.mails == []
    morning = night + dt.timedelta(hours=7, minutes=30)  # 07:00 local
    figures = _round(session_factory, morning)
    assert (figures["digests"], figures["sent"]) == (1, 1)
    (mail,) = mailbox.mails
    assert mail["Subject"].endswith("您有 7 条新消息")
    body = mail.get_content()
    assert body.count("· 您的工单有新进展") == 7 and f"{BASE}/my-updates" in body
