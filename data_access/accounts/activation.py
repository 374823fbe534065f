"""One-time codes that open an account or recover a forgotten password.

A company onboards a community by importing its roster (``accounts.roster``): every owner gets
an account whose password nobody knows. ``issue_codes`` gives each a code for the letter under
their door (or the company's own mass message); ``redeem_code`` — the login page's 首次登录 /
忘记密码 — sets the password with it. A forgotten password is recovered with a short-lived code
sent through the person's first reachable channel (``request_password_code``, outbox event
``password_code``: urgent, whatever their choices).

- A code is 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), printed as
  ``ABCD-EFGH``; only an HMAC of it (keyed with the cookie key) is stored, so a copy of the
  database does not give the codes away.
- It works once; issuing a new code revokes the account's unused ones (a reprint makes the old
  letters worthless). An activation code lives ``ACTIVATION_DAYS``, a reset code
  ``RESET_MINUTES``.
- Trying a code is a login attempt: the same lockouts per account name and per client apply.
- Setting a password ends every session of the account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from data_access.accounts.auth import (
    UNUSABLE_PASSWORD_HASH,
    Viewer,
    check_password_rule,
    hash_password,
)
from data_access.accounts.login_security import end_all_sessions, is_locked, record_attempt
from data_access.communities import units_by_account
from data_access.errors import DomainError, NotAllowed
from data_access.models import PASSWORD_CODE, Account, ActivationCode, OwnerUnit, Unit
from data_access.outbox.enqueue import Tidings, write_messages
from data_access.outbox.settings import channel_settings

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_CHARS = 8
ACTIVATION_DAYS = 14
RESET_MINUTES = 15
RESETS_PER_HOUR = 3
OWNER_ROLES = ("owner", "committee")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_CHARS))


def shown(code: str) -> str:
    """``ABCDEFGH`` → ``ABCD-EFGH`` (how letters and messages print it)."""
    return f"{code[:4]}-{code[4:]}"


def normalised(typed: str) -> str:
    """What the person typed, as stored: upper case, without dashes or spaces."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())[: CODE_CHARS * 2]


def code_hash(code: str, key: str) -> str:
    return hmac.new(key.encode(), f"activation:{code}".encode(), hashlib.sha256).hexdigest()


def is_activated(account: Account) -> bool:
    return account.password_hash != UNUSABLE_PASSWORD_HASH


@dataclass(frozen=True)
class IssuedCode:
    """A code as the letter and the CSV print it (the code itself is never stored)."""

    account_id: int
    username: str
    display_name: str
    phone: str
    units: tuple[str, ...]  # "3栋1单元502"
    building: str  # the first unit's building: letters are sorted and split by it
    code: str
    expires_at: dt.datetime


def issue_codes(
    *,
    session: Session,
    viewer: Viewer,
    key: str,
    now: dt.datetime,
    account_ids: Sequence[int] | None = None,
    building_id: int | None = None,
    include_activated: bool = False,
    days: int = ACTIVATION_DAYS,
) -> list[IssuedCode]:
    """New activation codes for the community's owners (managers only): the given accounts, or
    every owner of a building, or of the community — by default only those not activated yet.
    Their unused codes are revoked. Sorted by building, entrance and room."""
    if not viewer.is_manager:
        raise NotAllowed("accounts.managers_only")
    query = select(Account).where(
        Account.community_id == viewer.community_id,
        Account.role.in_(OWNER_ROLES),
        Account.is_active.is_(True),
    )
    if account_ids is not None:
        query = query.where(Account.id.in_(list(account_ids)))
    if building_id is not None:
        in_building = select(OwnerUnit.account_id).join(Unit, Unit.id == OwnerUnit.unit_id)
        query = query.where(Account.id.in_(in_building.where(Unit.building_id == building_id)))
    accounts = [
        a for a in session.scalars(query) if include_activated or account_ids or not is_activated(a)
    ]
    if account_ids is not None and len(accounts) != len(set(account_ids)):
        raise DomainError("accounts.not_found")  # another community's, or not an owner's
    if not accounts:
        return []
    ids = [a.id for a in accounts]
    _revoke(session, ids, now)
    units = units_by_account(session, ids)
    expires = now + dt.timedelta(days=days)
    issued = []
    for account in accounts:
        code = new_code()
        session.add(ActivationCode(account_id=account.id, purpose="activate",
                                   code_hash=code_hash(code, key), created_at=now,
                                   expires_at=expires, created_by_id=viewer.account_id))  # fmt: skip
        own = units.get(account.id, [])
        issued.append(IssuedCode(
            account.id, account.username, account.display_name, account.phone,
            tuple(unit.label for unit in own), own[0].building if own else "", code, expires,
        ))  # fmt: skip
    session.flush()

    def by_first_unit(code: IssuedCode) -> tuple[object, ...]:
        own = units.get(code.account_id)
        first = (own[0].building, own[0].entrance, own[0].room) if own else ("~", 0, "")
        return (*first, code.username)

    return sorted(issued, key=by_first_unit)


