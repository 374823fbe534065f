"""Login security: server-side sessions, the signed login cookie, lockout, user administration.

streamlit-authenticator's own cookie is a signed {username, expiry}: it stays valid after logout
or a password change, and its lockout is only checked after a *correct* password. So here:

- A login creates a ``LoginSession`` row with a random id; the cookie is a JWT (HS256, the app's
  cookie key) holding only that id and an expiry — no role, no community. Every page run checks
  the row: not revoked, not expired, the account active and still on the ``token_version`` the
  session was issued under. Logout revokes the row; a password reset, role change or disabling
  bumps the account's ``token_version``, which ends every session of the account at once.
- Lockout, per (account name, client): see "lockout" below. A refused attempt is answered
  exactly like a wrong password, after the same single bcrypt check, so it tells nothing — not
  even that the password was right.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import ipaddress
import logging
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jwt
from sqlalchemy import ColumnElement, Select, bindparam, delete, func, or_, select, update
from sqlalchemy.orm import Session

from data_access.accounts.auth import (
    Viewer,
    check_password_rule,
    hash_password,
    timing_dummy_hash,
    verify_password,
    viewer_of_rows,
    viewer_select,
)
from data_access.accounts.preferences import Preferences
from data_access.communities import OwnUnits, community_id_by_code
from data_access.errors import DomainError
from data_access.models import ROLES, Account, Area, LoginAttempt, LoginSession, OwnerUnit, Unit
from data_access.text_input import clean_text

SESSION_LIFETIME = dt.timedelta(days=7)
# last_seen_at is for operators ("who is logged in"), so a minute's precision is plenty.
LAST_SEEN_PRECISION = dt.timedelta(minutes=1)
# Attempts and dead sessions (expired or logged out) are kept this long, for operators; then the
# worker's "logins" job removes them (``prune_logins``).
RETENTION = dt.timedelta(days=1)
COOKIE_ALGORITHM = "HS256"
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9_.-]{2,63}")
USERNAME_MAX_CHARS = 64
_log = logging.getLogger(__name__)


# --- sessions ---------------------------------------------------------------------------------
def start_session(
    *,
    session: Session,
    account_id: int,
    now: dt.datetime,
    lifetime: dt.timedelta = SESSION_LIFETIME,
) -> str:
    """A new session of the account under its current token version; returns its random id."""
    account = session.get_one(Account, account_id)
    session_id = secrets.token_urlsafe(32)
    session.add(
        LoginSession(
            id=session_id,
            account_id=account.id,
            token_version=account.token_version,
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
            revoked_at=None,
        )
    )
    session.flush()
    return session_id


def check_session(*, session: Session, session_id: str, now: dt.datetime) -> int | None:
    """The account id if the session is alive, else None. Read only (``touch_session`` records
    activity separately, so a page run never needs the write lock)."""
    live = live_session(session=session, session_id=session_id, now=now)
    return live.viewer.account_id if live is not None else None


@dataclass(frozen=True)
class LiveSession:
    viewer: Viewer
    touch_due: bool  # ``touch_session`` would record activity now
    # Read in the same query, so that a new visit needs no read of its own for them:
    preferences: Preferences  # the account's language and large text
    own_units: OwnUnits  # the viewer's homes: labels and buildings


def live_session(*, session: Session, session_id: str, now: dt.datetime) -> LiveSession | None:
    """The viewer of the live session ``session_id`` (read from the database: role, community,
    units) with the account's display choices and its homes, and whether ``touch_session`` is
    due; or None when the session is not alive: revoked (logout), expired, of an older token
    version (a password change ends every older session) or of a disabled account. One query,
    built once per process with the session and the time as bound parameters: every page run
    asks, and building two statements anew was most of the check's cost (issue 25)."""
    rows = session.execute(_live_session_statement(), {"session_id": session_id, "now": now}).all()
    viewer = viewer_of_rows(rows)
    if viewer is None:
        return None
    first = rows[0]
    last_seen = first.last_seen_at
    homes = [
        (row.building_id, row.building_name, row.entrance, row.room)
        for row in rows
        if row.id == viewer.account_id and row.building_id is not None
    ]
    return LiveSession(
        viewer=viewer,
        touch_due=last_seen is not None and last_seen <= now - LAST_SEEN_PRECISION,
        preferences=Preferences.of(first.language, first.large_text),
        own_units=OwnUnits.of(homes),
    )


