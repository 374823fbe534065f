"""Login security: server-side sessions, the signed login cookie, lockout, user administration.

streamlit-authenticator's own cookie is a signed {username, expiry}: it stays valid after logout
or a password change, and its lockout is only checked after a *correct* password. So here:

- A login creates a ``LoginSession`` row with a random id; the cookie is a JWT (HS256, the app's
  cookie key) holding only that id and an expiry — no role, no community. Every page run checks
  the row: not revoked, not expired, the account active and still on the ``token_version`` the
  session was issued under. Logout revokes the row; a password reset, role change or disabling
  bumps the account's ``token_version``, which ends every session of the account at once.
- Lockout: 5 failed attempts in 15 minutes per account name (known or not) or per client locks
  further attempts until the window has passed. A locked attempt is answered exactly like a wrong
  password, after the same single bcrypt check, so it tells nothing — not even that the password
  was right. A success clears the account-name count (not the client's: an attacker could
  otherwise reset it by logging in to an account of their own).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

import jwt
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from data_access.auth import (
    TIMING_DUMMY_HASH,
    Viewer,
    check_password_rule,
    hash_password,
    load_viewer,
    verify_password,
)
from data_access.communities import community_id_by_code
from data_access.errors import DomainError
from data_access.models import ROLES, Account, LoginAttempt, LoginSession

LOCKOUT_ATTEMPTS = 5
LOCKOUT_WINDOW = dt.timedelta(minutes=15)
SESSION_LIFETIME = dt.timedelta(days=7)
# last_seen_at is for operators ("who is logged in"), so a minute's precision is plenty.
LAST_SEEN_PRECISION = dt.timedelta(minutes=1)
# Attempts and dead sessions are kept this long (for operators), then pruned at the next login.
RETENTION = dt.timedelta(days=1)
COOKIE_ALGORITHM = "HS256"
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9_.-]{2,63}")
USERNAME_MAX_CHARS = 64


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
    """The account id if the session is alive, else None. Read only (every page run calls it;
    ``touch_session`` records activity separately, so a run never needs the write lock)."""
    return session.scalar(
        select(Account.id)
        .join(LoginSession, LoginSession.account_id == Account.id)
        .where(
            LoginSession.id == session_id,
            LoginSession.revoked_at.is_(None),
            LoginSession.expires_at > now,
            LoginSession.token_version == Account.token_version,
            Account.is_active.is_(True),
        )
    )


def session_viewer(*, session: Session, session_id: str, now: dt.datetime) -> Viewer | None:
    """The viewer of a live session, read from the database (role, community, units), or None."""
    account_id = check_session(session=session, session_id=session_id, now=now)
    return None if account_id is None else load_viewer(session=session, account_id=account_id)


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
UNKNOWN_CLIENT = ""


def client_key_for(address: str | None, *, secret: str) -> str:
    """Who is trying, for the per-client count: a keyed hash of the address, never the address
    itself (64 hex characters). ``UNKNOWN_CLIENT`` when Streamlit does not know the address:
    such clients are not counted together, or one guesser would lock every one of them out
    (the per-account count still applies to them)."""
    if not address:
        return UNKNOWN_CLIENT
    return hmac.new(secret.encode("utf-8"), address.encode("utf-8"), hashlib.sha256).hexdigest()


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


def is_locked(*, session: Session, username: str, client_key: str, now: dt.datetime) -> bool:
    """Whether ``LOCKOUT_ATTEMPTS`` failures happened within ``LOCKOUT_WINDOW`` for this account
    name (since its last success) or from this client. It expires by itself."""
    since = now - LOCKOUT_WINDOW
    username = username[:USERNAME_MAX_CHARS]
    last_success = session.scalar(
        select(func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.username == username,
            LoginAttempt.succeeded.is_(True),
            LoginAttempt.attempted_at > since,
        )
    )
    by_name = session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.username == username,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.attempted_at > max(since, last_success or since),
        )
    )
    if (by_name or 0) >= LOCKOUT_ATTEMPTS:
        return True
    if client_key == UNKNOWN_CLIENT:
        return False
    by_client = session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.client_key == client_key,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.attempted_at > since,
        )
    )
    return (by_client or 0) >= LOCKOUT_ATTEMPTS


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
    name, wrong password, disabled or data-only account, empty field, locked out), each after
    exactly one bcrypt check. Call in one write transaction; every attempt is recorded (an
    empty field is not an attempt: nothing is checked or recorded)."""
    username = username.strip().lower()[:USERNAME_MAX_CHARS]
    if not username or not password:
        return None  # nothing was tried: not an attempt, and it tells nothing
    _prune(session=session, now=now)
    locked = is_locked(session=session, username=username, client_key=client_key, now=now)
    account = session.scalar(
        select(Account).where(Account.username == username, Account.is_active.is_(True))
    )
    candidate = account.password_hash if account is not None and not locked else TIMING_DUMMY_HASH
    matched = verify_password(password, candidate)
    ok = matched and account is not None and not locked
    record_attempt(session=session, username=username, client_key=client_key, now=now, succeeded=ok)
    if not ok or account is None:
        return None
    return start_session(session=session, account_id=account.id, now=now, lifetime=lifetime)


def _prune(*, session: Session, now: dt.datetime) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < now - RETENTION))
    session.execute(delete(LoginSession).where(LoginSession.expires_at < now - RETENTION))


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
        display_name=(display_name.strip() or username)[:50],
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
