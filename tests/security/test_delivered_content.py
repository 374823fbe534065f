"""Raw personal data of other people never reaches the browser (docs/domain.md, issue 7).

Not only what is drawn: everything the app sends. For owner_a and committee_a every page they
can reach (and the detail pages of another owner's order and ticket) is run in AppTest; we keep
every ``ForwardMsg`` of every run (elements, navigation, page info…), walk the element tree too,
serialise each protobuf as UTF-8 text, decode every Arrow payload (tables, chart datasets) with
pyarrow and every file handed to the browser (CSV, Excel, PDF downloads, images' metadata) — and
then look for the full names, phones and unit labels of the community's other accounts, the
reporters of their orders and the staff.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from google.protobuf import text_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest, local_script_runner

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import mask_names_in
from data_access.db import make_engine, make_session_factory
from data_access.models import (
    Account,
    Area,
    OwnerUnit,
    RectificationTicket,
    Staff,
    Unit,
    WorkOrder,
    WorkOrderEvent,
)
from data_access.notifications.notifications import list_notifications
from data_access.orders.work_orders import get_order_detail
from tests.pages.conftest import (  # noqa: F401 — fixtures: the demo copy, its clock, caches
    APP,
    _fresh_caches,
    demo_clock,
    demo_url,
    log_in,
)
from ui.navigation import PAGES, PAGES_DIR

DETAIL_PAGES = {"order_detail.py", "ticket_detail.py"}


# --- what the browser receives --------------------------------------------------------------
@dataclass
class Delivery:
    """Every message of every run, and every file put in the media store, of one AppTest."""

    messages: list[Message] = field(default_factory=list)
    files: list[tuple[bytes, str]] = field(default_factory=list)


@pytest.fixture
def delivery(monkeypatch: pytest.MonkeyPatch) -> Delivery:
    sink = Delivery()
    parse = local_script_runner.parse_tree_from_messages

    def keep_and_parse(messages: list[Any]) -> Any:
        sink.messages.extend(messages)
        return parse(messages)

    monkeypatch.setattr(local_script_runner, "parse_tree_from_messages", keep_and_parse)
    store = MemoryMediaFileStorage.load_and_get_id

    def keep_and_store(self: Any, path_or_data: Any, mimetype: str, *args: Any, **kw: Any) -> str:
        data = path_or_data if isinstance(path_or_data, bytes) else Path(path_or_data).read_bytes()
        sink.files.append((data, mimetype))
        return store(self, path_or_data, mimetype, *args, **kw)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep_and_store)
    return sink


def proto_text(message: Message) -> Iterator[str]:
    """The message as UTF-8 text, plus every bytes field decoded (Arrow tables as rows)."""
    yield text_format.MessageToString(message, as_utf8=True)
    yield from _bytes_fields(message)


def _bytes_fields(message: Message) -> Iterator[str]:
    for descriptor, value in message.ListFields():
        values = value if descriptor.is_repeated else [value]
        for item in values:
            if descriptor.type == FieldDescriptor.TYPE_MESSAGE:
                yield from _bytes_fields(item)
            elif descriptor.type == FieldDescriptor.TYPE_BYTES and item:
                yield decode_bytes(item)


def decode_bytes(data: bytes) -> str:
    try:
        table = pa.ipc.open_stream(data).read_all()
    except (pa.ArrowInvalid, OSError):
        return data.decode("utf-8", errors="replace")
    return f"{table.schema.names} {table.schema.metadata} {table.to_pylist()}"


def file_text(data: bytes, mimetype: str) -> str:
    if mimetype == "application/pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    if zipfile.is_zipfile(io.BytesIO(data)):  # xlsx: shared strings and sheets are XML
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()
            )
    if mimetype.startswith("image/"):
        return ""
    return data.decode("utf-8-sig", errors="replace")


def tree_text(at: AppTest) -> Iterator[str]:
    """Every element and block of the current tree, serialised (labels, options, help, data)."""
    stack: list[Any] = list(at._tree.children.values())
    while stack:
        node = stack.pop()
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            yield from proto_text(proto)
        stack.extend(getattr(node, "children", {}).values())


def delivered(at: AppTest, sink: Delivery) -> str:
    parts = list(tree_text(at))
    for message in sink.messages:
        parts.extend(proto_text(message))
    parts.extend(file_text(data, mimetype) for data, mimetype in sink.files)
    return "\n".join(parts)


# --- what must not be in it -----------------------------------------------------------------
@dataclass(frozen=True)
class Secrets:
    community_id: int
    account_id: int
    forbidden: dict[str, str]  # the exact string → whose/what, for the failure message
    other_order_ids: list[int]
    other_ticket_ids: list[int]


def unit_label(building: str, entrance: int, room: str) -> str:
    return f"{building}{entrance}单元{room}"


def secrets_of(session: Session, username: str) -> Secrets:
    me = session.scalars(select(Account).where(Account.username == username)).one()
    community = me.community_id
    unit_rows = session.execute(
        select(OwnerUnit.account_id, Area.name, Unit.entrance, Unit.room)
        .join(Unit, Unit.id == OwnerUnit.unit_id)
        .join(Area, Area.id == Unit.building_id)
        .where(Unit.community_id == community)
    ).all()
    mine = {unit_label(b, e, r) for account_id, b, e, r in unit_rows if account_id == me.id}
    forbidden: dict[str, str] = {}

    def forbid(value: str, what: str) -> None:
        value = value.strip()
        if len(value) >= 2 and value != me.display_name and value != me.phone:
            forbidden.setdefault(value, what)

    for account in session.scalars(
        select(Account).where(Account.community_id == community, Account.id != me.id)
    ):
        forbid(account.display_name, f"name of account {account.username}")
        forbid(account.phone, f"phone of account {account.username}")
    for account_id, building, entrance, room in unit_rows:
        label = unit_label(building, entrance, room)
        if account_id != me.id and label not in mine:
            forbidden.setdefault(label, f"unit of account #{account_id}")
    for staff in session.scalars(select(Staff).where(Staff.community_id == community)):
        forbid(staff.name, f"name of staff #{staff.id}")
        forbid(staff.phone, f"phone of staff #{staff.id}")
    for name, phone in session.execute(
        select(WorkOrder.reporter_name, WorkOrder.reporter_phone).where(
            WorkOrder.community_id == community,
            (WorkOrder.reporter_id != me.id) | WorkOrder.reporter_id.is_(None),
        )
    ):
        forbid(name, "reporter name of an order")
        forbid(phone, "reporter phone of an order")

    # Another owner's public orders with the most history, and their tickets.
    orders = list(
        session.scalars(
            select(WorkOrder.id)
            .join(WorkOrderEvent, WorkOrderEvent.work_order_id == WorkOrder.id)
            .where(
                WorkOrder.community_id == community,
                WorkOrder.visibility == "public",
                WorkOrder.reporter_id.is_not(None),
                WorkOrder.reporter_id != me.id,
            )
            .group_by(WorkOrder.id)
            .order_by(WorkOrder.id)
            .limit(2)
        )
    )
    tickets = list(
        session.scalars(
            select(RectificationTicket.id)
            .where(
                RectificationTicket.community_id == community,
                RectificationTicket.owner_id.is_not(None),
                RectificationTicket.owner_id != me.id,
            )
            .order_by(RectificationTicket.id)
            .limit(2)
        )
    )
    return Secrets(community, me.id, forbidden, orders, tickets)


def visits(role: str, secrets: Secrets) -> Iterator[tuple[str, str | None]]:
    """(page file, ?id=) for every page of the role; detail pages once per chosen id."""
    for spec in PAGES:
        if role not in spec.roles:
            continue
        if spec.file == "order_detail.py":
            yield from ((spec.file, str(i)) for i in secrets.other_order_ids)
        elif spec.file == "ticket_detail.py":
            yield from ((spec.file, str(i)) for i in secrets.other_ticket_ids)
        else:
            yield spec.file, None


def leaks(content: str, secrets: Secrets) -> list[str]:
    return sorted(
        f"{value!r} ({what})" for value, what in secrets.forbidden.items() if value in content
    )


@pytest.mark.parametrize(("username", "role"), [("owner_a", "owner"), ("committee_a", "committee")])
def test_no_raw_personal_data_of_others_reaches_the_browser(
    demo_url: str,  # noqa: F811 — the fixture imported above
    delivery: Delivery,
    username: str,
    role: str,
) -> None:
    engine = make_engine(demo_url)
    with make_session_factory(engine)() as session:
        secrets = secrets_of(session, username)
    engine.dispose()
    assert secrets.other_order_ids and secrets.other_ticket_ids
    assert len(secrets.forbidden) > 10  # the check has something to find

    at = AppTest.from_file(APP, default_timeout=60)
    log_in(at, username)
    assert not at.exception
    found: dict[str, list[str]] = {}
    for file, record_id in visits(role, secrets):
        delivery.messages.clear()
        delivery.files.clear()
        at.switch_page(str(PAGES_DIR / file))
        if record_id is not None:
            at.query_params["id"] = record_id
        at.run()
        assert not at.exception, (file, at.exception)
        if file == "work_orders.py":  # the whole community's board too, not only "mine"
            at.segmented_control(key="orders_scope").set_value("community").run()
        if file == "tickets.py":  # the ratings tab too (only the open tab runs)
            at.session_state["tickets_tab"] = "评价公示"
            at.run()
        content = delivered(at, delivery)
        assert len(content) > 1000, file  # something was captured
        if hits := leaks(content, secrets):
            found[f"{file}?id={record_id}" if record_id else file] = hits
        at.query_params.clear()
    assert not found, found


def test_the_check_sees_a_name_in_a_dataframe_and_a_download(delivery: Delivery) -> None:
    """The collector itself: raw values in Arrow data and in a download are found."""
    script = """