@functools.cache
def _live_session_statement() -> Select[Any]:
    """The viewer of a live session, its display choices and homes (a row per unit), and when
    it was last seen (the rule of ``live_session``)."""
    return (
        viewer_select()
        .add_columns(
            LoginSession.last_seen_at, Account.language, Account.large_text, Unit.building_id,
            Area.name.label("building_name"), Unit.entrance, Unit.room,
        )
        .join(LoginSession, LoginSession.account_id == Account.id)
        .outerjoin(Unit, Unit.id == OwnerUnit.unit_id)
        .outerjoin(Area, Area.id == Unit.building_id)
        .where(
            LoginSession.id == bindparam("session_id"),
            LoginSession.revoked_at.is_(None),
            LoginSession.expires_at > bindparam("now"),
            LoginSession.token_version == Account.token_version,
            Account.is_active.is_(True),
        )
        .order_by(Account.id, OwnerUnit.unit_id)
    )  # fmt: skip


def touch_due(*, session: Session, session_id: str, now: dt.datetime) -> bool:
    """Whether ``touch_session`` would change anything — asked with a read first, because on
    SQLite every write transaction takes the database's one write lock: a hundred sessions
    opening at once (just logged in, so just seen) would otherwise queue for it for nothing."""
    last_seen = session.scalar(
        select(LoginSession.last_seen_at).where(LoginSession.id == session_id)
    )
    return last_seen is not None and last_seen <= now - LAST_SEEN_PRECISION


def touch_session(*, session: Session, session_id: str, now: dt.datetime) -> None:
    """Record activity: bumps ``last_seen_at``, at most once per ``LAST_SEEN_PRECISION``."""
    session.execute(
        update(LoginSession)
        .where(
            LoginSession.id == session_id,
            LoginSession.last_seen_at <= now - LAST_SEEN_PRECISION,
        )
        .values(last_seen_at=now)
    )


def session_end_reason(*, session: Session, session_id: str) -> str:
    """Why a session the browser held is no longer valid, as a catalog key (for its holder)."""
    active = session.scalar(
        select(Account.is_active)
        .join(LoginSession, LoginSession.account_id == Account.id)
        .where(LoginSession.id == session_id)
    )
    return "app.account_gone" if active is False or active is None else "login.session_ended"


