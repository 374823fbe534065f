"""Stage derivation and the ticket state machine (docs/domain.md)."""

from __future__ import annotations

import pytest

from data_access.flows import (
    WORK_ORDER_FLOWS,
    can_move_ticket,
    derive_progress,
    ticket_progress_percent,
)

REPAIR_PREFIX = ["submitted", "accepted", "dispatched"]


@pytest.mark.parametrize(
    ("order_type", "events", "stage", "step", "steps"),
    [
        # A repair always has 7 stages, 6 steps: the total never changes mid-flow.
        ("repair", ["submitted"], "submitted", 0, 6),
        ("repair", REPAIR_PREFIX, "dispatched", 2, 6),
        ("repair", [*REPAIR_PREFIX, "parts_procurement"], "parts_procurement", 3, 6),
        ("repair", [*REPAIR_PREFIX, "parts_procurement", "in_progress"], "in_progress", 4, 6),
        # Went to work without parts: the optional stage is skipped, still a step passed.
        ("repair", [*REPAIR_PREFIX, "in_progress"], "in_progress", 4, 6),
        (
            "repair",
            [*REPAIR_PREFIX, "in_progress", "awaiting_acceptance"],
            "awaiting_acceptance",
            5,
            6,
        ),
        (
            "repair",
            [*REPAIR_PREFIX, "in_progress", "awaiting_acceptance", "completed"],
            "completed",
            6,
            6,
        ),
        ("complaint", ["submitted", "accepted", "investigating"], "investigating", 2, 4),
        (
            "complaint",
            ["submitted", "accepted", "investigating", "answered", "completed"],
            "completed",
            4,
            4,
        ),
        ("brand_service", ["scheduled"], "scheduled", 0, 2),
        ("brand_service", ["scheduled", "in_progress"], "in_progress", 1, 2),
        (
            "rectification",
            ["submitted", "accepted", "in_progress", "awaiting_confirmation"],
            "awaiting_confirmation",
            3,
            4,
        ),
        # No events yet: the first stage.
        ("repair", [], "submitted", 0, 6),
    ],
)
def test_derive_progress(
    order_type: str, events: list[str], stage: str, step: int, steps: int
) -> None:
    progress = derive_progress(order_type, events)
    assert (progress.stage, progress.step, progress.steps) == (stage, step, steps)
    assert progress.percent == round(100 * step / steps)


def test_the_total_stays_and_a_stage_gone_past_without_is_skipped() -> None:
    totals = set()
    events: list[str] = []
    for stage in ["submitted", "accepted", "dispatched", "in_progress", "awaiting_acceptance"]:
        events.append(stage)
        progress = derive_progress("repair", events)
        totals.add(progress.steps)
        assert progress.skipped == (
            ("parts_procurement",) if stage in ("in_progress", "awaiting_acceptance") else ()
        )
    assert totals == {6}
    with_parts = derive_progress("repair", [*REPAIR_PREFIX, "parts_procurement", "in_progress"])
    assert with_parts.skipped == ()


def test_a_late_note_on_an_earlier_stage_does_not_move_the_bar_back() -> None:
    progress = derive_progress("repair", [*REPAIR_PREFIX, "in_progress", "accepted"])
    assert progress.stage == "in_progress"


def test_unknown_stage_codes_are_ignored_and_unknown_types_refused() -> None:
    assert derive_progress("complaint", ["submitted", "teleported"]).stage == "submitted"
    with pytest.raises(ValueError, match="unknown work order type"):
        derive_progress("haircut", ["submitted"])


def test_completed_is_final_and_full() -> None:
    for order_type, flow in WORK_ORDER_FLOWS.items():
        progress = derive_progress(order_type, [stage.code for stage in flow])
        assert progress.is_final and progress.percent == 100


@pytest.mark.parametrize(
    ("from_status", "to_status", "allowed"),
    [
        ("submitted", "accepted", True),
        ("submitted", "rejected", True),
        ("submitted", "in_progress", False),
        ("accepted", "in_progress", True),
        ("in_progress", "in_progress", True),  # a progress update
        ("in_progress", "awaiting_confirmation", True),
        ("in_progress", "closed", False),
        ("awaiting_confirmation", "closed", True),
        ("awaiting_confirmation", "in_progress", True),  # owner reopens
        ("rejected", "accepted", False),
        ("closed", "in_progress", False),
    ],
)
def test_ticket_transitions(from_status: str, to_status: str, allowed: bool) -> None:
    assert can_move_ticket(from_status, to_status) is allowed


def test_ticket_progress() -> None:
    assert [
        ticket_progress_percent(s)
        for s in ("submitted", "accepted", "in_progress", "awaiting_confirmation", "closed")
    ] == [0, 25, 50, 75, 100]
    assert ticket_progress_percent("rejected") == 100