import pandas as pd
import streamlit as st
st.dataframe(pd.DataFrame({"who": ["王建国"]}))
st.line_chart(pd.DataFrame({"x": [1, 2], "林宏": [3, 4]}))
st.download_button("csv", "13812345678,3栋2单元1201".encode(), file_name="a.csv")
st.selectbox("pick", ["赵丽华"])
"""
    at = AppTest.from_string(script).run()
    content = delivered(at, delivery)
    for raw in ("王建国", "林宏", "13812345678", "3栋2单元1201", "赵丽华"):
        assert raw in content


# --- the data layer: names typed into notes are masked (both engines) -------------------------
NOTE_NOW = dt.datetime(2026, 11, 20, 12, 0)


def _viewer(account: Account) -> Viewer:
    return Viewer(
        account_id=account.id, username=account.username, display_name=account.display_name,
        role=account.role, community_id=account.community_id,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("role", "own_order", "expected_note"),
    [
        ("owner", False, "已派单给黎**师傅,李**陪同,王五在家"),
        ("committee", False, "已派单给黎**师傅,李**陪同,王五在家"),
        ("owner", True, "已派单给黎**师傅,李**陪同,王五在家"),  # staff masked for the reporter
        ("manager", False, "已派单给黎家豪师傅,李四海陪同,王五在家"),
    ],
)
def test_names_in_event_notes_and_notifications_are_masked(
    session: Session, role: str, own_order: bool, expected_note: str
) -> None:
    from tests.data_access import factories

    community = factories.community(session)
    factories.staff(session, community, name="黎家豪")
    neighbour = factories.account(session, community)
    neighbour.display_name = "李四海"
    viewer_account = factories.account(session, community, role=role)
    viewer_account.display_name = "王五"
    order = factories.work_order(
        session, community, created_at=NOTE_NOW - dt.timedelta(hours=3),
        description="李四海家楼上漏水", visibility="public",
        reporter_id=(viewer_account if own_order else neighbour).id, reporter_name="李四海",
    )  # fmt: skip
    session.add(
        WorkOrderEvent(
            work_order_id=order.id, stage="submitted", occurred_at=order.created_at,
            actor_name="李四海", note="已派单给黎家豪师傅,李四海陪同,王五在家",
        )
    )  # fmt: skip
    session.flush()
    viewer = _viewer(viewer_account)

    detail = get_order_detail(session=session, viewer=viewer, order_id=order.id, now=NOTE_NOW)
    assert [step.note for step in detail.steps] == [expected_note]
    # The viewer is 王五: a neighbour's description is masked for them; their own is shown to
    # them as they wrote it (it tells them nothing new), a manager's view as written.
    assert ("李四海" in detail.description) == (role == "manager" or own_order)
    if own_order:  # the reporter's notifications carry the same note, masked the same way
        notes = list_notifications(session=session, viewer=viewer, now=NOTE_NOW)
        assert [n.note for n in notes.items if n.note] == [expected_note]


def test_mask_names_in_text() -> None:
    assert mask_names_in("林宏和林宏伟都到了", ["林宏", "林宏伟", "王"]) == "林*和林**都到了"
    assert mask_names_in("", ["林宏"]) == ""
    assert mask_names_in("无人", []) == "无人"
