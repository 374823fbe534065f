"""Accounts and passwords: the password rule, hashing and checking, the viewer.

The viewer (role, community, units) is read from the database on every page run; the login
cookie only names a server-side session (``data_access.accounts.login_security``), never what anyone may
do.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import bcrypt
from sqlalchemy import ColumnElement, Row, Select, select
from sqlalchemy.orm import Session

from data_access.errors import DomainError
from data_access.models import Account, Community, OwnerUnit
from data_access.timestamps import DEFAULT_TIME_ZONE

# The cost of every password hash this server writes (the test suite lowers it for speed: the
# cost is stored in each hash, so a check always runs at the cost the hash was written with).
BCRYPT_ROUNDS = 12
# bcrypt only looks at the first 72 bytes; longer passwords are refused rather than truncated.
PASSWORD_MAX_BYTES = 72
PASSWORD_MIN_CHARS = 8
# A hash that no password matches: for seeded accounts that are data, not logins.
UNUSABLE_PASSWORD_HASH = "!"


class PasswordRuleError(DomainError, ValueError):
    """A new password breaks the rule; the message says which part (shown as is)."""


def check_password_rule(password: str) -> None:
    """At least 8 characters and at most 72 bytes in UTF-8 (bcrypt ignores anything beyond,
    so a longer password is refused when it is set, never silently truncated)."""
    if len(password) < PASSWORD_MIN_CHARS:
        raise PasswordRuleError("users.password_too_short", min=PASSWORD_MIN_CHARS)
    size = len(password.encode("utf-8"))
    if size > PASSWORD_MAX_BYTES:
        raise PasswordRuleError("users.password_too_long", max=PASSWORD_MAX_BYTES, size=size)


def hash_password(password: str, *, rounds: int | None = None) -> str:
    check_password_rule(password)
    cost = BCRYPT_ROUNDS if rounds is None else rounds
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(cost)).decode("ascii")


def timing_dummy_hash() -> str:
    """A valid bcrypt hash, at the cost real ones are written with, of a random string nobody
    knows: checked against whenever there is no real hash to check (unknown user, data-only
    account, lockout, over-long password), so that every login attempt costs exactly one
    bcrypt check. Made once per process (and cost)."""
    return _dummy_hash(BCRYPT_ROUNDS)


@functools.cache
def _dummy_hash(rounds: int) -> str:
    secret = secrets.token_hex(16).encode("ascii")
    return bcrypt.hashpw(secret, bcrypt.gensalt(rounds)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    """Whether ``password`` matches; always exactly one bcrypt check, whatever the input.

    An unusable hash is replaced by the dummy one and an over-long password (which no stored
    hash can match: the rule refuses them) is cut to 72 bytes for the check and then refused,
    so neither case answers faster than a wrong password — nor crashes (bcrypt 5 raises on
    more than 72 bytes).
    """
    encoded = password.encode("utf-8")
    usable = password_hash.startswith("$2") and len(encoded) <= PASSWORD_MAX_BYTES
    checked = password_hash if password_hash.startswith("$2") else timing_dummy_hash()
    try:
        matched = bcrypt.checkpw(encoded[:PASSWORD_MAX_BYTES], checked.encode("ascii"))
    except ValueError:  # a malformed stored hash matches nothing
        matched = False
    return usable and matched


@dataclass(frozen=True)
class Viewer:
    """Who is looking: every query and command that depends on the person takes one."""

    account_id: int
    username: str
    display_name: str
    role: str
    community_id: int
    unit_ids: tuple[int, ...] = ()
    # The community's zone name: pages show its local dates and times in it.
    time_zone: str = DEFAULT_TIME_ZONE

    @property
    def is_owner(self) -> bool:
        return self.role == "owner"

    @property
    def is_committee(self) -> bool:
        return self.role == "committee"

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"


def load_viewer(
    *, session: Session, username: str | None = None, account_id: int | None = None
) -> Viewer | None:
    """The active account (by ``username`` or ``account_id``) as a viewer, or None if it is
    unknown or disabled."""
    if (username is None) == (account_id is None):
        raise TypeError("load_viewer takes exactly one of username, account_id")
    key = Account.username == username if account_id is None else Account.id == account_id
    return viewer_where(session, key)


def viewer_where(session: Session, *conditions: ColumnElement[bool]) -> Viewer | None:
    """The active account meeting ``conditions`` as a viewer, or None: one query for the
    account, its community's time zone and its units (a row per unit; every page run asks)."""
    rows = session.execute(
        viewer_select()
        .where(*conditions, Account.is_active.is_(True))
        .order_by(Account.id, OwnerUnit.unit_id)
    ).all()
    return viewer_of_rows(rows)


def viewer_select() -> Select[int, str, str, str, int, str, int]:
    """The columns a viewer is made of: the account, its community's time zone and its units
    (a row per unit), for ``viewer_of_rows``; callers add the conditions and the order."""
    return (
        select(Account.id, Account.username, Account.display_name, Account.role,
               Account.community_id, Community.time_zone, OwnerUnit.unit_id)
        .outerjoin(Community, Community.id == Account.community_id)
        .outerjoin(OwnerUnit, OwnerUnit.account_id == Account.id)
    )  # fmt: skip


def viewer_of_rows(rows: Sequence[Row[*tuple[Any, ...]]]) -> Viewer | None:
    """The viewer of the first account in rows of ``viewer_select`` ordered by account and unit."""
    if not rows:
        return None
    row = rows[0]
    unit_ids = tuple(r.unit_id for r in rows if r.id == row.id and r.unit_id is not None)
    return Viewer(
        account_id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        community_id=row.community_id,
        unit_ids=unit_ids,
        time_zone=row.time_zone or DEFAULT_TIME_ZONE,
    )
