"""UI strings of rectification ticket commands (open, accept, reject, progress, confirm)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "ticket.not_found": {
        "zh": "没有找到这张整改单,或您无权查看。",
        "en": "No such rectification ticket, or you may not see it.",
    },
    "ticket.changed_meanwhile": {
        "zh": "这张整改单刚刚被其他人更新了,请刷新后再操作。",
        "en": "This ticket was changed meanwhile. Please reload and try again.",
    },
    "ticket.bad_transition": {
        "zh": "整改单不能从“{current}”转到“{target}”。",
        "en": "The ticket cannot move from '{current}' to '{target}'.",
    },
    "ticket.managers_only": {
        "zh": "只有本小区的物业管理人员可以办理这一步。",
        "en": "Only the community's property managers may do this.",
    },
    "ticket.owner_only": {
        "zh": "只有提交这张整改单的业主本人可以确认或退回。",
        "en": "Only the owner of this ticket may confirm or reopen it.",
    },
    "ticket.open_not_allowed": {
        "zh": "您不能以这个身份提交整改单。",
        "en": "You may not open a ticket this way.",
    },
    "ticket.owner_required": {
        "zh": "代业主提交时,请选择业主。",
        "en": "Choose the owner you are opening this ticket for.",
    },
    "ticket.owner_invalid": {
        "zh": "所选业主不属于本小区,或账号已停用。",
        "en": "The chosen owner is not an active owner of this community.",
    },
    "ticket.title_invalid": {
        "zh": "请填写标题(最多 {max} 个字)。",
        "en": "Enter a title (at most {max} characters).",
    },
    "ticket.description_too_long": {
        "zh": "描述最多 {max} 个字。",
        "en": "The description may have at most {max} characters.",
    },
    "ticket.location_too_long": {
        "zh": "位置最多 {max} 个字。",
        "en": "The location may have at most {max} characters.",
    },
    "ticket.category_invalid": {
        "zh": "请选择有效的类别。",
        "en": "Choose a valid category.",
    },
    "ticket.area_invalid": {
        "zh": "所选楼栋/区域不属于本小区。",
        "en": "The chosen building or area is not in this community.",
    },
    "ticket.too_many_photos": {
        "zh": "最多上传 {max} 张照片。",
        "en": "Upload at most {max} photos.",
    },
    "ticket.reason_invalid": {
        "zh": "请填写原因({min}–{max} 个字),原因会公示。",
        "en": "Give a reason ({min}–{max} characters); it is shown publicly.",
    },
    "ticket.note_required": {
        "zh": "请填写进展说明。",
        "en": "Describe the progress.",
    },
    "ticket.note_too_long": {
        "zh": "说明最多 {max} 个字。",
        "en": "The note may have at most {max} characters.",
    },
}
