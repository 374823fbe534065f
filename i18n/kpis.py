"""UI strings of the KPIs (docs/domain.md#kpis): names, plain definitions, target and trend."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- names ---------------------------------------------------------------------------------
    "kpi.plan_completion_rate": {"zh": "计划完成率", "en": "On-plan completion"},
    "kpi.actual_completion_rate": {"zh": "实际完成率", "en": "Actual completion"},
    "kpi.timeliness_rate": {"zh": "服务及时率", "en": "Service timeliness"},
    "kpi.rectification_rate": {"zh": "问题整改率", "en": "Rectification rate"},
    "kpi.satisfaction": {"zh": "满意度", "en": "Satisfaction"},
    "kpi.reply_timeliness_rate": {"zh": "回复及时率", "en": "Reply timeliness"},
    # --- what each one means, for owners ------------------------------------------------------------
    "kpi.plan_completion_rate.help": {
        "zh": "本期应做的计划任务(不含已取消的)中,在规定时间段内按时完成的比例。",
        "en": "Of the planned tasks due in this period (cancelled ones left out), the share done "
        "within their scheduled time window.",
    },
    "kpi.actual_completion_rate.help": {
        "zh": "本期应做的计划任务(不含已取消的)中,最终完成的比例,超时完成的也算在内。",
        "en": "Of the planned tasks due in this period (cancelled ones left out), the share that "
        "was done at all, late ones included.",
    },
    "kpi.timeliness_rate.help": {
        "zh": "本期提交的工单中,已有结果的(已办结或已过时限的)里,响应和办结都没有超时的比例。",
        "en": "Of the work orders submitted in this period whose outcome is known (finished, or "
        "past a deadline), the share answered and finished within both deadlines.",
    },
    "kpi.rectification_rate.help": {
        "zh": "本期提出的整改单中,已经整改完毕并关闭的比例(被驳回的也计入总数)。",
        "en": "Of the rectification tickets opened in this period, the share already fixed and "
        "closed (rejected tickets count in the total).",
    },
    "kpi.satisfaction.help": {
        "zh": "本期业主评价的平均分(满分5分,每条评价取响应速度、服务态度、维修质量三项的平均)。",
        "en": "The average score owners gave in this period, out of 5 (each rating is the average "
        "of speed, attitude and quality).",
    },
    "kpi.reply_timeliness_rate.help": {
        "zh": "本期的业主评价和整改单中,物业在规定时限内作出回复(或受理、驳回)的比例。",
        "en": "Of the owners' ratings and rectification tickets of this period, the share the "
        "property company answered (or accepted or rejected) within the deadline.",
    },
    # --- shared bits -----------------------------------------------------------------------------
    "kpi.no_data": {"zh": "暂无数据", "en": "No data"},
    "kpi.not_measured": {
        "zh": "未测量：{count} 项{reason}",
        "en": "Not measured: {count} items {reason}",
    },
    "kpi.pending": {
        "zh": "{count} 项尚未到期,未计入",
        "en": "{count} items not yet due, left out",
    },
    "kpi.left_out": {
        "zh": "{count} 项{reason}，未计入",
        "en": "{count} items {reason}, left out",
    },
    "kpi.timeliness_rate.left_out_reason": {
        "zh": "无响应时间记录（数据源未提供）",
        "en": "have no response time (the source does not record it)",
    },
    "kpi.target": {"zh": "目标 {target}", "en": "Target {target}"},
    "kpi.previous": {"zh": "上期 {previous}", "en": "Previous {previous}"},
    "kpi.good_share": {"zh": "好评率(≥4分) {share}", "en": "Rated 4+ {share}"},
    "kpi.on_time_share": {"zh": "按期整改 {share}", "en": "Fixed on time {share}"},
}
