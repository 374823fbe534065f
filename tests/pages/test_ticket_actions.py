"""Moving a ticket from its page: the moves offered per role, two managers at once, a double
submit, and an owner who is not the ticket's."""

from __future__ import annotations

from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine
from data_access.models import Account, RectificationTicket, TicketEvent
from tests.pages.conftest import APP, ROOT, log_in, texts

DETAIL = str(ROOT / "pages" / "ticket_detail.py")
ACCEPT = "FormSubmitter:ticket_detail_ticket_{id}_form-受理"


def submitted_ticket(url: str, community_of: str) -> int:
    with make_engine(url).connect() as conn:
        community = conn.scalar(
            select(Account.community_id).where(Account.username == community_of)
        )
        return conn.execute(
            select(RectificationTicket.id)
            .where(
                RectificationTicket.community_id == community,
                RectificationTicket.status == "submitted",
            )
            .order_by(RectificationTicket.id)
            .limit(1)
        ).scalar_one()


def events_of(url: str, ticket_id: int) -> list[str]:
    with make_engine(url).connect() as conn:
        return list(
            conn.scalars(
                select(TicketEvent.to_status)
                .where(TicketEvent.ticket_id == ticket_id)
                .order_by(TicketEvent.id)
            )
        )


def open_ticket_page(username: str, ticket_id: int) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    log_in(at, username)
    at.switch_page(DETAIL)
    at.query_params["id"] = str(ticket_id)
    at.run()
    assert not at.exception
    return at


def test_second_manager_is_told_it_changed_and_nothing_is_overwritten(demo_url: str) -> None:
    ticket_id = submitted_ticket(demo_url, "manager_a")
    first = open_ticket_page("manager_a", ticket_id)
    second = open_ticket_page("manager_a", ticket_id)  # a colleague, same ticket, same moment

    # The colleague chooses to reject and types the reason …
    second.segmented_control(key=f"ticket_detail_ticket_{ticket_id}_move").set_value("reject")
    second.run()
    second.text_area(key=f"ticket_detail_ticket_{ticket_id}_text").input("不属于物业服务范围")
    # … while the first manager accepts it …
    first.button(key=ACCEPT.format(id=ticket_id)).click().run()
    assert "已受理。" in texts(first)
    assert "刚刚被其他人更新" not in texts(first)  # their own move is not news to them
    # … then the colleague presses 驳回 on the page that still shows 待受理.
    second.button(key=f"FormSubmitter:ticket_detail_ticket_{ticket_id}_form-驳回").click().run()
    # Its form is gone (驳回 is no longer allowed): the colleague is told, nothing is written.
    assert "这张整改单刚刚被其他人更新为「已受理」" in texts(second)
    assert events_of(demo_url, ticket_id)[-1] == "accepted"
    with make_engine(demo_url).connect() as conn:
        status, reason = conn.execute(
            select(RectificationTicket.status, RectificationTicket.reject_reason).where(
                RectificationTicket.id == ticket_id
            )
        ).one()
    assert (status, reason) == ("accepted", "")

    # … and is offered what the new status allows.
    assert second.segmented_control(key=f"ticket_detail_ticket_{ticket_id}_move").options == [
        "开始整改"
    ]


def test_a_repeated_submit_applies_a_progress_note_once(demo_url: str) -> None:
    """The second submit of the same form (a double click) meets the version it was built on."""
    ticket_id = submitted_ticket(demo_url, "manager_a")
    at = open_ticket_page("manager_a", ticket_id)
    at.button(key=ACCEPT.format(id=ticket_id)).click().run()
    at.button(key=f"FormSubmitter:ticket_detail_ticket_{ticket_id}_form-开始整改").click().run()
    key = f"ticket_detail_ticket_{ticket_id}"
    at.segmented_control(key=f"{key}_move").set_value("progress").run()
    before = len(events_of(demo_url, ticket_id))
    at.text_area(key=f"{key}_text").input("已联系供应商")
    # Two submits of the form as it was drawn: the second run is the double click.
    seen = at.session_state[f"{key}_seen_version"]
    at.button(key=f"FormSubmitter:{key}_form-发布进展").click().run()
    assert "进展已发布。" in texts(at)
    at.session_state[f"{key}_seen_version"] = seen  # the page the second click came from
    at.text_area(key=f"{key}_text").input("已联系供应商")
    at.button(key=f"FormSubmitter:{key}_form-发布进展").click().run()
    assert "刚刚被其他人更新了" in texts(at)
    assert len(events_of(demo_url, ticket_id)) == before + 1


def test_an_owner_is_offered_no_moves_on_someone_elses_ticket(demo_url: str) -> None:
    with make_engine(demo_url).connect() as conn:
        owner_a, community = conn.execute(
            select(Account.id, Account.community_id).where(Account.username == "owner_a")
        ).one()
        ticket_id = conn.execute(
            select(RectificationTicket.id)
            .where(
                RectificationTicket.community_id == community,
                RectificationTicket.status == "awaiting_confirmation",
                RectificationTicket.owner_id != owner_a,
            )
            .limit(1)
        ).scalar_one()
        before = conn.scalar(select(func.count()).select_from(TicketEvent))
    at = open_ticket_page("owner_a", ticket_id)
    assert not [
        s for s in at.segmented_control if (s.key or "").startswith("ticket_detail_ticket_")
    ]
    assert "等待业主确认整改结果。" in texts(at)
    with make_engine(demo_url).connect() as conn:
        assert conn.scalar(select(func.count()).select_from(TicketEvent)) == before
