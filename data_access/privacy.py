"""Masking of personal data in views that are not the person's own (DESIGN §2).

Names 张**, phones 138****1234, units 3栋2单元***. Managers see data unmasked where operations
need it; owners and the committee see other people masked.
"""

from __future__ import annotations

import re

from data_access.auth import Viewer

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
