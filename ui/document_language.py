"""The language the browser document says it is in, and Streamlit's own words in it.

Streamlit serves every page as ``<html lang="en">``: a screen reader (VoiceOver on an owner's
phone) then reads a Chinese page with an English voice (WCAG 3.1.1, language of page). And its
widgets write their own words in English whatever the app's language: the keyboard hints under
a text input ("Press Enter to submit form"), the photo uploader every repair and rating
offers ("Upload", "10MB per file • JPG, PNG, WEBP", "Error: text/plain files are not allowed.",
"Remove photo.jpg" to a screen reader), the frame a screen reader reads on every page ("Skip
to main content", "Main menu", "Link to heading", "Help for …") and the dialog shown for a link
to a page the viewer has not ("Page not found").

A small script sets the document's ``lang`` and rewrites each of those words, wherever
Streamlit draws them, in the viewer's language from the catalog (``input_hint.*``,
``uploader.*``, ``frame.*``); anything else beside them, such as a hint's character count
("7/64"), is left as it is. It is sent when the session's language is not yet the one a completed run delivered:
once a session, and again after the viewer changes language.
"""

from __future__ import annotations

import functools
import json
from typing import NamedTuple

import streamlit as st

from i18n import translate
from ui.text import current_language

# The document's language, by the catalog's language code (BCP 47, as ``lang`` takes it).
HTML_LANG = {"zh": "zh-CN", "en": "en"}


class Rewrite(NamedTuple):
    """Streamlit's words matched by ``pattern`` (a JavaScript regular expression, its named
    groups filling the catalog entry's ``{name}`` fields) in the text of the elements
    ``selector`` finds, or in their ``attribute``, written as the catalog entry ``key``."""

    selector: str
    pattern: str
    key: str
    attribute: str | None = None


_HINT = '[data-testid="InputInstructions"] > span'
_UPLOADER = '[data-testid="stFileUploader"]'

# As Streamlit's components write them (Streamlit 1.5x; "⌘" instead of "Ctrl" on a Mac). A word Streamlit changes in a later version is shown as it
# comes: tests/browser/test_document_language.py then fails.
REWRITES = (
    Rewrite(_HINT, r"^Press Enter to apply$", "input_hint.enter_apply"),
    Rewrite(_HINT, r"^Press Enter to submit form$", "input_hint.enter_submit"),
    Rewrite(_HINT, r"^Press (?<key>Ctrl|⌘)\+Enter to apply$", "input_hint.key_enter_apply"),
    Rewrite(_HINT, r"^Press (?<key>Ctrl|⌘)\+Enter to submit form$", "input_hint.key_enter_submit"),
    Rewrite(
        f'{_UPLOADER} button [data-testid="stMarkdownContainer"] p', r"^Upload$", "uploader.upload"
    ),
    Rewrite(
        f'{_UPLOADER} [data-testid="stFileUploaderDropzoneInstructions"] span',
        r"^(?<size>\S+) per file • (?<types>.+)$",
        "uploader.limit_and_types",
    ),
    Rewrite(
        f'{_UPLOADER} [data-testid="stFileUploaderDropzoneInstructions"] span',
        r"^(?<size>\S+) per file$",
        "uploader.limit",
    ),
    Rewrite(
        f"{_UPLOADER} span, {_UPLOADER} div",
        r"^Drag and drop (?:files|a file) here$",
        "uploader.drop",
    ),
    Rewrite(
        f'{_UPLOADER} [role="alert"]',
        r"^Error: (?<type>.+) files are not allowed\.$",
        "uploader.type_refused",
    ),
    Rewrite(
        f'{_UPLOADER} [role="alert"]',
        r"^Error: File must be (?<size>\S+) or smaller\.$",
        "uploader.too_large",
    ),
    Rewrite(f'{_UPLOADER} [role="alert"]', r"^Error: Only one file is allowed\.$", "uploader.one"),
    Rewrite(f'{_UPLOADER} input[type="file"]', r"^file upload$", "uploader.input", "aria-label"),
    Rewrite(f"{_UPLOADER} button", r"^Add files$", "uploader.add", "aria-label"),
    Rewrite(f"{_UPLOADER} button", r"^Remove (?<name>.+)$", "uploader.remove", "aria-label"),
    # The page's frame, read out by a screen reader on every page.
    Rewrite('[data-testid="stSkipToContent"]', r"^Skip to main content$", "frame.skip"),
    Rewrite('[data-testid="stSidebar"]', r"^Sidebar$", "frame.sidebar", "aria-label"),
    Rewrite('[data-testid="stSidebarNav"]', r"^App pages$", "frame.pages", "aria-label"),
    Rewrite('[data-testid="stMainMenuButton"]', r"^Main menu$", "frame.main_menu", "aria-label"),
    Rewrite("button", r"^Expand sidebar$", "frame.expand_sidebar", "aria-label"),
    Rewrite("button", r"^Collapse sidebar$", "frame.collapse_sidebar", "aria-label"),
    Rewrite("a", r"^Link to heading$", "frame.heading_link", "aria-label"),
    Rewrite("button", r"^Help for (?<label>.+)$", "frame.help_for", "aria-label"),
    Rewrite("button", r"^Help$", "frame.help", "aria-label"),
    Rewrite("button", r"^Open$", "frame.open_options", "aria-label"),
    Rewrite("button", r"^(?:Close|Dismiss)$", "frame.close", "aria-label"),
    # A chart's or table's toolbar.
    Rewrite("button", r"^Show data$", "frame.show_data", "aria-label"),
    Rewrite("button", r"^Fullscreen$", "frame.fullscreen", "aria-label"),
    Rewrite("button", r"^(?:Exit|Close) fullscreen$", "frame.exit_fullscreen", "aria-label"),
    Rewrite("button", r"^Download as (?<format>PNG|SVG|CSV)$", "frame.download_as", "aria-label"),
    Rewrite("button", r"^Copy Vega-Lite spec$", "frame.copy_spec", "aria-label"),
    Rewrite("button", r"^Search$", "frame.search", "aria-label"),
    # A link to a page this viewer has not (an old link, another role's page): Streamlit opens
    # the home page and says so in a dialog.
    Rewrite('[role="dialog"] *', r"^Page not found$", "frame.page_not_found"),
    Rewrite(
        '[role="dialog"] *',
        r"^(?:The page that you have requested does not seem to exist|You have requested page "
        r"/(?<page>\S*), but no corresponding file was found in the app's pages/ directory)\. "
        r"Running the app's main page\.$",
        "frame.page_not_found_detail",
    ),
)

