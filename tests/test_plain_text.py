"""User text inside Markdown is shown as typed (no links, images, colours or HTML)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ui.text import plain


@pytest.mark.parametrize(
    "text",
    [
        "![x](http://evil.example/p.png)",
        "[点我](javascript:alert(1))",
        ":red[假的红字] :material/home:",
        "<img src=x onerror=alert(1)>",
        "**粗体** _斜体_ `code` # 标题",
        "1. 列表\n- 项目",
        "$x^2$",
    ],
)
def test_plain_renders_exactly_the_text(text: str) -> None:
    at = AppTest.from_string(f"import streamlit as st\nst.markdown({plain(text)!r})").run()
    assert not at.exception
    rendered = at.markdown[0].value
    assert rendered == plain(text)
    # Every special character is escaped: nothing for Markdown to interpret.
    unescaped = [
        c
        for i, c in enumerate(rendered)
        if c in "[]()!*_`#<>:$" and (i == 0 or rendered[i - 1] != "\\")
    ]
    assert unescaped == []
