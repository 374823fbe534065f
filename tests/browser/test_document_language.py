"""The document says which language it is in, and Streamlit's own words are in it.

Streamlit serves ``<html lang="en">`` (a screen reader read the Chinese page with an English
voice), writes "Press Enter to submit form" under a text input, and "Upload", "10MB per file •
JPG, PNG, WEBP" in the photo uploader, in English on a Chinese page (ui.document_language).
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.conftest import log_in, menu_link, wait_idle

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1366, "height": 900}
HINTS = "[data-testid=InputInstructions]"
UPLOADER = "[data-testid=stFileUploader]"


def switch_language(page: Page, current_label: str, language: str) -> None:
    picker = page.get_by_label(current_label, exact=True)
    # Scrolled to first: the sidebar's picker sits below the fold, and a list that opens while
    # the sidebar scrolls closes again (as a person scrolls down, then taps).
    picker.scroll_into_view_if_needed()
    picker.click()
    page.get_by_role("option", name=language).click()
    wait_idle(page)


def test_the_login_page_is_chinese_to_a_screen_reader_and_english_once_chosen(
    browser: Browser, app_url: str
) -> None:
    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    page.goto(app_url)
    wait_idle(page)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    page.get_by_role("textbox", name="用户名").fill("owner_a")
    form = page.get_by_test_id("stForm").first
    # Streamlit's hint, in the page's language; the count beside it (7 of 64 characters) kept.
    expect(form.locator(HINTS)).to_contain_text("按回车键提交")
    expect(form.locator(HINTS)).to_contain_text("7/64")
    expect(page.get_by_text("Press Enter", exact=False)).to_have_count(0)

    switch_language(page, "语言 / Language", "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("textbox", name="Username").fill("owner")
    expect(form.locator(HINTS)).to_contain_text("Press Enter to submit form")
    expect(page.get_by_text("按回车键", exact=False)).to_have_count(0)


def test_the_repair_form_speaks_chinese_down_to_the_photo_uploader(
    browser: Browser, app_url: str, tmp_path: Path
) -> None:
    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    log_in(page, app_url, "owner_a")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.locator("[data-testid=stExpandSidebarButton]").click()
    menu_link(page, "我要报修").click()
    wait_idle(page)

    page.get_by_label("问题描述").fill("楼道灯不亮")
    expect(page.locator(HINTS).filter(has_text="5/1000")).to_contain_text("+回车键提交")
    uploader = page.locator(UPLOADER)
    expect(uploader.get_by_role("button", name="上传", exact=True)).to_be_visible()
    expect(uploader).to_contain_text("每个文件不超过 10MB · JPG, PNG, WEBP")
    expect(uploader.locator("input[type=file]")).to_have_attribute("aria-label", "选择文件上传")

    # A file the form does not take: Streamlit's refusal, in Chinese, to the eye and to a
    # screen reader (the chip's remove button).
    note = tmp_path / "说明.txt"
    note.write_text("不是照片")
    uploader.locator("input[type=file]").set_input_files(note)
    expect(uploader.get_by_role("alert")).to_have_text("错误:不接受这种类型的文件(text/plain)。")
    expect(uploader.get_by_role("button", name="移除 说明.txt")).to_be_visible()
    expect(uploader.get_by_role("button", name="添加文件")).to_be_visible()
    expect(page.get_by_text("Enter to submit", exact=False)).to_have_count(0)
    expect(page.get_by_text("not allowed", exact=False)).to_have_count(0)


def test_changing_language_rewrites_what_was_already_drawn(browser: Browser, app_url: str) -> None:
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    log_in(page, app_url, "owner_a")
    menu_link(page, "我要报修").click()
    wait_idle(page)
    uploader = page.locator(UPLOADER)
    expect(uploader.get_by_role("button", name="上传", exact=True)).to_be_visible()

    switch_language(page, "语言 / Language", "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(uploader.get_by_role("button", name="Upload", exact=True)).to_be_visible()
    expect(uploader).to_contain_text("10MB per file • JPG, PNG, WEBP")

    switch_language(page, "Language / 语言", "简体中文")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(uploader).to_contain_text("每个文件不超过 10MB · JPG, PNG, WEBP")


def test_the_frame_reads_in_chinese_and_a_page_not_open_to_an_owner_is_explained(
    browser: Browser, app_url: str
) -> None:
    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    log_in(page, app_url, "owner_a")
    # What a screen reader says of Streamlit's frame on every page.
    expect(page.get_by_role("link", name="跳到正文")).to_be_attached()
    expect(page.get_by_role("button", name="主菜单")).to_be_visible()
    expect(page.get_by_role("button", name="展开侧边栏(菜单)")).to_be_visible()
    expect(page.get_by_role("navigation", name="页面导航")).to_be_attached()
    expect(page.get_by_role("link", name="本节的链接").first).to_be_attached()

    # The manager's desk, asked for by an owner (an old or forwarded link).
    page.goto(f"{app_url}/manager-desk")
    wait_idle(page)
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="找不到这个页面")).to_be_visible()
    expect(dialog).to_contain_text("你打开的页面不存在,或你的账号不能查看。已为你打开首页。")
    dialog.get_by_role("button", name="关闭").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_text("Page not found")).to_have_count(0)
