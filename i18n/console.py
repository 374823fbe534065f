"""UI strings of the manager console (处理台) and in-app notifications (消息通知)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- console -------------------------------------------------------------------------------
    "console.managers_only": {
        "zh": "处理台只对本小区的物业管理人员开放。",
        "en": "The manager console is for the community's property managers only.",
    },
    "console.intro": {
        "zh": "待回复的评价和待办的整改单,按最近的时限排序;超时的排在最前。",
        "en": "Ratings awaiting a reply and tickets awaiting the company, nearest deadline "
        "first; overdue ones lead.",
    },
    "console.metric_total": {"zh": "待处理", "en": "To do"},
    "console.metric_overdue": {"zh": "已超时", "en": "Overdue"},
    "console.metric_ratings": {"zh": "待回复评价", "en": "Ratings to answer"},
    "console.metric_to_accept": {"zh": "待受理整改", "en": "Tickets to accept"},
    "console.metric_changed": {"zh": "自上次查看以来的变化", "en": "Changes since you last looked"},
    "console.metric_changed_first": {
        "zh": "近 7 天的变化(首次查看)",
        "en": "Changes in the last 7 days (first visit)",
    },
    "console.changed_help": {
        "zh": "新评价、评价修改、新整改单,以及他人对整改单的操作;您自己的操作不计入。",
        "en": "New or edited ratings, new tickets, and moves on tickets by anyone but you.",
    },
    "console.last_look": {"zh": "上次查看:{time}", "en": "Last looked: {time}"},
    "console.view_all": {"zh": "全部待办", "en": "All to do"},
    "console.view_overdue": {"zh": "已超时", "en": "Overdue"},
    "console.view": {"zh": "视图", "en": "View"},
    "console.filters": {"zh": "筛选", "en": "Filters"},
    "console.filter_kind": {"zh": "类型", "en": "Kind"},
    "console.filter_status": {"zh": "状态", "en": "Status"},
    "console.filter_category": {"zh": "类别", "en": "Category"},
    "console.kind_rating": {"zh": "评价", "en": "Rating"},
    "console.kind_ticket": {"zh": "整改单", "en": "Ticket"},
    "console.status_awaiting_reply": {"zh": "待回复", "en": "Awaiting reply"},
    "console.status_awaiting_owner": {
        "zh": "待业主确认(业主办理中)",
        "en": "Awaiting owner confirmation (owner's turn)",
    },
    "console.count": {"zh": "共 {n} 项", "en": "{n} items"},
    "console.empty": {
        "zh": "没有待处理的事项:所有评价都已回复,整改单都在按时推进。",
        "en": "Nothing to do: every rating has a reply and every ticket is on track.",
    },
    "console.empty_filtered": {
        "zh": "没有符合筛选条件的待处理事项。",
        "en": "Nothing to do matches these filters.",
    },
    "console.empty_overdue": {
        "zh": "没有超时的事项。",
        "en": "Nothing is overdue.",
    },
    "console.new": {"zh": "新", "en": "New"},
    "console.overdue_badge": {"zh": "超时", "en": "Overdue"},
    "console.deadline_reply": {"zh": "回复时限", "en": "Reply by"},
    "console.owner": {"zh": "业主 {name}", "en": "Owner {name}"},
    "console.created": {"zh": "提交于 {time}", "en": "Submitted {time}"},
    "console.no_comment": {"zh": "(未填写评价内容)", "en": "(no comment)"},
    "console.reply_label": {"zh": "回复业主(将公示)", "en": "Reply to the owner (public)"},
    "console.reply_submit": {"zh": "发送回复", "en": "Send reply"},
    "console.reply_sent": {"zh": "回复已发送。", "en": "Reply sent."},
    "console.reload": {"zh": "刷新", "en": "Reload"},
    "console.open_order": {"zh": "查看工单", "en": "Open the work order"},
    "console.open_ticket": {"zh": "查看整改单", "en": "Open the ticket"},
    "console.actions": {"zh": "办理", "en": "Act on it"},
    # --- notifications -------------------------------------------------------------------------
    "notify.intro_owner": {
        "zh": "您的工单、整改单和评价的最新动态。",
        "en": "News about your work orders, tickets and ratings.",
    },
    "notify.intro_manager": {
        "zh": "本小区的新评价、新整改单,以及业主对整改的确认或退回。",
        "en": "New ratings and tickets of the community, and owners confirming or reopening fixes.",
    },
    "notify.unread_count": {"zh": "{n} 条未读", "en": "{n} unread"},
    "notify.all_read": {"zh": "没有未读消息。", "en": "No unread updates."},
    "notify.mark_all_read": {"zh": "全部标为已读", "en": "Mark all as read"},
    "notify.marked": {"zh": "已全部标为已读。", "en": "All marked as read."},
    "notify.unread": {"zh": "未读", "en": "Unread"},
    "notify.empty": {
        "zh": "暂无消息。您的工单、整改单有了新进展时会显示在这里。",
        "en": "No updates yet. News about your orders and tickets will appear here.",
    },
    "notify.empty_manager": {
        "zh": "暂无消息。业主提交评价或整改单时会显示在这里。",
        "en": "No updates yet. New ratings and tickets will appear here.",
    },
    "notify.kind_order_stage": {"zh": "工单进展:{label}", "en": "Work order: {label}"},
    "notify.kind_ticket_status": {"zh": "整改单:{label}", "en": "Ticket: {label}"},
    "notify.kind_ticket_progress": {"zh": "整改进展更新", "en": "Progress on the ticket"},
    "notify.kind_followed_order_stage": {
        "zh": "关注的工单:{label}",
        "en": "Order you follow: {label}",
    },
    "notify.kind_followed_ticket_status": {
        "zh": "关注的整改单:{label}",
        "en": "Ticket you follow: {label}",
    },
    "notify.kind_followed_ticket_progress": {
        "zh": "关注的整改单有进展",
        "en": "Progress on a ticket you follow",
    },
    "notify.kind_rating_reply": {"zh": "物业回复了您的评价", "en": "The company replied to you"},
    "notify.kind_new_rating": {"zh": "新评价", "en": "New rating"},
    "notify.kind_new_ticket": {"zh": "新整改单(当前:{label})", "en": "New ticket (now: {label})"},
    "notify.kind_owner_action": {"zh": "业主操作:{label}", "en": "Owner: {label}"},
    "notify.owner_closed": {"zh": "确认整改完成", "en": "confirmed the fix"},
    "notify.owner_in_progress": {"zh": "退回继续整改", "en": "reopened the ticket"},
    "notify.open_order": {"zh": "查看工单", "en": "Open the work order"},
    "notify.open_ticket": {"zh": "查看整改单", "en": "Open the ticket"},
    "notify.open_to_rate": {"zh": "去评价", "en": "Rate it"},
    "notify.kind_order_completed": {
        "zh": "工单已完成,请您评价",
        "en": "Work order completed: please rate it",
    },
    "console.order": {"zh": "排序", "en": "Sort"},
    "console.order_deadline": {"zh": "按时限", "en": "By deadline"},
    "console.order_severity": {"zh": "按严重程度", "en": "By severity"},
    "console.red_line_badge": {"zh": "低于红线", "en": "Below the red line"},
}
