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
    "msg.rating_reply": {"zh": "物业回复了您的评价", "en": "The company replied to your rating"},
    "msg.alert": {"zh": "新预警:{rule}", "en": "New alert: {rule}"},
    "msg.digest": {"zh": "您有 {n} 条新消息", "en": "{n} new updates for you"},
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
}
