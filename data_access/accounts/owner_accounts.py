"""The managers' accounts page (业主账号) and an owner's own password.

Managers find the community's owner accounts (by name, mobile, login name or room), see
whether each is opened (activated) and active, disable or re-enable one, and issue a new code
(``activation.issue_codes``) — a password is never typed in for somebody else
(``manage.py users reset-password`` stays for administrators). Every function checks the role
and the community on the server.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from data_access.accounts.activation import OWNER_ROLES, is_activated
from data_access.accounts.auth import Viewer, check_password_rule, hash_password, verify_password
from data_access.accounts.login_security import end_all_sessions
from data_access.communities import units_by_account
from data_access.errors import DomainError, NotAllowed
from data_access.models import Account, OwnerUnit, Unit

MAX_LISTED = 200


@dataclass(frozen=True)
class OwnerAccount:
    id: int
    username: str
    display_name: str
    phone: str
    units: tuple[str, ...]
    role: str
    activated: bool
    active: bool
    has_wechat: bool
    email: str


def find_accounts(
    *, session: Session, viewer: Viewer, text: str = "", state: str = "all"
) -> list[OwnerAccount]:
    """The community's owner accounts matching ``text`` (name, mobile, login name, room);
    ``state``: all, not_activated, activated, disabled. At most ``MAX_LISTED``."""
    if not viewer.is_manager:
        raise NotAllowed("accounts.managers_only")
    query = select(Account).where(
        Account.community_id == viewer.community_id, Account.role.in_(OWNER_ROLES)
    )
    text = text.strip()[:50]
    if text:
        like = f"%{text}%"
        in_room = (
            select(OwnerUnit.account_id)
            .join(Unit, Unit.id == OwnerUnit.unit_id)
            .where(Unit.community_id == viewer.community_id, Unit.room.like(like))
        )
        query = query.where(or_(Account.display_name.like(like), Account.phone.like(like),
                                Account.username.like(like), Account.id.in_(in_room)))  # fmt: skip
    accounts = list(session.scalars(query.order_by(Account.id).limit(MAX_LISTED * 5)))
    if state == "disabled":
        accounts = [a for a in accounts if not a.is_active]
    elif state == "activated":
        accounts = [a for a in accounts if a.is_active and is_activated(a)]
    elif state == "not_activated":
        accounts = [a for a in accounts if a.is_active and not is_activated(a)]
    accounts = accounts[:MAX_LISTED]
    units = units_by_account(session, [a.id for a in accounts])
    return [
        OwnerAccount(a.id, a.username, a.display_name, a.phone,
                     tuple(u.label for u in units.get(a.id, [])), a.role,
                     is_activated(a), a.is_active, bool(a.wechat_openid), a.email or "")
        for a in accounts
    ]  # fmt: skip


def set_account_active(*, session: Session, viewer: Viewer, account_id: int, active: bool) -> None:
    """Disable (its sessions end now) or re-enable an owner account of the community."""
    account = _owner_account(session, viewer, account_id)
    account.is_active = active
    session.flush()
    if not active:
        end_all_sessions(session=session, account_id=account.id)


def change_own_password(
    *, session: Session, viewer: Viewer, current: str, new: str, now: dt.datetime
) -> None:
    """The person's own new password, given the current one; every other session ends."""
    account = session.get(Account, viewer.account_id)
    if account is None or not account.is_active:
        raise DomainError("error.account_gone")
    if not verify_password(current, account.password_hash):
        raise DomainError("accounts.wrong_password")
    check_password_rule(new)
    account.password_hash = hash_password(new)
    session.flush()
    end_all_sessions(session=session, account_id=account.id)


def _owner_account(session: Session, viewer: Viewer, account_id: int) -> Account:
    if not viewer.is_manager:
        raise NotAllowed("accounts.managers_only")
    account = session.get(Account, account_id)
    if (
        account is None
        or account.community_id != viewer.community_id
        or account.role not in OWNER_ROLES
    ):
        raise DomainError("accounts.not_found")
    return account
