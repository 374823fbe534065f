"""Free text from users, made safe to store: control and invisible characters removed.

PostgreSQL refuses NUL in text columns (the write would fail with a database error instead of
a message), and other control characters only hide or garble what the public board shows.
Line breaks and tabs stay; carriage returns become line breaks.

Invisible formatting characters are removed too: they make text read differently from what it
is. A right-to-left override turns ``"\\u202egnp.exe"`` into something that reads "exe.png", and
a zero-width space inside a name (``"张\\u200b三"``) hides the name from masking and from search.
What is removed (``INVISIBLE`` and every other format character, Unicode category "Cf"):

- bidi controls: U+202A–U+202E (embeddings, overrides, pop), U+2066–U+2069 (isolates),
  U+200E and U+200F (left-to-right and right-to-left marks), U+061C (Arabic letter mark);
- zero-width characters: U+200B (space), U+200C (non-joiner), U+200D (joiner, see below),
  U+2060 (word joiner), U+FEFF (byte order mark / zero-width no-break space);
- other invisible characters: U+00AD (soft hyphen), U+034F (combining grapheme joiner),
  U+180E (Mongolian vowel separator), U+2061–U+2064 (invisible operators), U+206A–U+206F
  (deprecated format controls), U+FFF9–U+FFFB (interlinear annotation), U+3164 and U+FFA0
  (Hangul fillers, which render as blank letters), U+E0001 and U+E0020–U+E007F (tags).

Kept (``KEPT_FORMAT``): the few format characters that are visible signs, written before digits
in Arabic, Syriac and Kaithi text (U+0600–U+0605, U+06DD, U+070F, U+0890, U+0891, U+08E2,
U+110BD, U+110CD). Right-to-left letters themselves, combining marks and variation selectors
(U+FE0F makes ❤ an emoji) are not format characters and stay.

The zero-width joiner U+200D is kept only where it joins two emoji (👨‍👩‍👧, 👩🏽‍💻, 🏳️‍🌈): between an
emoji (optionally with its skin tone or U+FE0F) and the next emoji. Anywhere else, such as
inside a name, it is removed. The tags that spell the flags of England, Scotland and Wales are
removed, so those flags show as a plain black flag 🏴: tags can also carry invisible text, and
three flags are not worth that.
"""

from __future__ import annotations

import unicodedata

_KEPT = {"\n", "\t"}
ZWJ = "\u200d"


def _chars(*spans: tuple[int, int]) -> frozenset[str]:
    return frozenset(chr(c) for first, last in spans for c in range(first, last + 1))


INVISIBLE = _chars(
    (0x202A, 0x202E), (0x2066, 0x2069), (0x200E, 0x200F), (0x061C, 0x061C),  # bidi controls
    (0x200B, 0x200D), (0x2060, 0x2060), (0xFEFF, 0xFEFF),  # zero-width characters
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x180E, 0x180E), (0x2061, 0x2064), (0x206A, 0x206F),
    (0xFFF9, 0xFFFB), (0x3164, 0x3164), (0xFFA0, 0xFFA0), (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)  # fmt: skip

KEPT_FORMAT = _chars(
    (0x0600, 0x0605), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2),
    (0x110BD, 0x110BD), (0x110CD, 0x110CD),
)  # fmt: skip

_SKIN_TONES = _chars((0x1F3FB, 0x1F3FF))
_EMOJI_PRESENTATION = "\ufe0f"


def _removed(ch: str) -> bool:
    if ch in _KEPT:
        return False
    if ch in INVISIBLE:
        return True
    category = unicodedata.category(ch)
    return category == "Cc" or (category == "Cf" and ch not in KEPT_FORMAT)


def _is_emoji(ch: str) -> bool:
    return unicodedata.category(ch) == "So"


def _ends_emoji(ch: str) -> bool:
    return _is_emoji(ch) or ch in _SKIN_TONES or ch == _EMOJI_PRESENTATION


def clean_text(value: str | None) -> str:
    """``value`` without control and invisible characters (``None`` → ""), stripped at both
    ends; a zero-width joiner survives only between two emoji."""
    if not value:
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    kept: list[str] = []
    last = len(value) - 1
    for i, ch in enumerate(value):
        if ch == ZWJ:
            if kept and _ends_emoji(kept[-1]) and i < last and _is_emoji(value[i + 1]):
                kept.append(ch)
        elif not _removed(ch):
            kept.append(ch)
    return "".join(kept).strip()