def end_session(*, session: Session, session_id: str, now: dt.datetime) -> None:
    """Logout: revoke this one session (the cookie naming it is dead from now on)."""
    session.execute(
        update(LoginSession)
        .where(LoginSession.id == session_id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def end_all_sessions(*, session: Session, account_id: int) -> None:
    """Every session of the account ends at once (their token version is now stale)."""
    session.execute(
        update(Account)
        .where(Account.id == account_id)
        .values(token_version=Account.token_version + 1)
    )


# --- the login cookie -------------------------------------------------------------------------
def encode_session_cookie(*, session_id: str, key: str, expires_at: dt.datetime) -> str:
    """The cookie value: a JWT of the session id and its expiry (naive UTC), nothing else."""
    expiry = int(expires_at.replace(tzinfo=dt.UTC).timestamp())
    return jwt.encode({"sid": session_id, "exp": expiry}, key, algorithm=COOKIE_ALGORITHM)


def decode_session_cookie(token: str | None, *, key: str, now: dt.datetime) -> str | None:
    """The session id in a cookie we signed and that has not expired, else None (forged,
    tampered, signed with another key, expired, or not ours)."""
    if not token:
        return None
    try:
        payload = jwt.decode(
            token,
            key,
            algorithms=[COOKIE_ALGORITHM],
            options={"require": ["exp", "sid"], "verify_exp": False},
        )
    except jwt.PyJWTError:
        return None
    session_id = payload.get("sid")
    expiry = payload.get("exp")
    if not isinstance(session_id, str) or not isinstance(expiry, int):
        return None
    if expiry <= now.replace(tzinfo=dt.UTC).timestamp():
        return None
    return session_id


# --- lockout ----------------------------------------------------------------------------------
# Who is trying is the pair (account name, client). A client is the address the server sees
# (``client_address``); behind a proxy that is the proxy's unless the proxy is trusted
# (``settings.trusted_proxies``), so every owner behind a carrier NAT or an untrusted proxy is
# one client. Hence nothing a client does blocks another client:
# - 5 failures of one pair within 15 minutes block that pair for 15 minutes after the fifth;
#   refused attempts are not recorded as failures, so trying on does not extend the block;
# - an account's failures across all clients only slow its attempts down (at most 3 s each);
# - a client that tried 20 unknown account names within 15 minutes is blocked for 15 minutes
#   (a guesser of names, not of one account's password), whatever it tries next.
UNKNOWN_CLIENT = ""
PAIR_ATTEMPTS = 5
LOCKOUT_ATTEMPTS = PAIR_ATTEMPTS  # the name tests and older callers use
LOCKOUT_WINDOW = dt.timedelta(minutes=15)
UNKNOWN_NAME_ATTEMPTS = 20
DELAY_AFTER_ACCOUNT_FAILURES = 5  # an account's failures (any client) before attempts slow down
DELAY_STEP_S = 0.5
MAX_DELAY_S = 3.0
_IPV4_MAPPED = "::ffff:"


def normalise_address(address: str | None) -> str | None:
    """The address as one spelling: ``::ffff:a.b.c.d`` (an IPv4 client of a server listening on
    every address) is ``a.b.c.d``; IPv6 is written compressed and lower-case; the loopback
    addresses ``127.0.0.1`` and ``::1`` are None, as Streamlit reports them. Anything that is
    not an IP address is kept as written (a unix socket, say)."""
    if not address:
        return None
    text = address.strip()
    if text.lower().startswith(_IPV4_MAPPED) and "." in text:
        text = text[len(_IPV4_MAPPED) :]
    try:
        parsed = ipaddress.ip_address(text)
    except ValueError:
        return text
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped
    if str(parsed) in ("127.0.0.1", "::1"):
        return None
    return str(parsed)


def client_key_for(address: str | None, *, secret: str) -> str:
    """Who is trying, for the per-client counts: a keyed hash of the normalised address, never
    the address itself (64 hex characters). ``UNKNOWN_CLIENT`` when there is no address (the
    local machine, or no browser at all): those are one client, like any other address."""
    normalised = normalise_address(address)
    if normalised is None:
        return UNKNOWN_CLIENT
    return hmac.new(secret.encode("utf-8"), normalised.encode("utf-8"), hashlib.sha256).hexdigest()


def record_attempt(
    *, session: Session, username: str, client_key: str, now: dt.datetime, succeeded: bool
) -> None:
    session.add(
        LoginAttempt(
            username=username[:USERNAME_MAX_CHARS],
            client_key=client_key,
            attempted_at=now,
            succeeded=succeeded,
        )
    )
    session.flush()


def blocked_until(
    failures: Sequence[dt.datetime], *, threshold: int, window: dt.timedelta
) -> dt.datetime | None:
    """When the block ends that ``failures`` (any order) earn: ``window`` after the latest
    failure that completed ``threshold`` failures within ``window``; None if none did."""
    times = sorted(failures)
    ends = [
        times[i] + window
        for i in range(threshold - 1, len(times))
        if times[i] - times[i - threshold + 1] <= window
    ]
    return max(ends, default=None)


def is_locked(*, session: Session, username: str, client_key: str, now: dt.datetime) -> bool:
    """Whether this (account name, client) pair is blocked now, or the client is blocked for
    guessing account names. Failures before the pair's last success do not count."""
    username = username[:USERNAME_MAX_CHARS]
    since = now - 2 * LOCKOUT_WINDOW  # a block started by failures older than this has ended
    pair_failures = _failures_since_success(
        session,
        since,
        LoginAttempt.username == username,
        LoginAttempt.client_key == client_key,
    )
    end = blocked_until(pair_failures, threshold=PAIR_ATTEMPTS, window=LOCKOUT_WINDOW)
    if end is not None and end > now:
        return True
    unknown_names = session.scalars(
        select(LoginAttempt.attempted_at)
        .outerjoin(Account, Account.username == LoginAttempt.username)
        .where(
            LoginAttempt.client_key == client_key,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.attempted_at > since,
            Account.id.is_(None),
        )
    ).all()
    end = blocked_until(unknown_names, threshold=UNKNOWN_NAME_ATTEMPTS, window=LOCKOUT_WINDOW)
    return end is not None and end > now


def account_delay(*, session: Session, username: str, now: dt.datetime) -> float:
    """Seconds to wait before answering an attempt on this account name: nothing until it has
    failed ``DELAY_AFTER_ACCOUNT_FAILURES`` times (from any client, since its last success,
    within the window), then half a second more per failure, at most ``MAX_DELAY_S``. A delay,
    never a block: owners behind one address must not be locked out by a neighbour."""
    username = username[:USERNAME_MAX_CHARS]
    failures = _failures_since_success(
        session, now - LOCKOUT_WINDOW, LoginAttempt.username == username
    )
    extra = len(failures) - DELAY_AFTER_ACCOUNT_FAILURES + 1
    return 0.0 if extra <= 0 else min(MAX_DELAY_S, DELAY_STEP_S * extra)


def _failures_since_success(
    session: Session, since: dt.datetime, *who: ColumnElement[bool]
) -> list[dt.datetime]:
    """When the attempts matching ``who`` failed after ``since`` and after their last success."""
    last_success = session.scalar(
        select(func.max(LoginAttempt.attempted_at)).where(
            *who, LoginAttempt.succeeded.is_(True), LoginAttempt.attempted_at > since
        )
    )
    return list(
        session.scalars(
            select(LoginAttempt.attempted_at).where(
                *who,
                LoginAttempt.succeeded.is_(False),
                LoginAttempt.attempted_at > max(since, last_success or since),
            )
        )
    )


@dataclass(frozen=True)
class LoginOutcome:
    """What a login attempt gives: the new session id (None for every kind of failure) and
    how long to wait before showing the answer (``account_delay``; after the transaction, so
    no lock is held while waiting)."""

    session_id: str | None
    delay_s: float


def attempt_login(
    *,
    session: Session,
    username: str,
    password: str,
    client_key: str,
    now: dt.datetime,
    lifetime: dt.timedelta = SESSION_LIFETIME,
) -> LoginOutcome:
    """``authenticate`` plus the delay the account's failures before this attempt call for
    (the same for a right and a wrong password, so waiting tells nothing)."""
    name = username.strip().lower()
    delay = account_delay(session=session, username=name, now=now) if name and password else 0.0
    session_id = authenticate(
        session=session,
        username=username,
        password=password,
        client_key=client_key,
        now=now,
        lifetime=lifetime,
    )
    return LoginOutcome(session_id, delay)


def authenticate(
    *,
    session: Session,
    username: str,
    password: str,
    client_key: str,
    now: dt.datetime,
    lifetime: dt.timedelta = SESSION_LIFETIME,
) -> str | None:
    """A new session id for a correct login, else None — one answer for every failure (unknown
    name, wrong password, disabled or data-only account, empty field, blocked), each after
    exactly one bcrypt check. Call in one write transaction. Every checked attempt is recorded
    except a blocked one (it must not extend the block; it is logged for operators instead);
    an empty field is not an attempt: nothing is checked or recorded."""
    username = username.strip().lower()[:USERNAME_MAX_CHARS]
    if not username or not password:
        return None  # nothing was tried: not an attempt, and it tells nothing
    locked = is_locked(session=session, username=username, client_key=client_key, now=now)
    account = session.scalar(
        select(Account).where(Account.username == username, Account.is_active.is_(True))
    )
    candidate = account.password_hash if account is not None and not locked else timing_dummy_hash()
    matched = verify_password(password, candidate)
    if locked:
        _log.warning("login attempt refused while blocked (client %s…)", client_key[:8] or "local")
        return None
    ok = matched and account is not None
    record_attempt(session=session, username=username, client_key=client_key, now=now, succeeded=ok)
    if not ok or account is None:
        return None
    return start_session(session=session, account_id=account.id, now=now, lifetime=lifetime)


def unlock_account(*, session: Session, username: str) -> int:
    """Forget the account name's failed attempts (``manage.py users unlock``): its blocks and
    delay end now. Returns how many failures were forgotten. The name need not exist (a
    guessed name's failures can be cleared too)."""
    result = session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.username == username.strip().lower()[:USERNAME_MAX_CHARS],
            LoginAttempt.succeeded.is_(False),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class Pruned:
    attempts: int
    sessions: int


def prune_logins(*, session: Session, now: dt.datetime) -> Pruned:
    """Remove login attempts and dead sessions (expired, or ended by a logout or a password
    change) older than ``RETENTION``: the tables then hold what the last day and the live
    logins need, however many logins a season brings. Lockouts look back at most
    ``2 * LOCKOUT_WINDOW``, well inside the retention."""
    cutoff = now - RETENTION
    attempts = session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < cutoff))
    sessions = session.execute(
        delete(LoginSession).where(
            or_(LoginSession.expires_at < cutoff, LoginSession.revoked_at < cutoff)
        )
    )
    return Pruned(
        attempts=int(getattr(attempts, "rowcount", 0) or 0),
        sessions=int(getattr(sessions, "rowcount", 0) or 0),
    )


