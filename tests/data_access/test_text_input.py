"""Free text is stored without control characters (PostgreSQL refuses NUL outright) and without
invisible formatting characters (bidi overrides, zero-width characters) that disguise text."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from sqlalchemy.orm import Session

from data_access.accounts.login_security import create_user
from data_access.accounts.privacy import mask_names_in
from data_access.models import Account
from data_access.text_input import INVISIBLE, KEPT_FORMAT, clean_text
from tests.data_access import factories as f


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        (None, ""),
        ("  漏水\x00没修好 ", "漏水没修好"),
        ("第一行\r\n第二行\r第三行", "第一行\n第二行\n第三行"),
        ("表格\t对齐\x07\x1b[31m", "表格\t对齐[31m"),
        ("<b>原样</b> **保留**", "<b>原样</b> **保留**"),  # shown as text by the pages
    ],
)
def test_clean_text(raw: str | None, stored: str) -> None:
    assert clean_text(raw) == stored


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        pytest.param("\u202egnp.exe", "gnp.exe", id="right-to-left-override"),
        pytest.param("photo\u202egnp.exe", "photognp.exe", id="override-inside"),
        pytest.param("\u202a\u202b\u202c\u202d\u202e业主", "业主", id="embeddings-and-overrides"),
        pytest.param("\u2066\u2067\u2068\u2069整改", "整改", id="isolates"),
        pytest.param("\u200e\u200f\u061c漏水", "漏水", id="direction-marks"),
        pytest.param("张\u200b三", "张三", id="zero-width-space-in-a-name"),
        pytest.param("张\u200c三\u200d", "张三", id="zero-width-non-joiner-and-joiner"),
        pytest.param("\ufeff王\u2060五", "王五", id="bom-and-word-joiner"),
        pytest.param("李\u00ad四", "李四", id="soft-hyphen"),
        pytest.param("赵\u3164六", "赵六", id="hangul-filler"),
        pytest.param("\u200b \u200b", "", id="only-invisible"),
        pytest.param("abc\U000e0041\U000e0042", "abc", id="tag-characters"),
    ],
)
def test_invisible_characters_are_removed(raw: str, stored: str) -> None:
    assert clean_text(raw) == stored


@pytest.mark.parametrize(
    "text",
    [
        "3栋2单元门口的垃圾桶每天傍晚都满溢,请增加清运次数。",
        "「电梯」维修后仍异响——已反映3次!",
        "满意👍🏻 师傅很好😊",
        "❤️ 谢谢",  # the variation selector U+FE0F stays
        "Über-Café naïve",  # combining and precomposed Latin letters
        "مرحبا",  # right-to-left script itself is not a control
        "1️⃣ 第一",  # keycap sequence
    ],
)
def test_chinese_text_and_emoji_survive(text: str) -> None:
    assert clean_text(text) == text


def test_zero_width_joiner_is_kept_only_inside_an_emoji_sequence() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 👨‍👩‍👧
    coder = "\U0001f469\U0001f3fd\u200d\U0001f4bb"  # 👩🏽‍💻
    rainbow = "\U0001f3f3\ufe0f\u200d\U0001f308"  # 🏳️‍🌈
    for emoji in (family, coder, rainbow):
        assert clean_text(f"全家{emoji}满意") == f"全家{emoji}满意"
    assert clean_text("张\u200d三") == "张三"
    assert clean_text("\U0001f468\u200d三") == "\U0001f468三"  # an emoji, then a name
    assert clean_text("\U0001f468\u200d\u200d\U0001f469") == "\U0001f468\u200d\U0001f469"


def test_every_format_character_is_decided() -> None:
    """Each Unicode format character (category Cf) is removed unless it is one of the few
    visible signs in ``KEPT_FORMAT``; a newer Unicode in a newer Python is covered too."""
    fmt = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    assert fmt >= KEPT_FORMAT
    for ch in fmt - KEPT_FORMAT - {"\u200d"}:  # the joiner is decided by its neighbours
        assert clean_text(f"a{ch}b") == "ab", f"U+{ord(ch):04X}"
    for ch in KEPT_FORMAT:
        assert clean_text(f"a{ch}1") == f"a{ch}1", f"U+{ord(ch):04X}"
    # the documented list of bidi controls and zero-width characters
    listed = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E,
              0x200F, 0x061C, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}  # fmt: skip
    assert {chr(c) for c in listed} <= INVISIBLE


def test_a_zero_width_character_no_longer_defeats_name_masking() -> None:
    typed = "楼上张\u200b三家每天半夜装修"
    assert mask_names_in(typed, ["张三"]) == typed  # as typed, the name slips through
    assert "张三" not in mask_names_in(clean_text(typed), ["张三"])  # as stored, it is masked


def test_a_new_accounts_display_name_is_cleaned(session: Session) -> None:
    f.community(session, code="ZW")
    account_id = create_user(
        session=session, username="zhang_san", display_name="\u202e张\u200b三 ",
        password="good-password", role="owner", community_code="ZW", now=f.T0,
    )  # fmt: skip
    assert session.get_one(Account, account_id).display_name == "张三"
