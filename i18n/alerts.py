"""UI strings of the alert engine's messages and the early-warning page (预警)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- rules, severities, states (labels of codes) ---------------------------------------------
    "alert_rule.response_overdue": {"zh": "响应超时", "en": "Response overdue"},
    "alert_rule.resolution_overdue": {"zh": "办结超时", "en": "Resolution overdue"},
    "alert_rule.accept_overdue": {"zh": "整改受理超时", "en": "Ticket acceptance overdue"},
    "alert_rule.fix_overdue": {"zh": "整改超期", "en": "Ticket fix overdue"},
    "alert_rule.red_line_rating": {"zh": "红线差评", "en": "Rating at the red line"},
    "alert_rule.hotspot": {"zh": "问题高发点", "en": "Hotspot"},
    "alert_rule.missed_checkpoints": {"zh": "巡检漏检", "en": "Missed patrol checkpoints"},
    "alert_rule.fault_streak": {"zh": "设备频繁故障", "en": "Equipment fault streak"},
    "alert_rule.source_failing": {"zh": "数据同步中断", "en": "Data sync failing"},
    "alert_rule.me_too": {"zh": "多位业主也遇到", "en": "Many owners affected"},
    "alert_severity.high": {"zh": "高", "en": "High"},
    "alert_severity.medium": {"zh": "中", "en": "Medium"},
    "alert_severity.low": {"zh": "低", "en": "Low"},
    "alert_state.open": {"zh": "待处理", "en": "Open"},
    "alert_state.acknowledged": {"zh": "已确认", "en": "Acknowledged"},
    "alert_state.resolved": {"zh": "已解决", "en": "Resolved"},
    # --- causes in words (data_access.alerts.rules.describe_cause) --------------------------------------
    "alerts.cause_response_overdue": {
        "zh": "工单 {code} 已过响应时限({due})仍未响应",
        "en": "Order {code} was not responded to by its deadline ({due})",
    },
    "alerts.cause_resolution_overdue": {
        "zh": "工单 {code} 已过办结时限({due})仍未完成",
        "en": "Order {code} was not completed by its deadline ({due})",
    },
    "alerts.cause_accept_overdue": {
        "zh": "整改单 {code} 已过受理时限({due})仍未受理",
        "en": "Ticket {code} was not accepted by its deadline ({due})",
    },
    "alerts.cause_fix_overdue": {
        "zh": "整改单 {code} 已过整改时限({due})仍未整改完成",
        "en": "Ticket {code} was not fixed by its deadline ({due})",
    },
    "alerts.cause_red_line_rating": {
        "zh": "工单 {code} 的评价最低 {score} 星(红线 {red_line} 星),尚未回复",
        "en": "A rating of order {code} gives {score} star(s) (red line: {red_line}) and has no "
        "reply yet",
    },
    "alerts.cause_hotspot": {
        "zh": "{area} · {category}:{days} 天内同类问题达 {min_count} 件及以上(工单与业主“我也遇到”合计)",
        "en": "{area} · {category}: {min_count} or more reports (orders and owners' “me too”) "
        "within {days} days",
    },
    "alerts.cause_missed_checkpoints": {
        "zh": "{day} 巡检漏检点位达 {min_count} 个及以上",
        "en": "{day}: {min_count} or more patrol checkpoints missed",
    },
    "alerts.cause_fault_streak": {
        "zh": "设备 {equipment} {days} 天内故障 {min_count} 次及以上",
        "en": "Equipment {equipment}: {min_count} or more faults within {days} days",
    },
    "alerts.cause_me_too": {
        "zh": "{code}:已有 {min_count} 位及以上业主表示“我也遇到”",
        "en": "{code}: {min_count} or more owners said they have the same problem",
    },
    "alerts.cause_source_failing": {
        "zh": "来自 {source} 的数据同步已连续失败 {minutes} 分钟以上,页面停留在最近一次成功同步的数据",
        "en": "Syncing from {source} has failed for over {minutes} minutes; pages show the last "
        "successfully synced data",
    },
    # --- refusals -----------------------------------------------------------------------------
    "alerts.not_allowed": {
        "zh": "预警只对业委会和物业管理人员开放。",
        "en": "Early warnings are for the owners' committee and property managers only.",
    },
    "alerts.managers_only": {
        "zh": "只有本小区的物业管理人员可以处理预警。",
        "en": "Only the community's property managers can handle alerts.",
    },
    "alerts.not_found": {"zh": "找不到该预警。", "en": "Alert not found."},
    "alerts.changed_meanwhile": {
        "zh": "该预警刚被他人处理,请查看最新状态。",
        "en": "Someone else just handled this alert; see its current state.",
    },
    "alerts.already_acknowledged": {
        "zh": "该预警已被确认。",
        "en": "This alert has already been acknowledged.",
    },
    "alerts.already_resolved": {
        "zh": "该预警已解决。",
        "en": "This alert has already been resolved.",
    },
    "alerts.note_too_long": {
        "zh": "处理说明最多 {max} 个字。",
        "en": "The note can have at most {max} characters.",
    },
    # --- the page -------------------------------------------------------------------------------
    "alerts.intro": {
        "zh": "系统按合同约定的阈值自动发现的问题:超时、差评、问题高发点、巡检漏检和设备频繁故障。"
        "原因消失后预警自动解除。",
        "en": "Problems found automatically against the contract's thresholds: overdue work, "
        "low ratings, hotspots, missed patrols and equipment faults. An alert clears by itself "
        "once its cause ends.",
    },
    "alerts.metric_severity": {"zh": "预警({severity})", "en": "{severity} severity"},
    "alerts.metric_severity_help": {
        "zh": "待处理和已确认、尚未解决的预警",
        "en": "Open and acknowledged alerts, not yet resolved",
    },
    "alerts.metric_acknowledged": {"zh": "已确认处理中", "en": "Acknowledged"},
    "alerts.trend_header": {"zh": "预警趋势", "en": "Alert trend"},
    "alerts.trend_caption": {
        "zh": "近 {weeks} 周每周新发预警数(按问题出现的时间),按规则分色。",
        "en": "Alerts raised per week over the last {weeks} weeks (by when the problem began), "
        "by rule.",
    },
    "alerts.trend_empty": {
        "zh": "近 {weeks} 周没有新的预警。",
        "en": "No alerts were raised in the last {weeks} weeks.",
    },
    "alerts.axis_week": {"zh": "周", "en": "Week"},
    "alerts.tooltip_week_start": {"zh": "周一", "en": "Monday"},
    "alerts.axis_raised": {"zh": "预警数", "en": "Alerts"},
    "alerts.legend_rule": {"zh": "规则", "en": "Rule"},
    "alerts.list_header": {"zh": "预警列表", "en": "Alerts"},
    "alerts.filter_severity": {"zh": "级别", "en": "Severity"},
    "alerts.filter_rule": {"zh": "规则", "en": "Rule"},
    "alerts.filter_state": {"zh": "状态", "en": "State"},
    "alerts.state_active": {"zh": "未解决", "en": "Unresolved"},
    "alerts.count": {"zh": "共 {n} 条", "en": "{n} alerts"},
    "alerts.truncated": {
        "zh": "已显示前 {shown} 条,可用筛选缩小范围。",
        "en": "Showing the first {shown}; narrow the list with the filters.",
    },
    "alerts.show_more": {"zh": "再显示 {n} 条", "en": "Show {n} more"},
    "alerts.empty": {
        "zh": "目前没有未解决的预警。",
        "en": "There are no unresolved alerts right now.",
    },
    "alerts.empty_filtered": {
        "zh": "没有符合条件的预警。",
        "en": "No alerts match these filters.",
    },
    "alerts.since": {"zh": "问题出现于 {time}({age})", "en": "Began {time} ({age})"},
    "alerts.last_checked": {"zh": "最近核查 {time}", "en": "Last checked {time}"},
    "alerts.acknowledged_by": {
        "zh": "{name} 于 {time} 确认",
        "en": "Acknowledged by {name} at {time}",
    },
    "alerts.resolved_by": {"zh": "{name} 于 {time} 解决", "en": "Resolved by {name} at {time}"},
    "alerts.resolved_auto": {
        "zh": "原因已消失,系统于 {time} 自动解除",
        "en": "The cause ended; cleared automatically at {time}",
    },
    "alerts.note": {"zh": "处理说明:{note}", "en": "Note: {note}"},
    "alerts.open_order": {"zh": "查看工单", "en": "Open the order"},
    "alerts.open_ticket": {"zh": "查看整改单", "en": "Open the ticket"},
    "alerts.open_patrols": {"zh": "查看巡检记录", "en": "Open the patrol records"},
    "alerts.actions": {"zh": "处理", "en": "Handle"},
    "alerts.note_label": {
        "zh": "处理说明(解决时填写,可选)",
        "en": "Note (when resolving, optional)",
    },
    "alerts.acknowledge": {"zh": "确认收到", "en": "Acknowledge"},
    "alerts.resolve": {"zh": "标记已解决", "en": "Mark resolved"},
    "alerts.acknowledged_done": {"zh": "预警已确认。", "en": "Alert acknowledged."},
    "alerts.resolved_done": {"zh": "预警已标记为已解决。", "en": "Alert marked resolved."},
}
