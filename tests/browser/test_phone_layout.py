"""Every page on a phone (390 px, issue 19 point 8): nothing scrolls sideways, no fixed bar
covers a control, headings break between words (not inside one), and the overview's KPI cards
sit two per row."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import log_in, wait_idle
from ui.navigation import PAGES

pytestmark = pytest.mark.browser

ROLES = {"owner_a": "owner", "manager_a": "manager"}

SIDEWAYS = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const wide = [document.documentElement, main].filter(e => e && e.scrollWidth > e.clientWidth + 1);
  return wide.map(e => `${e.tagName}: ${e.scrollWidth} > ${e.clientWidth}`);
}"""

# A control whose centre, once scrolled to the middle of the screen, is another element's (a
# fixed bar drawn over it) is covered. Controls shown only on hover (a heading's anchor, a code
# block's copy button: transparent until then) are not looked at.
COVERED = """async () => {
  const controls = [...document.querySelectorAll(
    '[data-testid=stMain] button, [data-testid=stMain] input, [data-testid=stMain] textarea, '
    + '[data-testid=stMain] [role=radio], [data-testid=stMain] a')]
    .filter(e => e.offsetParent !== null && e.getBoundingClientRect().width > 0)
    .filter(e => ![e, e.parentElement].some(x => x && getComputedStyle(x).opacity === '0'))
    .filter(e => !e.closest('h1, h2, h3, h4, h5, h6') || e.tagName !== 'A')
    .filter(e => !e.closest('[data-testid=stElementToolbar], details:not([open])'))
    .filter(e => e.getBoundingClientRect().width > 2 && e.getBoundingClientRect().height > 2)
    .filter(e => !(e.tagName === 'INPUT' && ['radio', 'checkbox'].includes(e.type)));  // drawn by their label
  const covered = [];
  for (const control of controls.slice(0, 60)) {
    control.scrollIntoView({block: 'center'});
    await new Promise(r => requestAnimationFrame(r));
    const box = control.getBoundingClientRect();
    const x = box.left + Math.min(box.width / 2, 20), y = box.top + Math.min(box.height / 2, 10);
    const top = document.elementFromPoint(x, y);
    if (top && !control.contains(top) && !top.contains(control)) {
      covered.push(`${control.tagName} "${(control.innerText || control.ariaLabel || '').slice(0, 30)}" under ${top.getAttribute('data-testid') || top.tagName}`);
    }
  }
  return covered;
}"""

MID_WORD = """() => [...document.querySelectorAll('[data-testid=stMain] h1, [data-testid=stMain] h2, [data-testid=stMain] h3')]
  .filter(h => getComputedStyle(h).wordBreak !== 'keep-all')
  .map(h => h.innerText.slice(0, 30))"""


def walk(page: Page, app_url: str, role: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for spec in PAGES:
        if role not in spec.roles or spec.hidden:
            continue
        page.goto(f"{app_url}/{'' if spec.default else spec.url_path}")
        wait_idle(page)
        page.wait_for_timeout(500)
        found = [*page.evaluate(SIDEWAYS), *page.evaluate(COVERED), *page.evaluate(MID_WORD)]
        if found:
            problems[spec.url_path] = found
    return problems


@pytest.mark.parametrize("username", list(ROLES))
def test_every_page_fits_a_phone(browser: Browser, app_url: str, username: str) -> None:
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(page, app_url, username)
    problems = walk(page, app_url, ROLES[username])
    assert problems == {}


def test_kpi_cards_sit_two_per_row_on_a_phone(browser: Browser, app_url: str) -> None:
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(page, app_url, "owner_a")
    cards = page.locator(".st-key-kpi_cards [data-testid=stVerticalBlock][class*=st-key-kpi_card_]")
    tops = [round(cards.nth(i).bounding_box()["y"]) for i in range(cards.count())]  # type: ignore[index]
    assert len(tops) == 6
    assert tops[0] == tops[1] and tops[2] == tops[3] and tops[4] == tops[5]
    assert tops[0] < tops[2] < tops[4]
