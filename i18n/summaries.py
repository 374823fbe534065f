"""Charts' text summaries (ui/charts/summaries.py)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "summary.separator": {"zh": "、", "en": ", "},
    "summary.count_of": {"zh": "{name} {count}", "en": "{name} {count}"},
    "summary.texts_of": {"zh": "{word}({count} 条)", "en": "{word} ({count} texts)"},
    "summary.kpi_value": {"zh": "{kpi} {value}", "en": "{kpi} {value}"},
    "summary.kpi_value_before": {
        "zh": "{kpi} {value}(上月 {before})",
        "en": "{kpi} {value} (month before {before})",
    },
    "summary.kpi_trend": {
        "zh": "图表摘要:最近一个完整月 {month}:{values}。",
        "en": "Chart summary: the last whole month, {month}: {values}.",
    },
    "summary.kpi_trend_before": {
        "zh": "图表摘要:最近一个完整月 {month}(上月为 {before}):{values}。",
        "en": "Chart summary: the last whole month, {month} (the month before: {before}): {values}.",
    },
    "summary.kpi_trend_none": {
        "zh": "图表摘要:还没有完整的月份,当月仍在进行中。",
        "en": "Chart summary: no whole month yet; this month is still running.",
    },
    "summary.history": {
        "zh": "图表摘要:本期共 {total} 单({types});最多的时段是 {busiest},{count} 单。",
        "en": "Chart summary: {total} orders in the period ({types}); the busiest time was {busiest} with {count}.",
    },
    "summary.history_none": {
        "zh": "图表摘要:本期没有工单。",
        "en": "Chart summary: no orders in the period.",
    },
    "summary.calendar": {
        "zh": "图表摘要:有计划任务的 {days} 天中,{complete} 天全部按计划完成",
        "en": "Chart summary: of the {days} days with tasks due, {complete} had every task done as planned",
    },
    "summary.calendar_worst": {
        "zh": ";完成率最低的一天是 {day}({rate})。",
        "en": "; the lowest day was {day} ({rate}).",
    },
    "summary.calendar_none": {
        "zh": "图表摘要:本期还没有到期的计划任务。",
        "en": "Chart summary: no planned task has fallen due in the period yet.",
    },
    "summary.coverage": {
        "zh": "图表摘要:有已结束班次的 {days} 天中,{below} 天平均覆盖率低于 {target} 目标",
        "en": "Chart summary: of the {days} days with finished shifts, {below} fell below the {target} target",
    },
    "summary.coverage_lowest": {
        "zh": ";最低的一天是 {day}({rate})。",
        "en": "; the lowest was {day} ({rate}).",
    },
    "summary.coverage_none": {
        "zh": "图表摘要:本期还没有已结束的班次。",
        "en": "Chart summary: no shift has finished in the period yet.",
    },
    "summary.site_plan": {
        "zh": "图表摘要:本班次 {total} 个点位:{states}。",
        "en": "Chart summary: {total} checkpoints on this shift: {states}.",
    },
    "summary.site_plan_missed": {"zh": "漏检:{names}。", "en": " Missed: {names}."},
    "summary.staff": {
        "zh": "{measure}:最近 {month} 为 {value},所示各月在 {low} 至 {high} 之间。",
        "en": "{measure}: {value} in {month}, between {low} and {high} over the months shown.",
    },
    "summary.staff_none": {"zh": "{measure}:暂无数据。", "en": "{measure}: no data."},
    "summary.reply": {
        "zh": "图表摘要:按时回复率最低的是{worst} {worst_share}({worst_count}),最高的是{best} {best_share}({best_count})。",
        "en": "Chart summary: {worst} was answered on time least often, {worst_share} ({worst_count}); {best} most often, {best_share} ({best_count}).",
    },
    "summary.reply_none": {
        "zh": "图表摘要:本期没有到期的回复。",
        "en": "Chart summary: no reply fell due in the period.",
    },
    "summary.handling": {
        "zh": "图表摘要:处理时长中位数最长的是{slow}({slow_hours} 小时),最短的是{fast}({fast_hours} 小时)。",
        "en": "Chart summary: the longest median handling time was {slow} ({slow_hours} h), the shortest {fast} ({fast_hours} h).",
    },
    "summary.handling_none": {
        "zh": "图表摘要:本期没有办结的工单。",
        "en": "Chart summary: no order was closed in the period.",
    },
    "summary.overdue": {
        "zh": "图表摘要:本期逾期工单 {orders} 件、整改单 {tickets} 件;逾期最多的是 {week} 起的一周({count} 件)。",
        "en": "Chart summary: {orders} orders and {tickets} tickets went overdue in the period; the most in the week of {week} ({count}).",
    },
    "summary.overdue_none": {
        "zh": "图表摘要:本期到期的 {due} 项都没有逾期。",
        "en": "Chart summary: none of the {due} deadlines in the period was missed.",
    },
    "summary.hotspots": {
        "zh": "图表摘要:问题最集中的是 {cells}(单数)。",
        "en": "Chart summary: problems gathered most at {cells} (orders).",
    },
    "summary.hotspots_none": {
        "zh": "图表摘要:本期没有问题工单。",
        "en": "Chart summary: no problem orders in the period.",
    },
    "summary.keywords": {
        "zh": "图表摘要:提到最多的是 {words}。",
        "en": "Chart summary: the words in most texts: {words}.",
    },
    "summary.keywords_none": {"zh": "图表摘要:没有关键词。", "en": "Chart summary: no keywords."},
    "summary.alerts": {
        "zh": "图表摘要:所示各周共产生预警 {total} 条({rules});最多的是 {week} 起的一周({count} 条)。",
        "en": "Chart summary: {total} alerts over the weeks shown ({rules}); the most in the week of {week} ({count}).",
    },
    "summary.ranked": {
        "zh": "图表摘要:最多的是 {items}。",
        "en": "Chart summary: the most were {items}.",
    },
    "summary.ranked_none": {"zh": "图表摘要:没有数据。", "en": "Chart summary: no data."},
    "summary.alerts_none": {
        "zh": "图表摘要:所示各周没有预警。",
        "en": "Chart summary: no alerts in the weeks shown.",
    },
}