# For every element a rule's selector finds: the words as Streamlit wrote them are kept on the
# element (data-owner-source…) beside what they were rewritten to (data-owner-shown…), so a
# change of language rewrites from Streamlit's words, and words Streamlit writes anew are
# taken as the new source. Text is changed in the element's own text nodes only (never its
# child elements), the first node taking the words and any others emptied: React keeps those
# nodes and may update or remove them later.
_SCRIPT = """<script>
(() => {
  const doc = document;
  doc.documentElement.lang = __LANG__;
  doc.ownerDashboardRewrites = __REWRITES__.map(
    ([selector, pattern, words, attribute]) => [selector, new RegExp(pattern), words, attribute]);
  const textNodes = (el) => {
    const nodes = [...el.childNodes];
    return nodes.every((n) => n.nodeType === 3) ? nodes : [];
  };
  const rewrite = () => {
    for (const [selector, pattern, words, attribute] of doc.ownerDashboardRewrites) {
      const name = attribute ? "Attr" : "Text";
      doc.querySelectorAll(selector).forEach((el) => {
        const nodes = attribute ? null : textNodes(el);
        if (nodes !== null && nodes.length === 0) return;
        const current = attribute ? el.getAttribute(attribute) : el.textContent;
        if (current === null) return;
        const source = current === el.dataset["ownerShown" + name]
          ? el.dataset["ownerSource" + name] : current;
        const found = pattern.exec(source);
        if (!found) return;
        const groups = found.groups || {};
        const text = words.replace(/\\{(\\w+)\\}/g, (_, key) => groups[key] ?? "");
        el.dataset["ownerSource" + name] = source;
        el.dataset["ownerShown" + name] = text;
        if (current === text) return;
        if (attribute) {
          el.setAttribute(attribute, text);
        } else {
          nodes.forEach((node, i) => { node.nodeValue = i === 0 ? text : ""; });
        }
      });
    }
  };
  rewrite();
  if (doc.ownerDashboardRewriteWatch) return;
  // An element that only brought a script (this one, the page script) takes no room: its
  // container's gap pushed the login form down 16 px.
  const style = doc.createElement("style");
  style.textContent = '[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script:only-child) { display: none; }';
  doc.head.appendChild(style);
  doc.ownerDashboardRewriteWatch = new MutationObserver(rewrite);
  doc.ownerDashboardRewriteWatch.observe(doc.body, {childList: true, subtree: true, characterData: true});
})();
</script>"""

_DELIVERED = "_document_language_delivered"


@functools.cache
def script(language: str) -> str:
    """The script for ``language``, made once per process (the same for every session)."""
    # Each rewrite as [selector, pattern, words] or [selector, pattern, words, attribute].
    rules = [
        [rule.selector, rule.pattern, translate(rule.key, language)]
        + ([rule.attribute] if rule.attribute else [])
        for rule in REWRITES
    ]
    # "<" written as \u003c: Streamlit's sanitizer (DOMPurify) drops a script whose text holds
    # "<" before a letter or "/", as the named groups "(?<size>" do.
    rewrites = json.dumps(rules, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return _SCRIPT.replace("__LANG__", json.dumps(HTML_LANG[language])).replace(
        "__REWRITES__", rewrites
    )


def send() -> None:
    """Send the script unless a completed run already delivered it in this language."""
    language = current_language()
    if st.session_state.get(_DELIVERED) != language:
        st.html(script(language), unsafe_allow_javascript=True)


def delivered() -> None:
    """Called at the end of a run that completed (see ``ui.menu.page_script_delivered``)."""
    st.session_state[_DELIVERED] = current_language()
