"""UI strings of the work-order board, detail and history pages, and order commands."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # commands
    "order.not_found": {"zh": "没有找到这张工单,或您无权查看。", "en": "No such work order, or you may not see it."},
    "order.changed_meanwhile": {
        "zh": "这张工单刚刚被其他人更新了,请刷新后再操作。",
        "en": "This work order was changed meanwhile. Please reload and try again.",
    },
    "order.already_completed": {"zh": "工单已完成,不能再推进。", "en": "The work order is already completed."},
    "order.bad_stage": {
        "zh": "工单不能从“{current}”转到“{target}”。",
        "en": "The work order cannot move from '{current}' to '{target}'.",
    },
}
