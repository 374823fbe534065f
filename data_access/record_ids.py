"""Record ids that arrive as text (a link's ``?id=``): one reading rule for every page.

An id is a plain ASCII decimal number from 1 to 2^31 − 1 (ids are 32-bit integers in
PostgreSQL). Python's ``str.isdigit`` and ``int`` also accept superscripts (``²``), Arabic-Indic
digits (``١٢``), full-width digits, signs, spaces and underscores — each of which either crashed
a page or opened another record — so none of them is an id here.
"""

from __future__ import annotations

import re

MAX_RECORD_ID = 2**31 - 1
_PLAIN_ID = re.compile(r"[1-9][0-9]{0,9}")


def parse_record_id(raw: object) -> int | None:
    """The id written in ``raw``, or None when it is not a plain ASCII id in range."""
    if not isinstance(raw, str) or not _PLAIN_ID.fullmatch(raw):
        return None
    value = int(raw)
    return value if value <= MAX_RECORD_ID else None


def is_record_id(value: int) -> bool:
    """Whether ``value`` can be a record's id (commands refuse others as "not found")."""
    return 0 < value <= MAX_RECORD_ID
