"""Every download button leaves the page as it is (docs/conventions.md): ``on_click="ignore"``."""

from __future__ import annotations

import ast

from tests.support.sources import ROOT, python_files


def download_calls() -> list[tuple[str, int, ast.Call]]:
    calls = []
    for path in python_files("pages", "ui"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "download_button"
            ):
                calls.append((str(path.relative_to(ROOT)), node.lineno, node))
    return calls


def ignores_the_click(call: ast.Call) -> bool:
    return any(
        keyword.arg == "on_click"
        and isinstance(keyword.value, ast.Constant)
        and keyword.value.value == "ignore"
        for keyword in call.keywords
    )


def test_no_download_reruns_the_page() -> None:
    calls = download_calls()
    assert len(calls) >= 11, "the scan found fewer download buttons than the pages have"
    assert [(path, line) for path, line, call in calls if not ignores_the_click(call)] == []
