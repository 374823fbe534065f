"""业主账号 and the login page's 首次登录 through AppTest on the demo data (issue 22, item 1):
a manager imports a roster, prints letters, and the owner opens the account with the code."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine, make_session_factory
from data_access.models import Account
from tests.conftest import ROOT
from tests.pages.conftest import APP, log_in, texts

ACCOUNTS = str(ROOT / "pages" / "accounts.py")
ROSTER = "姓名,手机号,楼栋,单元,房号,建筑面积\n周新业,13955550001,99栋,1,101,88\n吴新业,139555,99栋,1,102,88\n"


def set_password_with_code(login: str, code: str, password: str) -> AppTest:
    """The login page's 首次登录 form, filled and sent by a browser without a session."""
    page = AppTest.from_file(APP, default_timeout=60)
    page.run()
    page.text_input(key="code_username").input(login)
    page.text_input(key="code_code").input(code)
    page.text_input(key="code_password").input(password)
    page.text_input(key="code_password_again").input(password)
    page.button(key="FormSubmitter:code_form-设置密码").click().run()
    return page


def test_a_manager_imports_a_roster_prints_a_letter_and_the_owner_opens_the_account(
    app: AppTest, demo_url: str
) -> None:
    log_in(app, "manager_a")
    app.switch_page(ACCOUNTS).run()
    assert not app.exception
    app.file_uploader(key="roster_file").set_value(("roster.csv", ROSTER.encode(), "text/csv"))
    app.run()
    app.button(key="roster_check").click().run()
    assert "共 2 行,1 行可导入。" in texts(app)
    assert "第 3 行未导入:手机号格式不正确" in texts(app)
    app.button(key="roster_import").click().run()
    assert "新建业主 1 位" in texts(app)
    app.selectbox(key="letters_building").select_index(
        app.selectbox(key="letters_building").options.index("99栋")
    ).run()
    app.button(key="letters_issue").click().run()
    assert not app.exception
    assert "已生成 1 份开通函" in texts(app)
    # the code exists only in this download: read it back from the CSV the page holds
    letters = app.session_state["_account_letters"]
    reader = PdfReader(io.BytesIO(letters.pdf))
    page = reader.pages[0].extract_text()
    assert "139****0001" in page and "13955550001" not in page  # masked under a door
    row = letters.csv.decode("utf-8-sig").splitlines()[1].split(",")
    assert row[:4] == ["周新业", "13955550001", "99栋1单元101", "13955550001"]
    code = row[4]
    assert code in page

    owner = set_password_with_code("13955550001", code, "Zhou-xinmima-1")
    assert "密码已设置,请在上方登录。" in texts(owner)
    log_in(owner, "13955550001", "Zhou-xinmima-1")
    assert not owner.exception
    assert "周新业" in texts(owner)
    # used once: the same code does not work again
    again = set_password_with_code("13955550001", code, "Another-pass-2")
    assert "登录名或验证码不正确、已使用或已过期。" in texts(again)


def test_a_manager_disables_an_account_and_its_owner_is_logged_out(
    app: AppTest, demo_url: str
) -> None:
    owner = AppTest.from_file(APP, default_timeout=60)
    log_in(owner, "owner_a")
    assert "退出登录" in str(owner.sidebar.button)
    log_in(app, "manager_a")
    app.switch_page(ACCOUNTS).run()
    app.text_input(key="accounts_search").input("owner_a").run()
    with make_session_factory(make_engine(demo_url))() as session:
        owner_id = session.scalars(select(Account.id).where(Account.username == "owner_a")).one()
    app.button(key=f"disable_{owner_id}").click().run()
    assert "的账号,其登录已全部退出。" in texts(app)
    owner.run()
    assert "该账号已停用或不存在" in texts(owner) or owner.text_input(key="login_username")
    app.selectbox(key="accounts_state").set_value("disabled").run()
    app.button(key=f"enable_{owner_id}").click().run()
    assert "已恢复" in texts(app)


def test_another_communitys_owner_is_not_found(app: AppTest) -> None:
    log_in(app, "manager_a")
    app.switch_page(ACCOUNTS).run()
    app.text_input(key="accounts_search").input("owner_b").run()
    assert "没有符合条件的账号。" in texts(app)
