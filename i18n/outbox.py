"""UI strings of messages that leave the app, the notification settings and the delivery log."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- the messages themselves (channels/text.py) -------------------------------------------------
    "msg.order_step": {"zh": "您的工单有新进展:{stage}", "en": "Your work order: {stage}"},
    "msg.order_to_rate": {
        "zh": "您的工单已完成,欢迎评价",
        "en": "Your work order is completed: please rate it",
    },
    "msg.ticket_move": {"zh": "您的整改单:{status}", "en": "Your ticket: {status}"},
    "msg.followed_order": {
        "zh": "您关注的工单有新进展:{stage}",
        "en": "A work order you follow: {stage}",
    },
    "msg.followed_ticket": {"zh": "您关注的整改单:{status}", "en": "A ticket you follow: {status}"},
    "msg.rating_reply": {"zh": "物业回复了您的评价", "en": "The company replied to your rating"},
    "msg.alert": {"zh": "新预警:{rule}", "en": "New alert: {rule}"},
    "msg.announcement": {"zh": "社区公告({kind})", "en": "Community notice ({kind})"},
    "msg.question_answer": {
        "zh": "物业回复了您对公示账目的提问",
        "en": "The company answered your question about the public money",
    },
    "msg.poll": {"zh": "业主表决开始了:{rule}", "en": "A vote of the owners is open: {rule}"},
    "msg.poll_result": {"zh": "表决结果公布:{result}", "en": "A vote's result is out: {result}"},
    "msg.poll_reminder": {
        "zh": "提醒:你还没有投票({rule}),请在截止前投票",
        "en": "Reminder: you have not voted yet ({rule}); please vote before the close",
    },
    "msg.digest": {"zh": "您有 {n} 条新消息", "en": "{n} new updates for you"},
    "msg.password_code_title": {"zh": "找回密码验证码", "en": "Your password code"},
    "msg.password_code": {
        "zh": "验证码 {code},{minutes} 分钟内有效。如非本人操作请忽略。",
        "en": "Code {code}, valid {minutes} minutes. If you did not ask for it, ignore this.",
    },
    "msg.urgent": {"zh": "【紧急】{text}", "en": "[Urgent] {text}"},
    "msg.open_link": {"zh": "查看详情:{link}", "en": "Details: {link}"},
    # --- configuration errors -----------------------------------------------------------------------
    "error.smtp_url": {
        "zh": "SMTP_URL 格式应为 smtp://用户:密码@主机:端口(或 smtps://)。",
        "en": "SMTP_URL must look like smtp://user:password@host:port (or smtps://).",
    },
    "error.smtp_from": {
        "zh": "已设置 SMTP_URL,还需设置发件地址 SMTP_FROM。",
        "en": "SMTP_URL is set: SMTP_FROM (the sender address) is needed too.",
    },
    "error.wechat_settings": {
        "zh": "已设置 WECHAT_APP_ID,还需 WECHAT_APP_SECRET 和 WECHAT_TEMPLATE_ID。",
        "en": "WECHAT_APP_ID is set: WECHAT_APP_SECRET and WECHAT_TEMPLATE_ID are needed too.",
    },
    "error.sms_settings": {
        "zh": "已设置 SMS_ACCESS_KEY_ID,还需 SMS_ACCESS_KEY_SECRET、SMS_SIGN_NAME 和 SMS_TEMPLATE_CODE。",
        "en": "SMS_ACCESS_KEY_ID is set: SMS_ACCESS_KEY_SECRET, SMS_SIGN_NAME and SMS_TEMPLATE_CODE are needed too.",
    },
    "error.quiet_hours": {
        "zh": "免打扰时段格式应为 22:00-07:00。",
        "en": "Quiet hours must look like 22:00-07:00.",
    },
    "error.email_address": {
        "zh": "请填写有效的电子邮箱地址。",
        "en": "Please enter a valid e-mail address.",
    },
    "error.account_gone": {
        "zh": "该账号已停用或不存在。",
        "en": "This account is disabled or no longer exists.",
    },
    "error.notification_choice": {
        "zh": "无法保存该通知选项。",
        "en": "This notification choice cannot be kept.",
    },
    # --- pages ----------------------------------------------------------------------------------------
    "page.notification_settings": {"zh": "我的设置", "en": "My settings"},
    "page.deliveries": {"zh": "消息投递记录", "en": "Delivery log"},
    "outbox.settings_intro": {
        "zh": "选择哪些消息通过微信、短信或邮件通知您,以及夜间免打扰。站内「消息通知」始终保留全部消息。",
        "en": "Choose which news reaches you by WeChat, SMS or e-mail, and quiet hours at night. The in-app Notifications list always keeps everything.",
    },
    "outbox.no_channels": {
        "zh": "物业尚未开通站外消息(微信、短信、邮件),消息请在「消息通知」中查看。",
        "en": "The company has not switched on messages outside the app yet (WeChat, SMS, e-mail): see Notifications.",
    },
    "outbox.no_channels_manager": {
        "zh": "尚未配置任何消息渠道(SMTP_URL、WECHAT_APP_ID、SMS_ACCESS_KEY_ID),见运维文档。",
        "en": "No message channel is configured (SMTP_URL, WECHAT_APP_ID, SMS_ACCESS_KEY_ID): see the operations guide.",
    },
    "outbox.channel_wechat": {"zh": "微信", "en": "WeChat"},
    "outbox.channel_email": {"zh": "邮件", "en": "E-mail"},
    "outbox.channel_sms": {"zh": "短信", "en": "SMS"},
    "outbox.event_order_step": {"zh": "我的工单有新进展", "en": "A step on my work order"},
    "outbox.event_followed_order": {
        "zh": "我关注的工单有新进展",
        "en": "A step on a work order I follow",
    },
    "outbox.event_followed_ticket": {
        "zh": "我关注的整改单有变化",
        "en": "A move on a ticket I follow",
    },
    "outbox.event_order_to_rate": {
        "zh": "我的工单已完成,待评价",
        "en": "My work order is done: rate it",
    },
    "outbox.event_ticket_move": {"zh": "我的整改单有变化", "en": "A move on my ticket"},
    "outbox.event_rating_reply": {"zh": "物业回复了我的评价", "en": "A reply to my rating"},
    "outbox.event_alert": {"zh": "新预警", "en": "A new alert"},
    "outbox.event_announcement": {"zh": "新公告", "en": "A new notice"},
    "outbox.event_question_answer": {
        "zh": "我对公示账目的提问有了回复",
        "en": "An answer to my question about the public money",
    },
    "outbox.event_poll": {"zh": "新的业主征询或表决", "en": "A new consultation or vote"},
    "outbox.event_poll_reminder": {
        "zh": "尚未投票的提醒",
        "en": "A reminder of a vote I have not cast",
    },
    "outbox.event_poll_result": {
        "zh": "业主征询或表决的结果",
        "en": "The result of a consultation or vote",
    },
    "outbox.event_digest": {"zh": "消息汇总", "en": "Digest"},
    "outbox.what_where": {"zh": "哪些消息、通过哪些渠道", "en": "Which news, on which channels"},
    "outbox.order": {"zh": "渠道优先顺序", "en": "Channels in order"},
    "outbox.order_help": {
        "zh": "每条消息先用第一个可用渠道发送;失败时自动改用下一个。",
        "en": "Each message goes by the first channel that can take it; if it fails, the next one is tried.",
    },
    "outbox.quiet_on": {"zh": "夜间免打扰", "en": "Quiet hours"},
    "outbox.quiet_from": {"zh": "开始", "en": "From"},
    "outbox.quiet_to": {"zh": "结束", "en": "Until"},
    "outbox.quiet_help": {
        "zh": "免打扰时段内的消息在结束后发送;紧急消息除外。",
        "en": "Messages in quiet hours are sent when they end; urgent ones are not held.",
    },
    "outbox.email": {"zh": "电子邮箱", "en": "E-mail address"},
    "outbox.phone": {
        "zh": "短信发送到您登记的手机:{phone}",
        "en": "SMS go to your registered mobile: {phone}",
    },
    "outbox.save": {"zh": "保存设置", "en": "Save settings"},
    "outbox.saved": {"zh": "消息设置已保存。", "en": "Message settings saved."},
    "outbox.wechat_is_bound": {
        "zh": "已绑定微信,可接收服务号消息。",
        "en": "WeChat is linked: messages come from the official account.",
    },
    "outbox.wechat_not_bound": {"zh": "尚未绑定微信。", "en": "WeChat is not linked yet."},
    "outbox.wechat_bind": {"zh": "绑定微信", "en": "Link WeChat"},
    "outbox.wechat_bind_help": {
        "zh": "请在微信中打开本页并关注物业服务号后绑定。",
        "en": "Open this page inside WeChat, follow the company's official account, then link.",
    },
    "outbox.wechat_unbind": {"zh": "解除绑定", "en": "Unlink WeChat"},
    "outbox.wechat_bound": {"zh": "微信已绑定。", "en": "WeChat is linked."},
    "outbox.wechat_unbound": {"zh": "已解除微信绑定。", "en": "WeChat is unlinked."},
    "error.wechat_bind": {
        "zh": "微信绑定未成功,请从本页重新点击「绑定微信」。",
        "en": "WeChat could not be linked: press Link WeChat on this page again.",
    },
    "outbox.managers_only": {
        "zh": "消息投递记录只对物业管理人员开放。",
        "en": "The delivery log is for managers only.",
    },
    "outbox.log_intro": {
        "zh": "本小区发出的站外消息及其结果。「未知」表示发送中断且该渠道无法防重,为避免重复不再重发,请视需要电话告知。",
        "en": "Messages that left the app for the community's people, and what became of them. Unknown: the send was interrupted on a channel that cannot refuse a repeat; it is not sent again — call the person if it matters.",
    },
    "outbox.unknown_warning": {
        "zh": "{n} 条消息结果未知(可能未送达),不会自动重发。",
        "en": "{n} messages have an unknown outcome (they may not have arrived) and are not resent.",
    },
    "outbox.filter_state": {"zh": "按状态筛选", "en": "Filter by state"},
    "outbox.log_empty": {"zh": "暂无投递记录。", "en": "Nothing delivered yet."},
    "outbox.state_pending": {"zh": "待发送", "en": "Waiting"},
    "outbox.state_sending": {"zh": "发送中", "en": "Sending"},
    "outbox.state_sent": {"zh": "已发送", "en": "Sent"},
    "outbox.state_failed": {"zh": "失败", "en": "Failed"},
    "outbox.state_unknown": {"zh": "未知", "en": "Unknown"},
    "outbox.state_digested": {"zh": "已并入汇总", "en": "In a digest"},
    "outbox.state_skipped": {"zh": "未发送", "en": "Not sent"},
    "outbox.col_time": {"zh": "时间", "en": "Time"},
    "outbox.col_to": {"zh": "接收人", "en": "To"},
    "outbox.col_channel": {"zh": "渠道", "en": "Channel"},
    "outbox.col_what": {"zh": "内容", "en": "About"},
    "outbox.col_ref": {"zh": "编号", "en": "Reference"},
    "outbox.col_state": {"zh": "状态", "en": "State"},
    "outbox.col_attempts": {"zh": "尝试次数", "en": "Attempts"},
    "outbox.col_sent": {"zh": "发送时间", "en": "Sent at"},
    "outbox.col_error": {"zh": "原因", "en": "Reason"},
}
