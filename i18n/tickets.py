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
    "ticket.daily_limit_reached": {
        "zh": "您今天已提交 {max} 条整改单,已达每日上限;请明天(0 点后)再提交。"
        "如有紧急情况,请直接联系物业客服。",
        "en": "You have already opened {max} tickets today, the daily limit. You can open more "
        "tomorrow (after midnight); for anything urgent, please call the property service desk.",
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
    # --- the action form (ui/actions/ticket_panel.py) ---------------------------------------------
    "ticket_action.choose": {"zh": "处理", "en": "Action"},
    "ticket_action.accept": {"zh": "受理", "en": "Accept"},
    "ticket_action.reject": {"zh": "驳回", "en": "Reject"},
    "ticket_action.start": {"zh": "开始整改", "en": "Start work"},
    "ticket_action.progress": {"zh": "发布进展", "en": "Post progress"},
    "ticket_action.request_confirmation": {"zh": "请业主确认", "en": "Ask the owner to confirm"},
    "ticket_action.confirm": {"zh": "确认已整改", "en": "Confirm the fix"},
    "ticket_action.reopen": {"zh": "未解决,重新整改", "en": "Not fixed: reopen"},
    "ticket_action.note_optional": {"zh": "说明(选填,将公示)", "en": "Note (optional, public)"},
    "ticket_action.note_required": {
        "zh": "进展说明(必填,将公示)",
        "en": "Progress note (required, public)",
    },
    "ticket_action.reason_required": {"zh": "原因(必填,将公示)", "en": "Reason (required, public)"},
    "ticket_action.photos": {
        "zh": "照片(选填,最多 {max} 张,JPEG/PNG/WebP)",
        "en": "Photos (optional, up to {max}, JPEG/PNG/WebP)",
    },
    "ticket_action.moved_elsewhere": {
        "zh": "这张整改单刚刚被其他人更新为「{status}」,您未提交的操作没有保存,请按当前状态办理。",
        "en": "Someone else just moved this ticket to “{status}”; your unsent action was not "
        "saved. Please act on the current status.",
    },
    "ticket_action.saving": {"zh": "正在保存…", "en": "Saving…"},
    "ticket_action.reload": {"zh": "重新加载", "en": "Reload"},
    "ticket_action.done_accept": {"zh": "已受理。", "en": "Accepted."},
    "ticket_action.done_reject": {
        "zh": "已驳回,原因已公示。",
        "en": "Rejected; the reason is public.",
    },
    "ticket_action.done_start": {"zh": "已开始整改。", "en": "Work started."},
    "ticket_action.done_progress": {"zh": "进展已发布。", "en": "Progress posted."},
    "ticket_action.done_request_confirmation": {
        "zh": "已请业主确认。",
        "en": "The owner has been asked to confirm.",
    },
    "ticket_action.done_confirm": {
        "zh": "感谢确认,整改单已关闭。",
        "en": "Thank you: the ticket is closed.",
    },
    "ticket_action.done_reopen": {
        "zh": "已重新打开,物业将继续整改。",
        "en": "Reopened: the company must continue.",
    },
    "ticket_action.finished": {"zh": "此整改单已结束。", "en": "This ticket is finished."},
    "ticket_action.waiting_owner": {
        "zh": "等待业主确认整改结果。",
        "en": "Waiting for the owner to confirm the fix.",
    },
    "ticket_action.waiting_company": {"zh": "等待物业处理。", "en": "Waiting for the company."},
    # --- the form that opens a ticket (pages/new_ticket.py) -----------------------------------
    "ticket_form.intro": {
        "zh": "发现问题或有改进建议?提交后将在「整改公示」公开(您的姓名打码),物业须在合同约定时限内受理并整改。",
        "en": "Seen a problem or have a suggestion? Once sent it is public on the rectification "
        "board (your name masked); the company must accept and fix it within the contract's deadlines.",
    },
    "ticket_form.on_behalf_of": {"zh": "代业主提交", "en": "On behalf of owner"},
    "ticket_form.choose_owner": {"zh": "选择业主", "en": "Choose an owner"},
    "ticket_form.on_behalf_note": {
        "zh": "整改单将记录为由您代业主提交,业主可在自己的账号中查看和确认。",
        "en": "The ticket is recorded as opened by you on the owner's behalf; the owner follows "
        "and confirms it from their own account.",
    },
    "ticket_form.title": {"zh": "标题", "en": "Title"},
    "ticket_form.title_placeholder": {
        "zh": "例如:3栋电梯厅灯不亮",
        "en": "e.g. Lights out in the lift lobby of building 3",
    },
    "ticket_form.category": {"zh": "类别", "en": "Category"},
    "ticket_form.area": {"zh": "区域(选填)", "en": "Area (optional)"},
    "ticket_form.area_placeholder": {"zh": "选择楼栋或公共区域", "en": "Choose a building or area"},
    "ticket_form.location": {
        "zh": "具体位置(选填,仅您和物业可见)",
        "en": "Exact place (optional; only you and the company see it)",
    },
    "ticket_form.location_placeholder": {
        "zh": "例如:2单元一楼大堂",
        "en": "e.g. entrance 2, ground-floor lobby",
    },
    "ticket_form.description": {
        "zh": "问题描述或建议(将公示,请勿填写个人信息)",
        "en": "What is wrong, or your suggestion (public: no personal details)",
    },
    "ticket_form.description_placeholder": {
        "zh": "发生了什么、持续多久、希望如何改进",
        "en": "What happened, for how long, what you would like done",
    },
    "ticket_form.photos": {
        "zh": "照片(选填,最多 {max} 张,JPEG/PNG/WebP,位置信息会被清除)",
        "en": "Photos (optional, up to {max}, JPEG/PNG/WebP; location data is removed)",
    },
    "ticket_form.submit": {"zh": "提交整改单", "en": "Send the ticket"},
    "ticket_form.saving": {"zh": "正在提交…", "en": "Sending…"},
    "ticket_form.sent": {
        "zh": "整改单已提交并公示,物业须在受理期限内答复。",
        "en": "The ticket is sent and public; the company must accept it within the deadline.",
    },
}
