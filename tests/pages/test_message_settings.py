"""消息设置 and 消息投递记录 through AppTest on the demo data (issue 22): a person chooses what
reaches them where and when, binds WeChat through OAuth, and managers read the delivery log."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from channels import wechat
from data_access.db import make_engine, make_session_factory
from data_access.models import Account, NotificationChoice, OutboxMessage
from data_access.settings import DEMO_COOKIE_KEY
from tests.conftest import ROOT
from tests.outbox.support import configure
from tests.pages.conftest import APP, DEMO_NOW, log_in, texts
from tests.support.fake_apis import FakeApis, fake_apis

SETTINGS = str(ROOT / "pages" / "notification_settings.py")
DELIVERIES = str(ROOT / "pages" / "deliveries.py")


@pytest.fixture
def wechat_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApis]:
    configure(monkeypatch, "email")
    with fake_apis() as (apis, base):
        monkeypatch.setenv("WECHAT_APP_ID", "wx-app")
        monkeypatch.setenv("WECHAT_APP_SECRET", "wx-secret")
        monkeypatch.setenv("WECHAT_TEMPLATE_ID", "TPL")
        monkeypatch.setenv("WECHAT_API_BASE", f"{base}/cgi-bin/")
        monkeypatch.setenv("APP_BASE_URL", "https://wuye.example.cn")
        yield apis


def _account(url: str, username: str) -> Account:
    with make_session_factory(make_engine(url))() as session:
        account = session.scalars(select(Account).where(Account.username == username)).one()
        session.expunge(account)
        return account


def test_without_a_channel_the_page_says_messages_stay_in_the_app(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch)
    log_in(app, "owner_a")
    app.switch_page(SETTINGS).run()
    assert not app.exception
    assert "物业尚未开通站外消息" in texts(app)
    assert not app.pills  # nothing to choose; the password form is still there


def test_an_owner_chooses_channels_per_kind_of_news_and_quiet_hours(
    app: AppTest, demo_url: str, wechat_api: FakeApis
) -> None:
    log_in(app, "owner_a")
    app.switch_page(SETTINGS).run()
    assert not app.exception
    labels = [pills.label for pills in app.pills]
    assert labels == [
        "我的工单有新进展",
        "我的工单已完成,待评价",
        "我的整改单有变化",
        "物业回复了我的评价",
        "新公告",
        "我对公示账目的提问有了回复",
        "新的业主征询或表决",
        "业主征询或表决的结果",
        "尚未投票的提醒",
        "我关注的工单有新进展",
        "我关注的整改单有变化",
    ]
    assert app.pills(key="outbox_choice_order_step").value == ["wechat", "email"]
    assert "尚未绑定微信" in texts(app)
    app.text_input[0].input("owner.a@example.com")
    app.pills(key="outbox_choice_order_step").set_value(["email"])
    app.multiselect[0].set_value(["email", "wechat"])
    app.toggle[0].set_value(False)
    app.button(key="FormSubmitter:notification_settings-保存设置").click().run()
    assert not app.exception
    assert "消息设置已保存。" in texts(app)
    account = _account(demo_url, "owner_a")
    assert (account.email, account.channel_order, account.quiet_hours) == (
        "owner.a@example.com", "email,wechat,sms", "off",
    )  # fmt: skip
    with make_session_factory(make_engine(demo_url))() as session:
        kept = session.execute(
            select(NotificationChoice.event_type, NotificationChoice.channel,
                   NotificationChoice.enabled)
            .where(NotificationChoice.account_id == account.id)
        ).all()  # fmt: skip
    assert kept == [("order_step", "wechat", False)]  # only what differs from the default


def test_a_bad_email_address_is_refused_and_nothing_is_kept(
    app: AppTest, demo_url: str, wechat_api: FakeApis
) -> None:
    log_in(app, "owner_a")
    app.switch_page(SETTINGS).run()
    app.text_input[0].input("not an address")
    app.button(key="FormSubmitter:notification_settings-保存设置").click().run()
    assert "请填写有效的电子邮箱地址。" in texts(app)
    assert _account(demo_url, "owner_a").email == ""


def test_wechat_is_bound_by_the_oauth_callback_for_the_account_that_asked_only(
    app: AppTest, demo_url: str, wechat_api: FakeApis
) -> None:
    owner = _account(demo_url, "owner_a")
    other = _account(demo_url, "owner_b")
    log_in(app, "owner_a")
    # a state signed for another account (a link someone was sent): refused
    wechat_api.oauth_codes["CODE-1"] = "o-stolen"
    app.query_params.update(code="CODE-1", state=wechat.sign_state(other.id, DEMO_COOKIE_KEY))
    app.switch_page(SETTINGS).run()
    assert "微信绑定未成功" in texts(app)
    assert _account(demo_url, "owner_a").wechat_openid is None
    # a forged signature: refused
    app.query_params.update(code="CODE-1", state=f"{owner.id}.1.forged")
    app.switch_page(SETTINGS).run()
    assert "微信绑定未成功" in texts(app)
    # the real callback: bound
    wechat_api.oauth_codes["CODE-2"] = "o-owner-a"
    app.query_params.update(code="CODE-2", state=wechat.sign_state(owner.id, DEMO_COOKIE_KEY))
    app.switch_page(SETTINGS).run()
    assert not app.exception
    assert "微信已绑定。" in texts(app) and "已绑定微信" in texts(app)
    assert _account(demo_url, "owner_a").wechat_openid == "o-owner-a"
    assert _account(demo_url, "owner_b").wechat_openid is None


def test_the_delivery_log_is_for_managers(
    app: AppTest, demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "email")
    log_in(app, "owner_a")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page(DELIVERIES)
    with make_session_factory(make_engine(demo_url))() as session:
        owner = session.scalars(select(Account).where(Account.username == "owner_a")).one()
        owner.email = "owner.a@example.com"
        session.add(OutboxMessage(
            account_id=owner.id, channel="email", event_type="order_step", event_key="x:1",
            subject="order", subject_id=1, title="厨房漏水", ref="WO-1", code="accepted",
            note="", urgent=False, state="unknown", attempts=1, created_at=DEMO_NOW,
            next_attempt_at=DEMO_NOW, last_error="no answer: timed out",
            idempotency_key="k-1", provider_id="",
        ))  # fmt: skip
        session.commit()
    manager = AppTest.from_file(APP, default_timeout=60)
    log_in(manager, "manager_a")
    manager.switch_page(DELIVERIES).run()
    assert not manager.exception
    assert "1 条消息结果未知" in texts(manager)
    table = manager.dataframe[0].value
    assert list(table["状态"]) == ["未知"] and list(table["原因"]) == ["no answer: timed out"]
    other = AppTest.from_file(APP, default_timeout=60)
    log_in(other, "manager_b")
    other.switch_page(DELIVERIES).run()
    assert "暂无投递记录。" in texts(other)  # another community's log is its own
