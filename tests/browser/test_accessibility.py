"""Accessibility (适老化, WCAG 2.1 AA; issue 19 point 11): every page of every role passes axe-core
with no serious or critical finding, except the few of Streamlit's own markup listed, each with
its reason, in ``axe_allowlist.toml``. No rule is switched off."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from tests.browser.conftest import log_in, wait_idle
from ui.navigation import PAGES

pytestmark = pytest.mark.browser

ALLOWED = tomllib.loads((Path(__file__).parent / "axe_allowlist.toml").read_text())["allow"]
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
ROLES = {"owner_a": "owner", "committee_a": "committee", "manager_a": "manager"}
STYLED = """() => [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
  .every(caption => getComputedStyle(caption).opacity === '1')"""


def excused(rule: str, html: str) -> bool:
    return any(entry["rule"] == rule and entry["html"] in html for entry in ALLOWED)


def test_the_allow_list_gives_a_reason_for_each_entry() -> None:
    assert ALLOWED and all(entry["why"].strip() and entry["html"] for entry in ALLOWED)


@pytest.mark.parametrize("username", list(ROLES))
def test_every_page_passes_axe(browser: Browser, app_url: str, username: str) -> None:
    axe = Axe()
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    log_in(page, app_url, username)
    found: list[str] = []
    for spec in PAGES:
        if ROLES[username] not in spec.roles or spec.hidden:
            continue
        page.goto(f"{app_url}/{'' if spec.default else spec.url_path}")
        wait_idle(page)
        page.wait_for_function(STYLED)  # the menu's style block has arrived (ui/menu.py)
        page.wait_for_timeout(500)
        for violation in axe.run(page, options=WCAG_AA).response["violations"]:
            if violation["impact"] not in ("serious", "critical"):
                continue
            found += [
                f"{spec.url_path}: {violation['id']} {node['html'][:100]}"
                for node in violation["nodes"]
                if not excused(violation["id"], node["html"])
            ]
    assert found == []
