"""Every UI string comes from the catalog, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from data_access import models
from i18n import translate
from i18n.catalog import CATALOG

ROOT = Path(__file__).resolve().parent.parent
KEY_USE = re.compile(
    r"""\b(?:t|translate|DomainError|DatabaseUnavailable|ConfigError|NotAllowed)\(\s*["']([a-z_]+\.[a-z_.]+)["']"""
)


def test_every_entry_has_both_languages() -> None:
    incomplete = [
        key for key, entry in CATALOG.items() if not entry.get("zh") or not entry.get("en")
    ]
    assert incomplete == []


def test_every_key_used_in_code_exists() -> None:
    used: set[str] = set()
    for folder in ("pages", "ui", "data_access", "reports", "app.py", "manage.py"):
        paths = [ROOT / folder] if folder.endswith(".py") else (ROOT / folder).rglob("*.py")
        for path in paths:
            used.update(KEY_USE.findall(path.read_text(encoding="utf-8")))
    assert used, "the pattern found no keys: it is broken"
    assert sorted(used - set(CATALOG)) == []


def test_every_code_has_a_label() -> None:
    # key pattern → the codes that must each have one
    vocabularies = {
        "role.{}": models.ROLES,
        "service_category.{}": models.SERVICE_CATEGORIES,
        "service_tier.{}": models.SERVICE_TIERS,
        "order_type.{}": models.WORK_ORDER_TYPES,
        "order_category.{}": models.WORK_ORDER_CATEGORIES,
        "priority.{}": models.PRIORITIES,
        "ticket_status.{}": models.TICKET_STATUSES,
        "announcement_kind.{}": models.ANNOUNCEMENT_KINDS,
        "announcement_issuer.{}": models.ANNOUNCEMENT_ISSUERS,
        "ledger_section.{}": models.LEDGER_SECTIONS,
        "ledger_category.{}": tuple(c for cs in models.LEDGER_CATEGORIES.values() for c in cs),
        "outbox.event_{}": models.OUTBOX_EVENT_TYPES,  # the settings page's rows
        "msg.{}": models.OUTBOX_EVENT_TYPES,  # the messages' headlines
    }
    missing = [
        pattern.format(code)
        for pattern, codes in vocabularies.items()
        for code in codes
        if pattern.format(code) not in CATALOG
    ]
    assert missing == []


def test_translate_formats_and_falls_back() -> None:
    assert translate("overview.my_units", "zh", units="1栋1单元101") == "我的房屋:1栋1单元101"
    assert translate("overview.my_units", "en", units="x") == "My home: x"
    assert translate("no.such.key", "en") == "no.such.key"


def test_streamlits_own_words_have_entries_whose_fields_the_pattern_fills() -> None:
    """ui.document_language: each rewrite's entry exists, and every ``{field}`` in it is a
    named group of the pattern that finds Streamlit's words (else it would print empty)."""
    from ui.document_language import REWRITES

    for rewrite in REWRITES:
        assert rewrite.key in CATALOG, rewrite.key
        groups = set(re.findall(r"\(\?<(\w+)>", rewrite.pattern))
        for language in ("zh", "en"):
            fields = set(re.findall(r"\{(\w+)\}", CATALOG[rewrite.key][language]))
            assert fields <= groups, (rewrite.key, language, fields - groups)


def test_the_language_script_survives_streamlits_sanitizer() -> None:
    """DOMPurify drops a script whose text holds "<" before a letter or "/" (the patterns'
    named groups do): the script must not."""
    from ui.document_language import script

    for language in ("zh", "en"):
        body = script(language).removeprefix("<script>").removesuffix("</script>")
        assert re.search(r"<[/\w]", body) is None
        assert "(?\\u003csize>" in body  # the named groups are there, written safely
