"""History is append-only: order events, ticket events and rating edits are inserted, then only
read. The ORM refuses to change or delete one, and no code issues a bulk UPDATE or DELETE on
their tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.models import APPEND_ONLY_MODELS, AppendOnlyError, TicketEvent, WorkOrderEvent
from tests.data_access import factories as f
from tests.support.sources import ROOT, check_scanned, python_files

FOLDERS = ("data_access", "seed", "simulator", "ui", "pages")
CODE = [*python_files(*FOLDERS), ROOT / "manage.py", ROOT / "app.py"]


def bulk_writes_on_history(source: str) -> list[str]:
    names = "|".join(m.__name__ for m in APPEND_ONLY_MODELS)
    tables = "|".join(m.__tablename__ for m in APPEND_ONLY_MODELS)
    pattern = re.compile(
        rf"\b(?:update|delete)\(\s*(?:{names})\b|\b(?:UPDATE|DELETE\s+FROM)\s+(?:{tables})\b"
    )
    return pattern.findall(source)


def test_the_scan_finds_a_bulk_write() -> None:
    assert bulk_writes_on_history("session.execute(update(TicketEvent).values(note=''))")
    assert bulk_writes_on_history('conn.exec_driver_sql("DELETE FROM work_order_events")')
    assert not bulk_writes_on_history("session.execute(update(RectificationTicket))")


@pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_code_rewrites_history(path: Path) -> None:
    assert bulk_writes_on_history(path.read_text(encoding="utf-8")) == []


def test_the_scan_reads_every_package() -> None:
    check_scanned(CODE, *FOLDERS)


def test_changing_or_deleting_an_event_is_refused(session: Session) -> None:
    community = f.community(session)
    f.order_at_stage(session, community, stage="accepted")
    f.rectification_ticket(
        session, community, moves=(("accepted", f.T0),)
    )  # two ticket events: opened, accepted
    session.commit()

    order_event = session.scalars(select(WorkOrderEvent)).first()
    assert order_event is not None
    order_event.note = "改写历史"
    with pytest.raises(AppendOnlyError):
        session.flush()
    session.rollback()

    ticket_event = session.scalars(select(TicketEvent)).first()
    assert ticket_event is not None
    session.delete(ticket_event)
    with pytest.raises(AppendOnlyError):
        session.flush()
    session.rollback()
    assert session.get(TicketEvent, ticket_event.id) is not None


def test_no_page_renders_raw_html() -> None:
    """User text reaches the browser only through Markdown with plain() or text elements; the
    raw-HTML calls allowed carry fixed text, no user content: the report's meeting-mode style,
    the menu's script (close on phones, scroll a card back), the language script (the
    document's lang and Streamlit's own words, from the catalog) and the large-text style — and the
    Overview's read-only card lists, whose every text goes through html.escape (markup typed in
    a title and a note is tried in tests/pages/test_overview.py)."""
    raw = re.compile(r"unsafe_allow_html\s*=\s*True|components\.html\(|st\.html\(")
    found = {
        str(path.relative_to(ROOT)): raw.findall(path.read_text(encoding="utf-8"))
        for path in [*python_files("pages", "ui"), ROOT / "app.py"]
    }
    assert {path: hits for path, hits in found.items() if hits} == {
        "pages/report.py": ["st.html("],
        "ui/menu.py": ["st.html("],
        "ui/document_language.py": ["st.html("],
        "ui/widgets/card_lists.py": ["st.html(", "st.html("],
        "ui/preferences.py": ["st.html("],
    }
