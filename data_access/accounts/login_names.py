"""An owner's login name, one rule for every way an owner account is made (the roster import,
an operational system's owners): the mobile number (mainland, 11 digits); if another account
already has it, the community's code in front (``c1-13812345678``); without a usable mobile
number, the caller's fallback (``<community code>-u<unit id>`` for a roster row,
``hc-<member id>`` for HC), which the activation letter prints."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.models import Account, Community

MOBILE = re.compile(r"^1[3-9]\d{9}$")
USERNAME_MAX = 64


def normalized_mobile(text: str) -> str:
    """``text`` as an 11-digit mainland mobile number ("" when it is not one)."""
    digits = re.sub(r"[\s-]", "", text or "").removeprefix("+86")
    return digits if MOBILE.match(digits) else ""


def owner_login_name(session: Session, community: Community, mobile: str, fallback: str) -> str:
    wanted = normalized_mobile(mobile) or fallback
    taken = session.scalar(select(Account.id).where(Account.username == wanted))
    return wanted if taken is None else f"{community.code.lower()}-{wanted}"[:USERNAME_MAX]
