"""Accounts and passwords: hashing, the credentials streamlit-authenticator needs, the viewer.

The viewer (role, community, units) is read from the database on every page run; the login
cookie only says *who* logged in, never what they may do.
"""

from __future__ import annotations

from dataclasses import dataclass

import bcrypt
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.models import Account, OwnerUnit

BCRYPT_ROUNDS = 12
# bcrypt only looks at the first 72 bytes; longer passwords are refused rather than truncated.
PASSWORD_MAX_BYTES = 72
PASSWORD_MIN_CHARS = 8
# A hash that no password matches: for seeded accounts that are data, not logins.
UNUSABLE_PASSWORD_HASH = "!"


class PasswordRuleError(ValueError):
    pass


def check_password_rule(password: str) -> None:
    if len(password) < PASSWORD_MIN_CHARS:
        raise PasswordRuleError(f"password must have at least {PASSWORD_MIN_CHARS} characters")
    if len(password.encode("utf-8")) > PASSWORD_MAX_BYTES:
        raise PasswordRuleError(f"password must be at most {PASSWORD_MAX_BYTES} bytes in UTF-8")


def hash_password(password: str, *, rounds: int = BCRYPT_ROUNDS) -> str:
    check_password_rule(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    encoded = password.encode("utf-8")
    if not password_hash.startswith("$2") or len(encoded) > PASSWORD_MAX_BYTES:
        return False
    return bcrypt.checkpw(encoded, password_hash.encode("ascii"))


def load_credentials(*, session: Session) -> dict[str, dict[str, dict[str, object]]]:
    """Active accounts in the shape streamlit-authenticator expects (hashes, never passwords)."""
    accounts = session.scalars(
        select(Account).where(Account.is_active.is_(True), Account.password_hash.like("$2%"))
    )
    return {
        "usernames": {
            a.username: {
                "name": a.display_name,
                "password": a.password_hash,
                "email": f"{a.username}@invalid.local",
                "roles": [a.role],
            }
            for a in accounts
        }
    }


@dataclass(frozen=True)
class Viewer:
    """Who is looking: every query and command that depends on the person takes one."""

    account_id: int
    username: str
    display_name: str
    role: str
    community_id: int
    unit_ids: tuple[int, ...] = ()

    @property
    def is_owner(self) -> bool:
        return self.role == "owner"

    @property
    def is_committee(self) -> bool:
        return self.role == "committee"

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"


def load_viewer(*, session: Session, username: str) -> Viewer | None:
    """The active account ``username`` as a viewer, or None if it is unknown or disabled."""
    account = session.scalar(
        select(Account).where(Account.username == username, Account.is_active.is_(True))
    )
    if account is None:
        return None
    unit_ids = tuple(
        session.scalars(
            select(OwnerUnit.unit_id)
            .where(OwnerUnit.account_id == account.id)
            .order_by(OwnerUnit.unit_id)
        )
    )
    return Viewer(
        account_id=account.id,
        username=account.username,
        display_name=account.display_name,
        role=account.role,
        community_id=account.community_id,
        unit_ids=unit_ids,
    )
