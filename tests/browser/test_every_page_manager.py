"""The manager's walk over every page, on a phone and at a desk: the checks of
test_every_page.py (nothing leaves the origin, layout at both widths; axe-core at the desk —
its rules judge the markup and colours, which are the same at 390 px, and it was a third of
the walk's time)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, ViewportSize

from tests.browser.test_every_page import DESKTOP, PHONE, walk_every_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1366"])
# Longer than the suite's 300 s limit for one test: 20+ page visits with axe-core each took up to
# 300 s on a loaded CI machine (a hang still ends here).
@pytest.mark.timeout(600)
def test_every_manager_page_is_accessible_fits_and_stays_home(
    browser: Browser, app_url: str, served_folder: Path, viewport: ViewportSize
) -> None:
    walk_every_page(
        browser, app_url, served_folder, "manager_a", viewport, with_axe=viewport is DESKTOP
    )
