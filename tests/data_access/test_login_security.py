"""Login security on both engines: sessions that really end, the signed cookie, lockout that
tells nothing, user administration. Each test tries the attack and checks it is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import bcrypt
import jwt
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts import auth
from data_access.accounts import login_security as ls
from data_access.accounts.auth import PasswordRuleError, hash_password
from data_access.db import write_session
from data_access.errors import DomainError
from data_access.models import Account, LoginSession
from tests.data_access import factories as f

NOW = dt.datetime(2026, 11, 20, 12, 0)
KEY = "k" * 40
CLIENT = ls.client_key_for("203.0.113.7", secret=KEY)
OTHER_CLIENT = ls.client_key_for("198.51.100.9", secret=KEY)
PASSWORD = "right-password"
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def account_id(session_factory: sessionmaker[Session]) -> int:
    with write_session(session_factory) as session:
        c = f.community(session, code="SEC")
        return f.account(
            session, c, username="wang", password_hash=hash_password(PASSWORD, rounds=4)
        ).id


def login(
    factory: sessionmaker[Session],
    password: str = PASSWORD,
    *,
    username: str = "wang",
    client: str = CLIENT,
    now: dt.datetime = NOW,
) -> str | None:
    with write_session(factory) as session:
        return ls.authenticate(
            session=session, username=username, password=password, client_key=client, now=now
        )


def alive(factory: sessionmaker[Session], session_id: str, now: dt.datetime = NOW) -> int | None:
    """The account of a live session, as a page run's check reads it (with its viewer)."""
    with factory() as session:
        live = ls.live_session(session=session, session_id=session_id, now=now)
        account = ls.check_session(session=session, session_id=session_id, now=now)
    assert account == (live.viewer.account_id if live else None)
    return account


