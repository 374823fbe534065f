"""Onboarding a community (issue 22, item 1): a roster becomes owners, units and accounts;
codes open them once; a forgotten password is recovered with a code sent on a channel."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts.activation import (
    ACTIVATION_DAYS,
    code_hash,
    issue_codes,
    redeem_code,
    request_password_code,
    shown,
)
from data_access.accounts.auth import (
    UNUSABLE_PASSWORD_HASH,
    PasswordRuleError,
    Viewer,
    hash_password,
    verify_password,
)
from data_access.accounts.login_security import LOCKOUT_ATTEMPTS, start_session
from data_access.accounts.owner_accounts import change_own_password, find_accounts
from data_access.accounts.roster import import_roster
from data_access.db import write_session
from data_access.errors import DomainError, NotAllowed
from data_access.models import Account, ActivationCode, LoginSession, OutboxMessage, OwnerUnit, Unit
from tests.data_access import factories
from tests.outbox.support import configure, utc_now

KEY = "test-cookie-key-0123456789-abcdefghijklmnop"
NOW = dt.datetime(2026, 12, 1, 2, 0)
ROSTER = (
    "姓名,手机号,楼栋,单元,房号,建筑面积\n"
    "王小明,13812345678,3栋,1,502,89.5\n"
    "王小明,13812345678,3栋,2,601,120\n"  # one owner, two units
    "李芳,,5栋,1,101,76.25\n"  # no mobile: a login name from the community and unit
    "赵强,1381234,3栋,1,503,89.5\n"  # a bad mobile
    ",13900000000,3栋,1,504,89.5\n"  # no name
    "钱多,13700000000,3栋,1,505,-3\n"  # a bad area
)


def _community_and_manager(factory: sessionmaker[Session], code: str = "") -> tuple[int, Viewer]:
    with write_session(factory) as session:
        community = factories.community(session, code=code)
        manager = factories.account(session, community, role="manager")
        return community.id, factories.viewer_of(manager)


def test_a_roster_becomes_owners_units_and_unopened_accounts(
    session_factory: sessionmaker[Session],
) -> None:
    community_id, manager = _community_and_manager(session_factory, code="C9")
    with write_session(session_factory) as session:
        checked = import_roster(
            session=session, viewer=manager, data=ROSTER.encode(), now=NOW, dry_run=True
        )
        assert session.scalar(select(func.count()).select_from(Unit)) == 0  # a check writes nothing
    assert (checked.rows, [line for line, _ in checked.rejected]) == (6, [5, 6, 7])
    assert [reason for _, reason in checked.rejected] == [
        "roster.bad_mobile", "roster.no_name", "roster.bad_area",
    ]  # fmt: skip
    with write_session(session_factory) as session:
        report = import_roster(session=session, viewer=manager, data=ROSTER.encode(), now=NOW)
    assert (report.owners_created, report.owners_found, report.units_created,
            report.links_created, report.buildings_created) == (2, 1, 3, 3, 2)  # fmt: skip
    with session_factory() as session:
        accounts = {a.display_name: a for a in session.scalars(
            select(Account).where(Account.community_id == community_id, Account.role == "owner"))}  # fmt: skip
        wang, li = accounts["王小明"], accounts["李芳"]
        assert (wang.username, wang.phone, wang.password_hash) == (
            "13812345678", "13812345678", UNUSABLE_PASSWORD_HASH,
        )  # fmt: skip
        li_unit = session.scalars(
            select(OwnerUnit.unit_id).where(OwnerUnit.account_id == li.id)
        ).one()
        assert li.username == f"c9-u{li_unit}"
        assert (
            len(session.scalars(select(OwnerUnit).where(OwnerUnit.account_id == wang.id)).all())
            == 2
        )
        assert session.get_one(Unit, li_unit).floor_area_m2 == 76.25
    # importing the same roster again changes nothing; a corrected area is updated
    with write_session(session_factory) as session:
        again = import_roster(
            session=session, viewer=manager, data=ROSTER.replace("76.25", "77").encode(), now=NOW
        )
    assert (again.owners_created, again.units_created, again.units_updated) == (0, 0, 1)


def test_an_excel_roster_and_a_mobile_taken_in_another_community(
    session_factory: sessionmaker[Session],
) -> None:
    with write_session(session_factory) as session:
        elsewhere = factories.community(session)
        taken = factories.account(session, elsewhere, username="13812345678")
        taken.phone = "13812345678"
    _, manager = _community_and_manager(session_factory, code="ROSTER7")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["业主姓名", "手机", "楼号", "单元号", "房间号", "面积"])
    sheet.append(["王小明", 13812345678, "1栋", 1, 1201, 143.0])
    data = io.BytesIO()
    book.save(data)
    with write_session(session_factory) as session:
        report = import_roster(session=session, viewer=manager, data=data.getvalue(), now=NOW)
        owner = session.scalars(select(Account).where(Account.display_name == "王小明")).one()
        assert (report.owners_created, owner.username) == (1, "roster7-13812345678")


def test_only_managers_import_and_missing_columns_are_named(
    session_factory: sessionmaker[Session],
) -> None:
    _, manager = _community_and_manager(session_factory)
    with write_session(session_factory) as session:
        community = factories.community(session)
        owner = factories.viewer_of(factories.account(session, community))
    with pytest.raises(NotAllowed), write_session(session_factory) as session:
        import_roster(session=session, viewer=owner, data=ROSTER.encode(), now=NOW)
    with pytest.raises(DomainError) as refused, write_session(session_factory) as session:
        import_roster(session=session, viewer=manager, data=b"name,mobile\nx,1\n", now=NOW)
    assert refused.value.key == "roster.missing_columns"


def _imported(factory: sessionmaker[Session]) -> tuple[Viewer, int]:
    community_id, manager = _community_and_manager(factory)
    with write_session(factory) as session:
        import_roster(session=session, viewer=manager, data=ROSTER.encode(), now=NOW)
    return manager, community_id


def test_codes_open_each_account_once_and_a_reprint_voids_the_old_letters(
    session_factory: sessionmaker[Session],
) -> None:
    manager, _ = _imported(session_factory)
    with write_session(session_factory) as session:
        first = issue_codes(session=session, viewer=manager, key=KEY, now=NOW)
        stored = session.scalars(select(ActivationCode.code_hash)).all()
    assert [c.display_name for c in first] == ["王小明", "李芳"]  # by building: 3栋 before 5栋
    assert first[0].units == ("3栋1单元502", "3栋2单元601")
    assert first[0].expires_at == NOW + dt.timedelta(days=ACTIVATION_DAYS)
    assert all(c.code not in stored and code_hash(c.code, KEY) in stored for c in first)
    with write_session(session_factory) as session:
        second = issue_codes(session=session, viewer=manager, key=KEY, now=NOW)
    wang_old, wang_new = first[0].code, second[0].code

    def redeem(code: str, password: str = "Xin-mima-2026", at: dt.datetime = NOW) -> bool:
        with write_session(session_factory) as session:
            return redeem_code(session=session, username="13812345678", code=code,
                               password=password, client_key="c1", now=at, key=KEY)  # fmt: skip

    assert not redeem(wang_old)  # the reprint revoked it
    assert redeem(shown(wang_new).lower())  # typed with its dash, in lower case
    assert not redeem(wang_new)  # once only
    with session_factory() as session:
        wang = session.scalars(select(Account).where(Account.username == "13812345678")).one()
        assert verify_password("Xin-mima-2026", wang.password_hash)
    # the next reprint leaves opened accounts alone unless asked
    with write_session(session_factory) as session:
        third = issue_codes(session=session, viewer=manager, key=KEY, now=NOW)
    assert [c.display_name for c in third] == ["李芳"]


def test_an_expired_code_a_weak_password_and_guessing_are_refused(
    session_factory: sessionmaker[Session],
) -> None:
    manager, _ = _imported(session_factory)
    with write_session(session_factory) as session:
        (wang, _li) = issue_codes(session=session, viewer=manager, key=KEY, now=NOW)
    late = NOW + dt.timedelta(days=ACTIVATION_DAYS, seconds=1)
    with write_session(session_factory) as session:
        assert not redeem_code(session=session, username=wang.username, code=wang.code,
                               password="Xin-mima-2026", client_key="c1", now=late, key=KEY)  # fmt: skip
    with pytest.raises(PasswordRuleError), write_session(session_factory) as session:
        redeem_code(session=session, username=wang.username, code=wang.code, password="123",
                    client_key="c1", now=NOW, key=KEY)  # fmt: skip
    for _ in range(LOCKOUT_ATTEMPTS):
        with write_session(session_factory) as session:
            redeem_code(session=session, username=wang.username, code="AAAA-AAAA",
                        password="Xin-mima-2026", client_key="c2", now=NOW, key=KEY)  # fmt: skip
    with write_session(session_factory) as session:  # now locked: even the right code fails
        assert not redeem_code(session=session, username=wang.username, code=wang.code,
                               password="Xin-mima-2026", client_key="c2",
                               now=NOW + dt.timedelta(seconds=1), key=KEY)  # fmt: skip


def test_a_forgotten_password_code_goes_out_on_a_channel_and_ends_old_sessions(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "sms")
    _imported(session_factory)
    now = utc_now()
    with write_session(session_factory) as session:
        wang = session.scalars(select(Account).where(Account.username == "13812345678")).one()
        old_session = start_session(session=session, account_id=wang.id, now=now)
    for _ in range(5):  # asked five times: three codes an hour at most
        with write_session(session_factory) as session:
            request_password_code(session=session, username="13812345678", client_key="c3",
                                  now=now, key=KEY)  # fmt: skip
    with write_session(session_factory) as session:  # an unknown name: nothing, and no error
        request_password_code(session=session, username="nobody", client_key="c3", now=now,
                              key=KEY)  # fmt: skip
    with session_factory() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(r.channel, r.event_type, r.urgent) for r in rows] == [
            ("sms", "password_code", True)
        ] * 3
        latest = rows[-1].note.replace("-", "")
    with write_session(session_factory) as session:
        assert redeem_code(session=session, username="13812345678", code=latest,
                           password="Xin-mima-2026", client_key="c3", now=now, key=KEY)  # fmt: skip
    with session_factory() as session:
        ended = session.get_one(LoginSession, old_session)
        assert ended.token_version < session.get_one(Account, ended.account_id).token_version


def test_managers_find_accounts_and_owners_change_their_own_password(
    session_factory: sessionmaker[Session],
) -> None:
    manager, _ = _imported(session_factory)
    with session_factory() as session:
        assert [
            a.display_name for a in find_accounts(session=session, viewer=manager, text="601")
        ] == ["王小明"]
        assert {
            a.display_name
            for a in find_accounts(session=session, viewer=manager, state="not_activated")
        } == {"王小明", "李芳"}
    with write_session(session_factory) as session:
        community = factories.community(session)
        owner = factories.account(session, community, password_hash=hash_password("Jiu-mima-2025"))
        viewer = factories.viewer_of(owner)
    with pytest.raises(DomainError), write_session(session_factory) as session:
        change_own_password(
            session=session, viewer=viewer, current="wrong", new="Xin-mima-2026", now=NOW
        )
    with write_session(session_factory) as session:
        change_own_password(
            session=session, viewer=viewer, current="Jiu-mima-2025", new="Xin-mima-2026", now=NOW
        )
        account = session.get_one(Account, viewer.account_id)
        assert verify_password("Xin-mima-2026", account.password_hash)
