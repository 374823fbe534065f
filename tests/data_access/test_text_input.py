"""Free text is stored without control characters (PostgreSQL refuses NUL outright)."""

from __future__ import annotations

import pytest

from data_access.text_input import clean_text


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