# --- sessions ---------------------------------------------------------------------------------
def test_a_login_session_lives_until_logout(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    sid = login(session_factory)
    assert sid is not None and alive(session_factory, sid) == account_id
    with write_session(session_factory) as session:
        ls.end_session(session=session, session_id=sid, now=NOW)
    assert alive(session_factory, sid) is None  # replayed after logout → refused


def test_logout_ends_only_that_session(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    phone, laptop = login(session_factory), login(session_factory)
    assert phone and laptop and phone != laptop
    with write_session(session_factory) as session:
        ls.end_session(session=session, session_id=phone, now=NOW)
    assert alive(session_factory, phone) is None
    assert alive(session_factory, laptop) == account_id


@pytest.mark.parametrize(
    "change",
    [
        lambda s: ls.reset_password(session=s, username="wang", password="a-new-password"),
        lambda s: ls.set_role(session=s, username="wang", role="committee"),
        lambda s: ls.disable_user(session=s, username="wang"),
    ],
    ids=["password reset", "role change", "disabled"],
)
def test_account_changes_end_every_session(
    session_factory: sessionmaker[Session], account_id: int, change: Callable[[Session], object]
) -> None:
    sessions = [login(session_factory) for _ in range(2)]
    assert all(sessions)
    with write_session(session_factory) as session:
        change(session)
    assert [alive(session_factory, sid) for sid in sessions if sid] == [None, None]


def test_password_reset_old_password_refused_new_accepted(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    with write_session(session_factory) as session:
        ls.reset_password(session=session, username="wang", password="a-new-password")
    assert login(session_factory, PASSWORD) is None
    new = login(session_factory, "a-new-password")
    assert new is not None and alive(session_factory, new) == account_id


def test_a_session_expires_by_itself(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    sid = login(session_factory)
    assert sid is not None
    assert alive(session_factory, sid, NOW + ls.SESSION_LIFETIME - dt.timedelta(seconds=1))
    assert alive(session_factory, sid, NOW + ls.SESSION_LIFETIME) is None


def test_unknown_session_id_is_refused(session_factory: sessionmaker[Session]) -> None:
    assert alive(session_factory, "guessed-session-id") is None


def test_viewer_is_read_from_the_database_on_every_check(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    sid = login(session_factory)
    assert sid is not None
    with write_session(session_factory) as session:
        live = ls.live_session(session=session, session_id=sid, now=NOW)
    assert live is not None and (live.viewer.username, live.viewer.role) == ("wang", "owner")


def test_the_check_reads_the_accounts_homes_and_display_choices_with_it(
    session_factory: sessionmaker[Session],
) -> None:
    """What a new visit needs besides the viewer comes in the same query: the homes (labels in
    the units' order, their buildings) and the language and large text the account chose."""
    with write_session(session_factory) as session:
        home = f.community(session, code="HOM")
        one, two = f.building(session, home, "1栋"), f.building(session, home, "2栋")
        units = (f.unit(session, two, entrance=2, room="1201"), f.unit(session, one, room="101"))
        account = f.account(session, home, username="li", units=units,
                            password_hash=hash_password(PASSWORD, rounds=4))  # fmt: skip
        account.language, account.large_text = "en", True
        buildings = {one.id, two.id}
    sid = login(session_factory, username="li")
    assert sid is not None
    with session_factory() as session:
        live = ls.live_session(session=session, session_id=sid, now=NOW)
    assert live is not None and len(live.viewer.unit_ids) == 2
    assert live.own_units.labels == ("2栋2单元1201", "1栋1单元101")
    assert live.own_units.building_ids == buildings
    assert (live.preferences.language, live.preferences.large_text) == ("en", True)


def test_touch_bumps_last_seen_at_most_once_a_minute(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    sid = login(session_factory)
    assert sid is not None
    for seconds in (30, 70, 100):
        with write_session(session_factory) as session:
            ls.touch_session(
                session=session, session_id=sid, now=NOW + dt.timedelta(seconds=seconds)
            )
    with session_factory() as session:
        row = session.get_one(LoginSession, sid)
        assert row.last_seen_at == NOW + dt.timedelta(seconds=70)


def test_touch_is_due_only_when_it_would_write(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    """The app asks with a read before taking SQLite's write lock (bench/concurrent.py)."""
    sid = login(session_factory)
    assert sid is not None

    def due(seconds: int) -> bool:
        with session_factory() as session:
            return ls.touch_due(
                session=session, session_id=sid, now=NOW + dt.timedelta(seconds=seconds)
            )

    assert (due(0), due(59), due(60), due(90)) == (False, False, True, True)
    with write_session(session_factory) as session:
        ls.touch_session(session=session, session_id=sid, now=NOW + dt.timedelta(seconds=90))
    assert (due(100), due(150)) == (False, True)
    with session_factory() as session:
        assert not ls.touch_due(session=session, session_id="no-such-session", now=NOW)
        # What a page run reads: the viewer and whether to touch, together.
        live = ls.live_session(session=session, session_id=sid, now=NOW + dt.timedelta(seconds=150))
        assert live is not None and live.touch_due and live.viewer.username == "wang"
        assert ls.live_session(session=session, session_id="no-such-session", now=NOW) is None


# --- the cookie -------------------------------------------------------------------------------
def test_cookie_round_trip_carries_only_the_session_id() -> None:
    token = ls.encode_session_cookie(
        session_id="abc", key=KEY, expires_at=NOW + dt.timedelta(days=1)
    )
    assert ls.decode_session_cookie(token, key=KEY, now=NOW) == "abc"
    assert set(jwt.decode(token, KEY, algorithms=["HS256"], options={"verify_exp": False})) == {
        "sid",
        "exp",
    }


@pytest.mark.parametrize(
    "forge",
    [
        # signed with another key (e.g. the public demo key against a production app)
        lambda: jwt.encode({"sid": "abc", "exp": 4_000_000_000}, "x" * 40, algorithm="HS256"),
        # the old library cookie shape, correctly signed: names a user, not a session
        lambda: jwt.encode({"username": "wang", "exp_date": 4e9}, KEY, algorithm="HS256"),
        # unsigned
        lambda: jwt.encode({"sid": "abc", "exp": 4_000_000_000}, "", algorithm="none"),
        # expired
        lambda: jwt.encode({"sid": "abc", "exp": 1_000}, KEY, algorithm="HS256"),
        lambda: "not-a-jwt",
        lambda: "",
    ],
    ids=["wrong key", "library shape", "alg none", "expired", "garbage", "empty"],
)
def test_forged_cookies_are_refused(forge: Callable[[], str]) -> None:
    assert ls.decode_session_cookie(forge(), key=KEY, now=NOW) is None


def test_tampered_cookie_is_refused() -> None:
    token = ls.encode_session_cookie(
        session_id="abc", key=KEY, expires_at=NOW + dt.timedelta(days=1)
    )
    header, _payload, signature = token.split(".")
    other = ls.encode_session_cookie(
        session_id="xyz", key=KEY, expires_at=NOW + dt.timedelta(days=1)
    )
    assert (
        ls.decode_session_cookie(f"{header}.{other.split('.')[1]}.{signature}", key=KEY, now=NOW)
        is None
    )


def test_client_key_is_a_keyed_hash_never_the_address() -> None:
    key = ls.client_key_for("203.0.113.7", secret=KEY)
    assert "203.0.113.7" not in key and len(key) == 64
    assert key != ls.client_key_for("203.0.113.7", secret="y" * 40)
    assert ls.client_key_for(None, secret=KEY) == ls.UNKNOWN_CLIENT == ""


# --- lockout ----------------------------------------------------------------------------------
def test_five_wrong_passwords_block_that_client_for_the_account_even_the_right_one(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    for i in range(ls.PAIR_ATTEMPTS):
        assert login(session_factory, f"wrong-{i}", now=NOW + dt.timedelta(minutes=i)) is None
    later = NOW + dt.timedelta(minutes=5)
    assert login(session_factory, PASSWORD, now=later) is None  # blocked: same answer
    # Another client (a neighbour behind another address) is not blocked: an account's
    # failures never lock out anybody else.
    assert login(session_factory, PASSWORD, client=OTHER_CLIENT, now=later) is not None


def test_failures_from_many_clients_never_block_the_account(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    """Before: 5 failures from anywhere locked the account for everybody."""
    for i in range(12):
        client = ls.client_key_for(f"198.51.100.{i}", secret=KEY)
        assert login(session_factory, "wrong", client=client) is None
    assert login(session_factory, PASSWORD) is not None


def test_an_accounts_failures_only_slow_it_down_at_most_three_seconds(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    def delay() -> float:
        with session_factory() as session:
            return ls.account_delay(session=session, username="wang", now=NOW)

    delays = []
    for i in range(12):
        login(session_factory, "wrong", client=ls.client_key_for(f"192.0.2.{i}", secret=KEY))
        delays.append(delay())
    # nothing for the first four failures, then half a second more per failure, at most 3 s
    assert delays == [0.0, 0.0, 0.0, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.0, 3.0]
    assert login(session_factory, PASSWORD) is not None
    assert delay() == 0.0  # a success starts the count afresh


def test_attempt_login_reports_the_delay_with_the_answer(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    for i in range(6):
        login(session_factory, "wrong", client=ls.client_key_for(f"192.0.2.{i}", secret=KEY))
    with write_session(session_factory) as session:
        outcome = ls.attempt_login(
            session=session, username="wang", password=PASSWORD, client_key=CLIENT, now=NOW
        )
    assert outcome.session_id is not None and outcome.delay_s == 1.0  # after 6 failures


def test_refused_attempts_do_not_extend_the_block(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    """Before: each refused try counted as a failure, so a client trying on stayed blocked."""
    for i in range(ls.PAIR_ATTEMPTS):
        login(session_factory, "wrong", now=NOW + dt.timedelta(minutes=i))
    fifth = NOW + dt.timedelta(minutes=ls.PAIR_ATTEMPTS - 1)
    for minute in range(5, 19):  # trying on every minute while blocked
        assert login(session_factory, "wrong", now=NOW + dt.timedelta(minutes=minute)) is None
    assert login(session_factory, PASSWORD, now=fifth + ls.LOCKOUT_WINDOW - MINUTE) is None
    assert login(session_factory, PASSWORD, now=fifth + ls.LOCKOUT_WINDOW) is not None


def test_the_block_lasts_fifteen_minutes_after_the_fifth_failure(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    times = [NOW, NOW + 3 * MINUTE, NOW + 6 * MINUTE, NOW + 9 * MINUTE, NOW + 14 * MINUTE]
    for moment in times:
        login(session_factory, "wrong", now=moment)
    assert login(session_factory, PASSWORD, now=NOW + 20 * MINUTE) is None  # 6 min after the 5th
    assert login(session_factory, PASSWORD, now=NOW + 29 * MINUTE) is not None


def test_a_client_guessing_account_names_is_blocked_after_twenty(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    for i in range(ls.UNKNOWN_NAME_ATTEMPTS - 1):
        login(session_factory, "x-password", username=f"guess{i}")
    assert login(session_factory, PASSWORD) is not None  # 19 made-up names: still fine
    for i in range(ls.UNKNOWN_NAME_ATTEMPTS):
        login(session_factory, "x-password", username=f"other{i}")
    assert login(session_factory, PASSWORD) is None  # this client is blocked
    assert login(session_factory, PASSWORD, client=OTHER_CLIENT) is not None  # others are not


def test_five_made_up_names_block_nobody(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    """The reported attack: five failures with invented names from one address (every owner
    behind one proxy or carrier NAT) refused every correct password for 15 minutes."""
    for i in range(5):
        login(session_factory, "x-password", username=f"made-up-{i}")
    assert login(session_factory, PASSWORD) is not None  # from the very same address


def test_ipv4_mapped_addresses_are_the_same_client() -> None:
    assert ls.client_key_for("::ffff:203.0.113.7", secret=KEY) == CLIENT
    assert ls.client_key_for("::FFFF:203.0.113.7", secret=KEY) == CLIENT
    assert ls.client_key_for("::ffff:127.0.0.1", secret=KEY) == ls.UNKNOWN_CLIENT
    assert ls.client_key_for("::1", secret=KEY) == ls.UNKNOWN_CLIENT
    assert ls.normalise_address("2001:DB8:0:0::1") == "2001:db8::1"


def test_unlock_ends_the_block(session_factory: sessionmaker[Session], account_id: int) -> None:
    for _ in range(ls.PAIR_ATTEMPTS):
        login(session_factory, "wrong")
    assert login(session_factory, PASSWORD) is None
    with write_session(session_factory) as session:
        assert ls.unlock_account(session=session, username=" Wang ") == ls.PAIR_ATTEMPTS
    assert login(session_factory, PASSWORD) is not None


def test_clients_of_unknown_address_are_not_locked_together(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    """Where Streamlit does not know addresses, one guesser must not lock everyone out: only
    the accounts they guessed at are locked."""
    for i in range(ls.LOCKOUT_ATTEMPTS):
        login(session_factory, "x-password", username=f"guess{i}", client=ls.UNKNOWN_CLIENT)
    assert login(session_factory, PASSWORD, client=ls.UNKNOWN_CLIENT) is not None


def test_four_failures_then_success_resets_the_account_count(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    for _ in range(ls.LOCKOUT_ATTEMPTS - 1):
        login(session_factory, "wrong-password", client=OTHER_CLIENT)
    assert login(session_factory, PASSWORD) is not None
    login(session_factory, "wrong-password")
    assert login(session_factory, PASSWORD) is not None


def test_every_failure_costs_exactly_one_bcrypt_check(
    session_factory: sessionmaker[Session], account_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Similar timing, proven structurally: the same single bcrypt check for an unknown user,
    a wrong password, an over-long password, a disabled account and a locked account (right
    password), and the same answer (None) for all of them."""
    calls: list[bytes] = []
    real = bcrypt.checkpw

    def spy(password: bytes, hashed: bytes) -> bool:
        calls.append(hashed)
        return real(password, hashed)

    monkeypatch.setattr(auth.bcrypt, "checkpw", spy)
    with write_session(session_factory) as session:
        c = session.scalar(select(Account.community_id).where(Account.id == account_id))
        f.account(session, session.get_one(f.Community, c), username="gone",
                  password_hash=hash_password(PASSWORD, rounds=4), is_active=False)  # fmt: skip
    cases = {
        "unknown user": ("nobody", PASSWORD, OTHER_CLIENT),
        "wrong password": ("wang", "wrong-password", OTHER_CLIENT),
        "over 72 bytes": ("wang", "密" * 30, OTHER_CLIENT),
        "disabled": ("gone", PASSWORD, OTHER_CLIENT),
    }
    counts = {}
    for name, (username, password, client) in cases.items():
        calls.clear()
        assert login(session_factory, password, username=username, client=client) is None
        counts[name] = len(calls)
    for _ in range(ls.LOCKOUT_ATTEMPTS):
        login(session_factory, "wrong-password")
    calls.clear()
    assert login(session_factory, PASSWORD) is None
    counts["blocked pair, right password"] = len(calls)
    assert calls == [auth.timing_dummy_hash().encode("ascii")]  # the real hash is not even tried
    guesser = ls.client_key_for("192.0.2.99", secret=KEY)
    for i in range(ls.UNKNOWN_NAME_ATTEMPTS):
        login(session_factory, "x", username=f"guess{i}", client=guesser)
    calls.clear()
    assert login(session_factory, PASSWORD, client=guesser) is None
    counts["name guesser, right password"] = len(calls)
    assert set(counts.values()) == {1}, counts


def test_empty_fields_are_not_attempts(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    for _ in range(ls.LOCKOUT_ATTEMPTS + 1):
        assert login(session_factory, "") is None
    assert login(session_factory, PASSWORD) is not None


# --- user administration ----------------------------------------------------------------------
def test_create_user_then_log_in(session_factory: sessionmaker[Session], account_id: int) -> None:
    with write_session(session_factory) as session:
        ls.create_user(session=session, username="Li_Si", display_name="李四",
                       password="li-password", role="manager", community_code="sec", now=NOW)  # fmt: skip
    assert login(session_factory, "li-password", username="li_si") is not None


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"username": "wang"}, "users.username_taken"),
        ({"username": "x"}, "users.username_invalid"),
        ({"username": "bad name"}, "users.username_invalid"),
        ({"role": "admin"}, "users.role_invalid"),
        ({"community_code": "NOPE"}, "community.unknown"),
        ({"password": "short"}, "users.password_too_short"),
        ({"password": "密" * 25}, "users.password_too_long"),  # 25 chars, 75 bytes
    ],
)
def test_create_user_refusals(
    session_factory: sessionmaker[Session], account_id: int, changes: dict[str, str], key: str
) -> None:
    fields = {"username": "new_user", "display_name": "新", "password": "good-password",
              "role": "owner", "community_code": "SEC"} | changes  # fmt: skip
    with pytest.raises(DomainError) as caught, write_session(session_factory) as session:
        ls.create_user(session=session, now=NOW, **fields)
    assert caught.value.key == key
    if key == "users.password_too_long":
        assert isinstance(caught.value, PasswordRuleError)
        assert "75" in caught.value.message("zh") and "72" in caught.value.message("en")


def test_admin_commands_refuse_unknown_accounts(session_factory: sessionmaker[Session]) -> None:
    with pytest.raises(DomainError) as caught, write_session(session_factory) as session:
        ls.disable_user(session=session, username="nobody")
    assert caught.value.key == "users.unknown"


# --- pruning (the worker's "logins" job) -----------------------------------------------------
def test_the_logins_job_removes_only_what_is_a_day_dead(
    session_factory: sessionmaker[Session], account_id: int
) -> None:
    from worker.jobs import prune_old_logins

    day, hour = dt.timedelta(days=1), dt.timedelta(hours=1)
    with write_session(session_factory) as session:
        sessions = {
            "live": ls.start_session(session=session, account_id=account_id, now=NOW - 2 * day),
            "expired long ago": ls.start_session(
                session=session, account_id=account_id, now=NOW - 9 * day
            ),
            "expired an hour ago": ls.start_session(
                session=session, account_id=account_id, now=NOW - 7 * day - hour
            ),
            "logged out long ago": ls.start_session(
                session=session, account_id=account_id, now=NOW - 3 * day
            ),
            "logged out an hour ago": ls.start_session(
                session=session, account_id=account_id, now=NOW - 2 * hour
            ),
        }
        ls.end_session(session=session, session_id=sessions["logged out long ago"],
                       now=NOW - 2 * day)  # fmt: skip
        ls.end_session(session=session, session_id=sessions["logged out an hour ago"],
                       now=NOW - hour)  # fmt: skip
        for when in (NOW - 2 * day, NOW - day - MINUTE, NOW - day + MINUTE, NOW - hour):
            ls.record_attempt(session=session, username="wang", client_key=CLIENT, now=when,
                              succeeded=False)  # fmt: skip
    summary = prune_old_logins(session_factory, NOW)
    assert summary.params == {"attempts": 2, "sessions": 2}
    with session_factory() as session:
        kept = set(session.scalars(select(LoginSession.id)))
    assert kept == {
        sessions[name] for name in ("live", "expired an hour ago", "logged out an hour ago")
    }
