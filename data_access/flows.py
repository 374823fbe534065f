"""Stage flows of work orders and the ticket state machine, defined once (docs/domain.md).

A work order's current stage and its progress bar are *derived* here from its events; nothing
about progress is stored. Stage labels are in the UI catalog under ``stage.<code>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    code: str
    optional: bool = False


# Order matters: a work order moves forward through these.
WORK_ORDER_FLOWS: dict[str, tuple[Stage, ...]] = {
    "repair": (
        Stage("submitted"),
        Stage("accepted"),
        Stage("dispatched"),
        Stage("parts_procurement", optional=True),
        Stage("in_progress"),
        Stage("awaiting_acceptance"),
        Stage("completed"),
    ),
    "complaint": (
        Stage("submitted"),
        Stage("accepted"),
        Stage("investigating"),
        Stage("answered"),
        Stage("completed"),
    ),
    "brand_service": (
        Stage("scheduled"),
        Stage("in_progress"),
        Stage("completed"),
    ),
    # A rectification work order follows the ticket's main path (§1.3).
    "rectification": (
        Stage("submitted"),
        Stage("accepted"),
        Stage("in_progress"),
        Stage("awaiting_confirmation"),
        Stage("completed"),
    ),
}

# The stage whose first event counts as the response (服务及时率: response deadline).
RESPONSE_STAGE: dict[str, str] = {
    "repair": "accepted",
    "complaint": "accepted",
    "brand_service": "in_progress",
    "rectification": "accepted",
}
FINAL_STAGE = "completed"


@dataclass(frozen=True)
class Progress:
    """Where a work order stands: ``step`` of ``steps`` (the first stage is step 0)."""

    stage: str
    step: int
    steps: int
    stages: tuple[str, ...]  # the order's whole flow
    skipped: tuple[str, ...] = ()  # optional stages the order went past without

    @property
    def percent(self) -> int:
        return round(100 * self.step / self.steps) if self.steps else 100

    @property
    def is_final(self) -> bool:
        return self.stage == FINAL_STAGE


def flow_of(order_type: str) -> tuple[Stage, ...]:
    try:
        return WORK_ORDER_FLOWS[order_type]
    except KeyError:
        raise ValueError(f"unknown work order type: {order_type!r}") from None


def derive_progress(order_type: str, event_stages: Iterable[str]) -> Progress:
    """The current stage and progress of an order of ``order_type`` with these event stages.

    The furthest stage reached wins (a late-arriving note on an earlier stage does not move the
    bar back). The total never changes mid-flow: an optional stage the order went past without
    counts as a step done and is reported as skipped (a repair without parts goes 施工中 4/6,
    配件采购 skipped — not 已受理 1/6 then 施工中 3/5).
    """
    flow = flow_of(order_type)
    position = {stage.code: i for i, stage in enumerate(flow)}
    reached = {code for code in event_stages if code in position}
    furthest = max((position[code] for code in reached), default=0)
    skipped = tuple(
        stage.code
        for i, stage in enumerate(flow)
        if stage.optional and stage.code not in reached and i < furthest
    )
    return Progress(
        stage=flow[furthest].code,
        step=furthest,
        steps=len(flow) - 1,
        stages=tuple(stage.code for stage in flow),
        skipped=skipped,
    )


# --- rectification tickets -------------------------------------------------------------------
# status → statuses it may move to. A progress update keeps the status (in_progress → in_progress).
TICKET_TRANSITIONS: dict[str, frozenset[str]] = {
    "submitted": frozenset({"accepted", "rejected"}),
    "accepted": frozenset({"in_progress"}),
    "in_progress": frozenset({"in_progress", "awaiting_confirmation"}),
    "awaiting_confirmation": frozenset({"closed", "in_progress"}),  # confirm, or reopen
    "rejected": frozenset(),
    "closed": frozenset(),
}
OPEN_TICKET_STATUSES = ("submitted", "accepted", "in_progress", "awaiting_confirmation")
TICKET_MAIN_PATH = ("submitted", "accepted", "in_progress", "awaiting_confirmation", "closed")


def can_move_ticket(from_status: str, to_status: str) -> bool:
    return to_status in TICKET_TRANSITIONS.get(from_status, frozenset())


def ticket_progress_percent(status: str) -> int:
    """A ticket's bar: position on the main path; a rejection ends it (100 %)."""
    if status == "rejected":
        return 100
    return round(100 * TICKET_MAIN_PATH.index(status) / (len(TICKET_MAIN_PATH) - 1))
