"""UI strings of the analytics page (分析): distributions, hotspots, keywords, risk points."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- page -----------------------------------------------------------------------------------
    "analytics.intro": {
        "zh": "看清服务短板:回复和处理是否及时、问题集中在哪里、业主最常提到什么、哪些地方风险叠加。",
        "en": "Where service falls short: timely replies and handling, where problems cluster, "
        "what owners mention most, and where risks pile up.",
    },
    "analytics.tab_timeliness": {"zh": "时效", "en": "Timeliness"},
    "analytics.tab_hotspots": {"zh": "热点", "en": "Hotspots"},
    "analytics.tab_keywords": {"zh": "关键词", "en": "Keywords"},
    "analytics.tab_risks": {"zh": "风险点", "en": "Risk points"},
    "analytics.no_data": {"zh": "暂无数据", "en": "No data"},
    "analytics.hours": {"zh": "{hours} 小时", "en": "{hours} h"},
    # --- timeliness -----------------------------------------------------------------------------
    "analytics.metric_reply_share": {"zh": "评价回复及时率", "en": "Ratings answered on time"},
    "analytics.metric_reply_help": {
        "zh": "本期评价中,在回复时限内得到答复的比例(时限未到且未回复的不计)。",
        "en": "Share of this period's ratings answered within the reply deadline (ratings "
        "still inside their deadline and unanswered are not counted).",
    },
    "analytics.metric_closed": {"zh": "已完成工单", "en": "Closed orders"},
    "analytics.metric_median": {"zh": "处理时长中位数", "en": "Median handling time"},
    "analytics.metric_overdue": {"zh": "超时工单 / 整改单", "en": "Overdue orders / tickets"},
    "analytics.overdue_pair": {"zh": "{orders} / {tickets}", "en": "{orders} / {tickets}"},
    "analytics.reply_header": {"zh": "各类别回复及时率", "en": "Reply timeliness by category"},
    "analytics.reply_empty": {
        "zh": "本期还没有需要回复的评价。",
        "en": "No rating of this period needed a reply yet.",
    },
    "analytics.axis_category": {"zh": "类别", "en": "Category"},
    "analytics.axis_share": {"zh": "及时率", "en": "On-time share"},
    "analytics.tooltip_due": {"zh": "应回复", "en": "Due"},
    "analytics.tooltip_in_time": {"zh": "按时回复", "en": "Answered on time"},
    "analytics.handling_header": {
        "zh": "各类别处理时长分布",
        "en": "Handling time by category",
    },
    "analytics.handling_caption": {
        "zh": "本期创建且已完成的工单:从提交到完成的小时数。箱体为中间一半工单,线为最短到最长。",
        "en": "Orders created in the period and closed: hours from submission to completion. "
        "The box holds the middle half of the orders, the whiskers run from shortest to longest.",
    },
    "analytics.handling_empty": {
        "zh": "本期还没有已完成的工单。",
        "en": "No order of this period has been closed yet.",
    },
    "analytics.axis_hours": {"zh": "处理时长(小时)", "en": "Handling time (hours)"},
    "analytics.overdue_header": {"zh": "超时趋势(按周)", "en": "Overdue trend (weekly)"},
    "analytics.overdue_caption": {
        "zh": "每周到期的处理时限中有多少被错过:工单按完成时限,整改单按整改时限(已驳回的不计)。",
        "en": "How many of each week's deadlines were missed: orders by their resolve "
        "deadline, tickets by their fix deadline (rejected tickets excluded).",
    },
    "analytics.overdue_empty": {
        "zh": "本期没有已到期的处理时限。",
        "en": "No deadline of this period has passed yet.",
    },
    "analytics.axis_week": {"zh": "周(周一)", "en": "Week (Monday)"},
    "analytics.axis_overdue": {"zh": "超时数", "en": "Overdue"},
    "analytics.legend_source": {"zh": "类型", "en": "Kind"},
    "analytics.source_order": {"zh": "工单", "en": "Work orders"},
    "analytics.source_ticket": {"zh": "整改单", "en": "Rectification tickets"},
    # --- hotspots -------------------------------------------------------------------------------
    "analytics.hotspot_header": {"zh": "热点分布:区域 × 类别", "en": "Hotspots: place × category"},
    "analytics.hotspot_caption": {
        "zh": "本期报修、投诉和整改工单按楼栋/区域与类别计数,颜色越深问题越集中。",
        "en": "Repair, complaint and rectification orders of the period by building/area and "
        "category; the darker, the more problems.",
    },
    "analytics.hotspot_empty": {
        "zh": "本期没有关联到具体区域的问题工单。",
        "en": "No problem order of this period is tied to a place.",
    },
    "analytics.metric_issue_orders": {"zh": "问题工单", "en": "Problem orders"},
    "analytics.metric_busiest_area": {"zh": "最集中的区域", "en": "Busiest place"},
    "analytics.busiest_value": {"zh": "{area}({count} 单)", "en": "{area} ({count})"},
    "analytics.axis_area": {"zh": "楼栋/区域", "en": "Building / area"},
    "analytics.legend_count": {"zh": "工单数", "en": "Orders"},
    "analytics.tooltip_kind": {"zh": "区域类型", "en": "Kind of place"},
    "analytics.area_kind.building": {"zh": "楼栋", "en": "Building"},
    "analytics.area_kind.garden": {"zh": "园区", "en": "Garden"},
    "analytics.area_kind.garage": {"zh": "地库", "en": "Garage"},
    "analytics.area_kind.lobby": {"zh": "大堂", "en": "Lobby"},
    "analytics.area_kind.gate": {"zh": "出入口", "en": "Gate"},
    "analytics.area_kind.facility": {"zh": "设施", "en": "Facility"},
    # --- keywords -------------------------------------------------------------------------------
    "keywords.header": {"zh": "业主反馈关键词", "en": "What owners write about"},
    "keywords.caption": {
        "zh": "从投诉、评价留言和整改单中分词统计,按区分度排序:本期比全公司平时更常提到的话题排在前面,"
        "问候语、称呼等套话和常用虚词不计;条形长度和括号中的数字是提到该词的条数。",
        "en": "Words from complaints, rating comments and tickets, ranked by how distinctive they "
        "are: topics raised more here than in the company's writing as a whole come first; "
        "greetings, forms of address and filler words do not count. Bars and numbers are the "
        "texts mentioning each word.",
    },
    "keywords.sources": {"zh": "文本来源", "en": "Sources"},
    "keywords.source.complaint": {"zh": "投诉", "en": "Complaints"},
    "keywords.source.rating": {"zh": "评价留言", "en": "Rating comments"},
    "keywords.source.ticket": {"zh": "整改单", "en": "Tickets"},
    "keywords.pick_source": {
        "zh": "请至少选择一种文本来源。",
        "en": "Choose at least one source.",
    },
    "keywords.metric_texts": {"zh": "文本条数", "en": "Texts"},
    "keywords.empty": {
        "zh": "本期没有可分析的文字反馈。",
        "en": "No written feedback in this period.",
    },
    "keywords.axis_word": {"zh": "关键词", "en": "Keyword"},
    "keywords.axis_documents": {"zh": "提及条数", "en": "Texts mentioning it"},
    "keywords.tooltip_count": {"zh": "出现次数", "en": "Occurrences"},
    "keywords.tooltip_score": {"zh": "区分度", "en": "Distinctiveness"},
    "keywords.pick_word": {"zh": "查看提到该词的原文", "en": "Show the texts with"},
    "keywords.word_option": {"zh": "{word}({documents} 条)", "en": "{word} ({documents})"},
    "keywords.texts_header": {"zh": "提到「{word}」的反馈", "en": "Feedback mentioning “{word}”"},
    "keywords.texts_shown": {
        "zh": "显示最新的 {shown} 条(共 {total} 条)。",
        "en": "Showing the newest {shown} of {total}.",
    },
    "keywords.no_texts": {
        "zh": "没有找到提到该词的反馈。",
        "en": "No feedback mentions this word.",
    },
    "keywords.open_order": {"zh": "查看工单", "en": "Open the work order"},
    "keywords.open_ticket": {"zh": "查看整改单", "en": "Open the ticket"},
    "keywords.unknown_source": {
        "zh": "未知的文本来源:{source}",
        "en": "Unknown text source: {source}",
    },
    # --- risk points ------------------------------------------------------------------------------
    "analytics.risk_header": {"zh": "风险点", "en": "Risk points"},
    "analytics.risk_caption": {
        "zh": "同一地点在本期出现问题集中、低分评价、设备故障中至少 {signals} 项,才列为风险点。"
        "风险分 = 热点类别工单数 × {hotspot} + 低分评价 × {low} + 设备故障 × {fault} + 未修复故障 × {open_fault}。",
        "en": "A place is a risk point when at least {signals} of these coincide there in the "
        "period: a problem hotspot, low ratings, equipment faults. Risk score = orders in "
        "hotspot categories × {hotspot} + low ratings × {low} + faults × {fault} + unresolved "
        "faults × {open_fault}.",
    },
    "analytics.risk_empty": {
        "zh": "本期没有多种风险信号叠加的地点。",
        "en": "No place shows several risk signals in this period.",
    },
    "analytics.risk_title": {"zh": "第 {rank} 位 · {area}", "en": "#{rank} · {area}"},
    "analytics.risk_score": {"zh": "风险分", "en": "Risk score"},
    "analytics.risk_signals": {"zh": "{signals}/3 项信号", "en": "{signals} of 3 signals"},
    "analytics.reason_hotspot": {
        "zh": "问题集中:{items}(单类 ≥ {min_count} 单即为热点)",
        "en": "Problem hotspot: {items} (a category is a hotspot from {min_count} orders)",
    },
    "analytics.reason_hotspot_item": {"zh": "{category} {count} 单", "en": "{category} {count}"},
    "analytics.reason_low_ratings": {
        "zh": "低分评价 {count} 条(任一项 ≤ {red_line} 星)",
        "en": "{count} low rating(s) (a score of {red_line} or less)",
    },
    "analytics.reason_faults": {
        "zh": "设备故障 {count} 次:{equipment}",
        "en": "{count} equipment fault(s): {equipment}",
    },
    "analytics.reason_open_faults": {
        "zh": "其中 {count} 次尚未修复",
        "en": "{count} of them not yet resolved",
    },
    "analytics.reason_separator": {"zh": ";", "en": "; "},
    "analytics.reason_list_separator": {"zh": "、", "en": ", "},
}