# --- user administration (manage.py users …) --------------------------------------------------
def create_user(
    *,
    session: Session,
    username: str,
    display_name: str,
    password: str,
    role: str,
    community_code: str,
    now: dt.datetime,
    phone: str = "",
) -> int:
    """A new active account; refuses a bad name, a taken name, a bad role or password, an
    unknown community. Returns the account id."""
    username = username.strip().lower()
    if not USERNAME_PATTERN.fullmatch(username):
        raise DomainError("users.username_invalid", username=username)
    if session.scalar(select(Account.id).where(Account.username == username)) is not None:
        raise DomainError("users.username_taken", username=username)
    _check_role(role)
    community_id = community_id_by_code(session=session, code=community_code)
    account = Account(
        username=username,
        display_name=(clean_text(display_name) or username)[:50],
        phone=phone,
        password_hash=hash_password(password),
        role=role,
        community_id=community_id,
        is_active=True,
        token_version=0,
        created_at=now,
    )
    session.add(account)
    session.flush()
    return account.id


def reset_password(*, session: Session, username: str, password: str) -> None:
    """New password; every session of the account ends (an attacker's too)."""
    check_password_rule(password)
    account = _account(session=session, username=username)
    account.password_hash = hash_password(password)
    session.flush()
    end_all_sessions(session=session, account_id=account.id)


def activate_user(*, session: Session, username: str, password: str) -> None:
    """Let an account log in with this password: a shadow owner account made by a connector
    (data_access.sync), or one disabled before."""
    reset_password(session=session, username=username, password=password)
    _account(session=session, username=username).is_active = True
    session.flush()


def set_role(*, session: Session, username: str, role: str) -> None:
    """Change the role; sessions end so nobody keeps pages of the old role open."""
    _check_role(role)
    account = _account(session=session, username=username)
    account.role = role
    session.flush()
    end_all_sessions(session=session, account_id=account.id)


def disable_user(*, session: Session, username: str) -> None:
    """The account can no longer log in, and its sessions end now."""
    account = _account(session=session, username=username)
    account.is_active = False
    session.flush()
    end_all_sessions(session=session, account_id=account.id)


def _account(*, session: Session, username: str) -> Account:
    account = session.scalar(select(Account).where(Account.username == username.strip().lower()))
    if account is None:
        raise DomainError("users.unknown", username=username)
    return account


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise DomainError("users.role_invalid", role=role, roles=", ".join(ROLES))
