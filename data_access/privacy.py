"""Masking of personal data in views that are not the person's own (DESIGN §2).

Names 张**, phones 138****1234, units 3栋2单元***. Managers see data unmasked where operations
need it; owners and the committee see other people masked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.auth import Viewer
from data_access.models import Account, Staff

_UNIT = re.compile(r"^(.*?单元)(.+)$")


def mask_name(name: str) -> str:
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_unit(label: str) -> str:
    """3栋2单元1201 → 3栋2单元***; anything else keeps only its first two characters."""
    if match := _UNIT.match(label):
        return f"{match[1]}***"
    return label[:2] + "***" if len(label) > 2 else "***"


def sees_unmasked(viewer: Viewer) -> bool:
    return viewer.is_manager


def person_for(viewer: Viewer, name: str) -> str:
    """A staff member's or another person's name as this viewer may see it."""
    return name if sees_unmasked(viewer) else mask_name(name)


# --- names typed into free text (issue 7) -------------------------------------------------------
# Staff write notes such as "已派单给黎家豪师傅": a masked actor column is not enough when the
# same name sits in the note. Every full name of the community's people is masked in such texts.
def mask_names_in(text: str, names: Iterable[str]) -> str:
    """``text`` with every occurrence of one of ``names`` (2 characters or more) masked."""
    return _names_pattern(names)(text)


def _names_pattern(names: Iterable[str], keep: str = "") -> Callable[[str], str]:
    """A function masking ``names`` in a text; an occurrence of ``keep`` (the viewer's own
    name) stays as written. The pattern is the same for everyone of a community, so ``re``
    compiles it once (a pattern per viewer, without their own name, was recompiled for every
    owner opening the Overview: a sixth of a new session's CPU in bench/concurrent.py)."""
    wanted = sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True)
    if not wanted:
        return lambda text: text
    pattern = re.compile("|".join(re.escape(n) for n in wanted))  # longest first
    keep = keep.strip()

    def masked(match: re.Match[str]) -> str:
        return match[0] if match[0] == keep else mask_name(match[0])

    return lambda text: pattern.sub(masked, text) if text else text


def text_masker(session: Session, viewer: Viewer) -> Callable[[str], str]:
    """A function masking, in free text, the names of the viewer's community's staff and
    accounts — all but the viewer's own. Managers see texts as written."""
    if sees_unmasked(viewer):
        return lambda text: text
    names = _community_names(session, viewer.community_id)
    own = session.scalar(select(Account.display_name).where(Account.id == viewer.account_id))
    return _names_pattern(names, keep=own or "")


def public_text_masker(
    session: Session, community_id: int, *, unmasked: bool = False
) -> Callable[[str], str]:
    """A function masking every name of the community's staff and accounts in free text: for
    a list that every owner and committee member of the community is shown alike (and so
    cached once per community), where a viewer's own name is masked too. ``unmasked``
    (managers' list): texts as written."""
    if unmasked:
        return lambda text: text
    return _names_pattern(_community_names(session, community_id))


def _community_names(session: Session, community_id: int) -> set[str]:
    staff = select(Staff.name).where(Staff.community_id == community_id)
    accounts = select(Account.display_name).where(Account.community_id == community_id)
    return set(session.scalars(staff)) | set(session.scalars(accounts))
