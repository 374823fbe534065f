"""UI strings of the public rectification board (整改公示) and a ticket's page."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- the board (pages/tickets.py) ----------------------------------------------------------
    "board.intro": {
        "zh": "本小区的每一张整改单都在这里公示:状态、受理与整改时限、进展和照片一目了然,"
        "超时公开标红。业主姓名和门牌已打码。",
        "en": "Every rectification ticket of the community is public here: status, accept and fix "
        "deadlines, progress and photos; overdue ones are marked in red. Names and units are masked.",
    },
    "board.metric_open": {"zh": "进行中", "en": "Open"},
    "board.metric_overdue": {"zh": "已超时", "en": "Overdue"},
    "board.metric_awaiting": {"zh": "待业主确认", "en": "Awaiting confirmation"},
    "board.metric_closed_month": {"zh": "本月办结", "en": "Closed this month"},
    "board.metric_closed_help": {
        "zh": "累计办结 {closed} 张,驳回 {rejected} 张,共 {total} 张。",
        "en": "{closed} closed and {rejected} rejected in all, of {total} tickets.",
    },
    "board.tab_tickets": {"zh": "整改单", "en": "Tickets"},
    "board.tab_ratings": {"zh": "评价公示", "en": "Public ratings"},
    "board.filter_status": {"zh": "状态", "en": "Status"},
    "board.filter_category": {"zh": "类别", "en": "Category"},
    "board.search": {"zh": "搜索", "en": "Search"},
    "board.search_placeholder": {
        "zh": "单号、标题、描述或区域",
        "en": "Code, title, description or area",
    },
    "board.overdue_only": {"zh": "只看超时", "en": "Overdue only"},
    "board.mine_only": {"zh": "只看我的", "en": "Mine only"},
    "board.count": {"zh": "共 {total} 张整改单", "en": "{total} tickets"},
    "board.count_limited": {
        "zh": "共 {total} 张整改单,显示前 {shown} 张",
        "en": "{total} tickets, showing the first {shown}",
    },
    "board.show_more": {"zh": "显示更多", "en": "Show more"},
    "board.empty": {
        "zh": "本小区还没有整改单。",
        "en": "This community has no rectification tickets yet.",
    },
    "board.empty_filtered": {
        "zh": "没有符合筛选条件的整改单。",
        "en": "No tickets match these filters.",
    },
    "board.overdue": {"zh": "超时", "en": "Overdue"},
    "board.mine": {"zh": "我的", "en": "Mine"},
    "board.on_behalf": {"zh": "物业代登记", "en": "Filed by staff"},
    "board.from_rating": {"zh": "差评整改", "en": "From a rating"},
    "board.owner": {"zh": "业主 {name}", "en": "Owner {name}"},
    "board.created": {"zh": "提交于 {time}", "en": "opened {time}"},
    "board.deadline_accept": {"zh": "受理时限", "en": "Accept by"},
    "board.deadline_fix": {"zh": "整改时限", "en": "Fix by"},
    "board.awaiting_owner": {
        "zh": "物业已完成整改,等待业主确认",
        "en": "Fixed by the company, awaiting the owner's confirmation",
    },
    "board.finished": {"zh": "办结于 {time}", "en": "Finished {time}"},
    "board.progress_count": {"zh": "{n} 条进展", "en": "{n} progress updates"},
    "board.updated": {"zh": "{ago}更新", "en": "updated {ago}"},
    "board.reject_reason": {"zh": "驳回理由:{reason}", "en": "Reason for rejection: {reason}"},
    "board.details": {"zh": "查看详情", "en": "Details"},
    # --- public ratings ------------------------------------------------------------------------
    "board.ratings_intro": {
        "zh": "已完成工单的业主评价及物业回复,评价人姓名已打码。",
        "en": "Owners' ratings of finished work orders and the company's replies; names masked.",
    },
    "board.ratings_low": {"zh": "只看低分", "en": "Low scores only"},
    "board.ratings_unreplied": {"zh": "只看未回复", "en": "Unanswered only"},
    "board.ratings_count": {"zh": "共 {total} 条评价", "en": "{total} ratings"},
    "board.ratings_count_limited": {
        "zh": "共 {total} 条评价,显示最新 {shown} 条",
        "en": "{total} ratings, showing the newest {shown}",
    },
    "board.ratings_empty": {
        "zh": "没有符合条件的评价。",
        "en": "No ratings match.",
    },
    "board.low": {"zh": "低分", "en": "Low score"},
    "board.rated_by": {"zh": "评价人 {name}", "en": "by {name}"},
    "board.reply_at": {"zh": "物业回复 · {time}", "en": "Company's reply · {time}"},
    "board.awaiting_reply": {"zh": "待物业回复", "en": "Awaiting the company's reply"},
    "board.reply_by": {"zh": "答复期限 {time}", "en": "Reply due {time}"},
    "board.ticket_link": {"zh": "整改单 {code}", "en": "Ticket {code}"},
    "board.order_link": {"zh": "工单 {code}", "en": "Work order {code}"},
    # --- a ticket (pages/ticket_detail.py) -----------------------------------------------------
    "board.back": {"zh": "返回整改公示", "en": "Back to the board"},
    "board.bad_id": {
        "zh": "链接中的整改单编号无效。",
        "en": "The ticket number in the link is not valid.",
    },
    "board.code": {"zh": "单号", "en": "Code"},
    "board.status": {"zh": "状态", "en": "Status"},
    "board.category": {"zh": "类别", "en": "Category"},
    "board.place": {"zh": "位置", "en": "Place"},
    "board.owner_label": {"zh": "业主", "en": "Owner"},
    "board.opened_at": {"zh": "提交时间", "en": "Opened"},
    "board.met": {"zh": "按时", "en": "met"},
    "board.missed": {"zh": "超时", "en": "missed"},
    "board.done_at": {"zh": "完成于 {time}", "en": "done {time}"},
    "board.not_applicable": {"zh": "不适用", "en": "not applicable"},
    "board.auto_closed": {
        "zh": "业主逾期未确认,系统已自动关闭。",
        "en": "The owner did not confirm in time; the system closed the ticket.",
    },
    "board.description": {"zh": "问题描述", "en": "Description"},
    "board.no_description": {"zh": "(未填写描述)", "en": "(no description)"},
    "board.photos": {"zh": "照片", "en": "Photos"},
    "board.rating": {"zh": "引发整改的评价", "en": "The rating that opened it"},
    "board.order_detail": {"zh": "查看被评价的工单", "en": "The rated work order"},
    "board.actions": {"zh": "办理", "en": "Actions"},
    "board.timeline": {"zh": "整改过程", "en": "What happened"},
    "board.no_events": {"zh": "暂无记录。", "en": "Nothing recorded yet."},
    "board.event_opened": {"zh": "提交", "en": "Opened"},
    "board.event_progress": {"zh": "进展更新", "en": "Progress update"},
    "board.actor_system": {"zh": "系统", "en": "System"},
    "board.actor_staff": {"zh": "物业 {name}", "en": "Staff {name}"},
    "board.actor_owner": {"zh": "业主 {name}", "en": "Owner {name}"},
    # --- tickets and ratings of in-home orders (data_access/privacy.redacts_private) -----------
    "board.private_ticket_title": {
        "zh": "入户工单的整改(详情仅业主本人与物业可见)",
        "en": "Follow-up of an in-home order (details visible only to its owner and the company)",
    },
    "board.private_details": {
        "zh": "详情仅业主本人与物业可见。",
        "en": "Only its owner and the company can read the details.",
    },
    "board.private_ticket_hint": {
        "zh": "这张整改单来自一张入户工单的评价:标题、门牌、描述、评价内容和照片只给业主本人与物业看,"
        "这里公示类别、楼栋、状态、时限和物业的进展。",
        "en": "This ticket comes from a rating of an in-home order: its title, unit, description, "
        "comment and photos are shown only to its owner and the company; the category, building, "
        "status, deadlines and the company's progress are public.",
    },
}
