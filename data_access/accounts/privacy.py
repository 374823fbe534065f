"""Masking of personal data in views that are not the person's own.

Names 张**, phones 138****1234, units 3栋2单元***. Managers see data unmasked where operations
need it; owners and the committee see other people masked.

Free text (ticket titles, descriptions, notes, rating comments and replies) is masked by one
function, ``mask_personal_data``, joined with the community's names by ``text_masker`` (one
viewer) and ``public_text_masker`` (a list shared by a whole community).

A ticket opened from a rating of an in-home (private) order, and that rating, are as private as
the order: ``redacts_private`` says who sees only their category, building, status, deadlines and
the company's progress notes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.models import Account, RectificationTicket, Staff, WorkOrder
from i18n import translate

_UNIT = re.compile(r"^(.*?单元)(.+)$")

# The title shown instead of a redacted ticket's or rating's (see ``redacts_private``).
PRIVATE_TITLE_KEY = "board.private_ticket_title"


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


# --- personal data typed into free text ----------------------------------------------------------
# Every number pattern is bounded: it never starts right after a Latin letter or a digit (nor
# after "X-" as in IMP-13800138000) and never ends before a digit, so it cannot match inside an
# order or ticket code (BX20261124001, ZGD20261124001), a longer digit run or another pattern.
_NOT_AFTER = r"(?<![0-9A-Za-z])(?<![0-9A-Za-z]-)"
# e-mail: the first character of the name stays, then ***@domain.
_EMAIL = re.compile(
    r"(?<![0-9A-Za-z._%+-])([0-9A-Za-z])[0-9A-Za-z._%+-]*"
    r"(@[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*\.[A-Za-z]{2,})"
)
# 18-digit resident ID (17 digits and a check digit or X): the first 6 (the place) and the last
# 4 stay, 110101********1234.
_ID_NUMBER = re.compile(_NOT_AFTER + r"(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
# Mainland mobile, also +86 / 0086 and written in groups (138 0013 8000, 138-0013-8000):
# 138****8000, the prefix kept as written.
_MOBILE = re.compile(_NOT_AFTER + r"((?:\+|00)86[\s-]?)?(1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)")
# Landline with its area code (021-12345678, 0571 88886666, (021)12345678): the area code and
# the last 2 digits stay, 021-******78; an extension after it (-8001, 转8001) is left as is.
_LANDLINE = re.compile(_NOT_AFTER + r"(\(0\d{2,3}\)\s?|0\d{2,3}[\s-])(\d{5,6})(\d{2})(?!\d)")
# An exact room: 3栋2单元1201, 3号楼2单元1201室, 3幢1201, 2单元1201 → the building and unit stay,
# the room is ***. A number followed by 层/楼/米… (3栋12层) is not a room.
_ROOM = re.compile(
    r"(?<![0-9A-Za-z])"
    r"(\d{1,3}\s*(?:号楼|栋|幢|座)\s*(?:\d{1,2}\s*单元\s*)?|\d{1,2}\s*单元\s*)"
    r"\d{3,4}(?:室|号)?(?![\d层楼米元天个次%.:：])"
)
# A room written alone: 1201室.
_ROOM_ALONE = re.compile(r"(?<![0-9A-Za-z.*])\d{3,4}(室)")


def mask_personal_data(text: str, keep_phones: Iterable[str] = ()) -> str:
    """``text`` with the personal data typed into it masked: e-mail addresses (z***@example.com),
    18-digit ID numbers (110101********1234), mobile numbers (138****8000), landlines
    (021-******78) and exact rooms (3栋2单元***, ***室). Phones whose digits are one of
    ``keep_phones`` (the viewer's own) stay as written.

    Never touched: order and ticket codes, dates (2026-11-24, 2026年11月24日, 20261124),
    times (14:30), amounts (¥1,234.50, 1234.5元) and other numbers."""
    if not text:
        return text
    kept = {re.sub(r"\D", "", p)[-11:] for p in keep_phones if p}

    def mobile(match: re.Match[str]) -> str:
        if re.sub(r"\D", "", match[0])[-11:] in kept:
            return match[0]
        return f"{match[1] or ''}{match[2]}****{match[3]}"

    def landline(match: re.Match[str]) -> str:
        if re.sub(r"\D", "", match[0]) in kept:
            return match[0]
        return f"{match[1]}{'*' * len(match[2])}{match[3]}"

    text = _EMAIL.sub(lambda m: f"{m[1]}***{m[2]}", text)
    text = _ID_NUMBER.sub(lambda m: f"{m[1]}********{m[2][-4:]}", text)
    text = _MOBILE.sub(mobile, text)
    text = _LANDLINE.sub(landline, text)
    text = _ROOM.sub(lambda m: f"{m[1]}***", text)
    return _ROOM_ALONE.sub(lambda m: f"***{m[1]}", text)


# --- names typed into free text (issue 7) -------------------------------------------------------
# Staff write notes such as "已派单给黎家豪师傅": a masked actor column is not enough when the
# same name sits in the note. Every full name of the community's people is masked in such texts.
def mask_names_in(text: str, names: Iterable[str]) -> str:
    """``text`` with every occurrence of one of ``names`` (2 characters or more) masked."""
    return _names_pattern(names)(text)


@functools.lru_cache(maxsize=256)
def _alternatives(names: frozenset[str]) -> re.Pattern[str] | None:
    """One pattern matching any of ``names`` (two characters or more), longest first; kept per
    set of names (a community's ~300 names were escaped and joined for every new viewer)."""
    wanted = sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True)
    if not wanted:
        return None
    return re.compile("|".join(re.escape(n) for n in wanted))


def _names_pattern(names: Iterable[str], keep: str = "") -> Callable[[str], str]:
    """A function masking ``names`` in a text; an occurrence of ``keep`` (the viewer's own
    name) stays as written. The pattern is the same for everyone of a community, so ``re``
    compiles it once (a pattern per viewer, without their own name, was recompiled for every
    owner opening the Overview: a sixth of a new session's CPU in bench/concurrent.py)."""
    pattern = _alternatives(frozenset(names))
    if pattern is None:
        return lambda text: text
    keep = keep.strip()

    def masked(match: re.Match[str]) -> str:
        return match[0] if match[0] == keep else mask_name(match[0])

    return lambda text: pattern.sub(masked, text) if text else text


def text_masker(session: Session, viewer: Viewer) -> Callable[[str], str]:
    """A function masking, in free text, the personal data (``mask_personal_data``) and the
    names of the viewer's community's staff and accounts — all but the viewer's own name and
    phone. Managers see texts as written."""
    if sees_unmasked(viewer):
        return lambda text: text
    own = session.execute(
        select(Account.display_name, Account.phone).where(Account.id == viewer.account_id)
    ).first()
    own_name, own_phone = own if own is not None else ("", "")
    names = _names_pattern(community_names(session, viewer.community_id), keep=own_name or "")
    phones = (own_phone,) if own_phone else ()
    return lambda text: names(mask_personal_data(text, phones)) if text else text


def public_text_masker(
    session: Session, community_id: int, *, unmasked: bool = False
) -> Callable[[str], str]:
    """A function masking the personal data and every name of the community's staff and
    accounts in free text: for a list that every owner and committee member of the community
    is shown alike (and so cached once per community), where a viewer's own data is masked
    too. ``unmasked`` (managers' list): texts as written."""
    if unmasked:
        return lambda text: text
    names = _names_pattern(community_names(session, community_id))
    return lambda text: names(mask_personal_data(text)) if text else text


def community_names(session: Session, community_id: int) -> set[str]:
    """The names of the community's staff and accounts: what free text must not reveal."""
    staff = select(Staff.name).where(Staff.community_id == community_id)
    accounts = select(Account.display_name).where(Account.community_id == community_id)
    return set(session.scalars(staff)) | set(session.scalars(accounts))


# --- tickets and ratings of in-home orders ---------------------------------------------------------
def redacts_private(private: bool, *, unmasked: bool, own: bool = False) -> bool:
    """Whether a ticket opened from a rating of an in-home order (``private``), or that rating,
    is shown redacted: only its category, building (not the unit), status, deadlines and the
    company's progress notes; its title reads ``private_title()``; its description, place,
    comment, reply, the owner's notes and every photo are hidden.

    Everyone but managers (``unmasked``) and its owner (``own``) sees it so. A list shared by a
    whole community passes ``own=False``: owners see their own ticket in full only where it is
    read for them alone (the board, the ticket's page)."""
    return private and not unmasked and not own


def redacts_private_for(viewer: Viewer, private: bool, owner_id: int | None) -> bool:
    """``redacts_private`` for one viewer and the ticket's or rating's owner."""
    own = owner_id is not None and owner_id == viewer.account_id
    return redacts_private(private, unmasked=sees_unmasked(viewer), own=own)


def private_title(lang: str = "zh") -> str:
    """The neutral title of a redacted ticket or rating."""
    return translate(PRIVATE_TITLE_KEY, lang)


def ticket_of_private_order() -> ColumnElement[bool]:
    """SQL, correlated to ``RectificationTicket``: the ticket belongs to an in-home order."""
    return (
        exists()
        .where(WorkOrder.id == RectificationTicket.work_order_id, WorkOrder.visibility == "private")
        .correlate(RectificationTicket)
    )