def redeem_code(
    *,
    session: Session,
    username: str,
    code: str,
    password: str,
    client_key: str,
    now: dt.datetime,
    key: str,
) -> bool:
    """Set the password with a valid code; False for every failure alike (unknown name, wrong,
    used, revoked or expired code, locked out). Raises ``PasswordRuleError`` for a password
    the rules refuse, before anything is checked or recorded."""
    check_password_rule(password)
    name = username.strip().lower()[:64]
    typed = normalised(code)
    if not name or not typed:
        return False
    if is_locked(session=session, username=name, client_key=client_key, now=now):
        return False
    account = session.scalar(select(Account).where(Account.username == name,
                                                   Account.is_active.is_(True)))  # fmt: skip
    match = None
    if account is not None:
        digest = code_hash(typed, key)
        for row in session.scalars(
            select(ActivationCode).where(
                ActivationCode.account_id == account.id,
                ActivationCode.used_at.is_(None),
                ActivationCode.revoked_at.is_(None),
                ActivationCode.expires_at > now,
            )
        ):
            if hmac.compare_digest(row.code_hash, digest):
                match = row
    record_attempt(session=session, username=name, client_key=client_key, now=now,
                   succeeded=match is not None)  # fmt: skip
    if match is None or account is None:
        return False
    match.used_at = now
    _revoke(session, [account.id], now)
    account.password_hash = hash_password(password)
    session.flush()
    end_all_sessions(session=session, account_id=account.id)
    return True


def request_password_code(
    *, session: Session, username: str, client_key: str, now: dt.datetime, key: str
) -> None:
    """Send a reset code to the account's first reachable channel, if there is such an
    account and channel and it asked fewer than ``RESETS_PER_HOUR`` times this hour. Says
    nothing either way: the page tells everybody the same."""
    name = username.strip().lower()[:64]
    if not name or is_locked(session=session, username=name, client_key=client_key, now=now):
        return
    account = session.scalar(select(Account).where(Account.username == name,
                                                   Account.is_active.is_(True)))  # fmt: skip
    if account is None:
        return
    recent = session.scalar(
        select(func.count()).where(
            ActivationCode.account_id == account.id,
            ActivationCode.purpose == "reset",
            ActivationCode.created_at > now - dt.timedelta(hours=1),
        )
    )
    if (recent or 0) >= RESETS_PER_HOUR:
        return
    code = new_code()
    row = ActivationCode(account_id=account.id, purpose="reset", code_hash=code_hash(code, key),
                         created_at=now, expires_at=now + dt.timedelta(minutes=RESET_MINUTES))  # fmt: skip
    session.add(row)
    session.flush()
    tiding = Tidings(account.id, PASSWORD_CODE, f"{PASSWORD_CODE}:{row.id}", now, "", None,
                     "", "", str(RESET_MINUTES), shown(code), urgent=True)  # fmt: skip
    write_messages(session, [tiding], configured=channel_settings().configured, now=now)


def _revoke(session: Session, account_ids: list[int], now: dt.datetime) -> None:
    session.execute(
        update(ActivationCode)
        .where(
            ActivationCode.account_id.in_(account_ids),
            ActivationCode.used_at.is_(None),
            ActivationCode.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
