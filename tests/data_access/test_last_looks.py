"""One "last seen" table (``last_looks``) for lists and single work orders, one upsert."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts import last_looks
from data_access.accounts.auth import Viewer
from data_access.db import write_session
from data_access.models import LastLook
from data_access.notifications.notifications import mark_notifications_seen
from data_access.orders.order_commands import mark_order_seen
from tests.data_access import factories as f
from tests.data_access.factories import T0

H = dt.timedelta(hours=1)


def _viewer(account_id: int, community_id: int) -> Viewer:
    return Viewer(account_id, "u", "业主", "owner", community_id)


def test_lists_and_orders_share_the_table(session_factory: sessionmaker[Session]) -> None:
    """A look at the notifications (subject 0) and at two orders are three rows of one account;
    each is read back on its own."""
    with write_session(session_factory) as s:
        c = f.community(s)
        owner = f.account(s, c)
        first, second = f.order_at_stage(s, c), f.order_at_stage(s, c)
        ids = (owner.id, c.id, first.id, second.id)
    account, community, first_id, second_id = ids
    me = _viewer(account, community)
    with write_session(session_factory) as s:
        mark_notifications_seen(session=s, viewer=me, at=T0)
        mark_order_seen(session=s, viewer=me, order_id=first_id, at=T0 + H)
        mark_order_seen(session=s, viewer=me, order_id=second_id, at=T0 + 2 * H)
    with session_factory() as s:
        rows = s.execute(
            select(LastLook.scope, LastLook.subject_id, LastLook.seen_at).order_by(
                LastLook.scope, LastLook.subject_id
            )
        ).all()
        assert [tuple(r) for r in rows] == [
            ("notifications", 0, T0),
            ("order", first_id, T0 + H),
            ("order", second_id, T0 + 2 * H),
        ]

        def at(scope: str, subject_id: int = last_looks.WHOLE_LIST) -> dt.datetime | None:
            return last_looks.last_look_at(
                session=s, account_id=account, scope=scope, subject_id=subject_id
            )

        assert at("notifications") == T0
        assert (at("order", first_id), at("order", second_id)) == (T0 + H, T0 + 2 * H)
        assert at("console") is None and at("order", second_id + 1) is None
        since = last_looks.since_last_look
        assert since(session=s, account_id=account, scope="notifications", now=T0 + 9 * H) == T0
        assert (
            since(session=s, account_id=account, scope="console", now=T0 + 9 * H)
            == T0 + 9 * H - last_looks.FIRST_LOOK_WINDOW
        )


@pytest.mark.parametrize(
    ("scope", "subject"), [("console", "list"), ("notifications", "list"), ("order", "order")]
)
def test_a_second_writer_that_lost_the_race_updates_the_first_ones_row(
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    scope: str,
    subject: str,
) -> None:
    """Two requests look for the row, find none, and both insert: the first commits; the
    second's insert meets the primary key, and it updates the committed row instead (never
    backwards) — on both engines, in two real transactions."""
    with write_session(session_factory) as s:
        c = f.community(s)
        account_id = f.account(s, c).id
        subject_id = f.order_at_stage(s, c).id if subject == "order" else last_looks.WHOLE_LIST
    with write_session(session_factory) as s:  # the first writer
        last_looks.save_last_look(
            session=s, account_id=account_id, scope=scope, subject_id=subject_id, at=T0 + H
        )
    real_find = last_looks._find_look
    misses = iter([None])  # the second writer looked before the first one committed
    monkeypatch.setattr(last_looks, "_find_look", lambda *a: next(misses, None) or real_find(*a))
    for at, expected in ((T0 + 2 * H, T0 + 2 * H), (T0, T0 + 2 * H)):
        with write_session(session_factory) as s:
            look = last_looks.save_last_look(
                session=s, account_id=account_id, scope=scope, subject_id=subject_id, at=at
            )
            assert look.seen_at == expected
    with session_factory() as s:
        looks = s.scalars(select(LastLook)).all()
        assert [(x.scope, x.subject_id, x.seen_at) for x in looks] == [
            (scope, subject_id, T0 + 2 * H)
        ]


def test_an_unknown_account_is_an_error_not_a_race(session: Session) -> None:
    with pytest.raises(IntegrityError):
        last_looks.save_last_look(session=session, account_id=424242, scope="console", at=T0)
