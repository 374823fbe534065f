"""UI strings of quality checklists (品质检查清单) and staff KPIs (员工绩效)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- checklists: stored texts (built in zh) ------------------------------------------------
    "checklists.item_title": {
        "zh": "{place}·{keyword}:检查{category}",
        "en": "{place} · {keyword}: check {category}",
    },
    "checklists.standard": {
        "zh": "品质检查:{place}“{keywords}”类问题({category})。近{months}个月投诉与差评共{evidence}起,涉及{communities}个小区。每次检查相关部位,发现问题拍照留存,能当场处理的当场处理,不能的立即报修。",
        "en": "Quality check: '{keywords}' problems at {place} ({category}). {evidence} complaints and low ratings in the last {months} months, in {communities} communities. Check the places concerned each time, photograph what is wrong, fix it on the spot or report a repair at once.",
    },
    "checklists.place_kind.building": {"zh": "楼栋", "en": "Buildings"},
    "checklists.place_kind.garden": {"zh": "园区", "en": "Grounds"},
    "checklists.place_kind.garage": {"zh": "车库", "en": "Garage"},
    "checklists.place_kind.lobby": {"zh": "大堂", "en": "Lobby"},
    "checklists.place_kind.gate": {"zh": "出入口", "en": "Gates"},
    "checklists.place_kind.facility": {"zh": "配套设施", "en": "Facilities"},
    "checklists.place_kind.unknown": {"zh": "其他区域", "en": "Other places"},
    "checklists.status.proposed": {"zh": "待决定", "en": "Proposed"},
    "checklists.status.adopted": {"zh": "已采纳", "en": "Adopted"},
    "checklists.status.dismissed": {"zh": "不采纳", "en": "Dismissed"},
    "checklists.source.complaint": {"zh": "投诉", "en": "Complaint"},
    "checklists.source.rating": {"zh": "差评", "en": "Low rating"},
    # --- checklists: refusals ------------------------------------------------------------------
    "checklists.not_allowed": {
        "zh": "品质检查清单仅对业委会和物业经理开放。",
        "en": "Quality checklists are open to the owners' committee and managers only.",
    },
    "checklists.managers_only": {
        "zh": "只有物业经理可以分析、采纳或不采纳检查项。",
        "en": "Only property managers can analyse, adopt or dismiss checklist items.",
    },
    "checklists.not_found": {
        "zh": "该检查项不存在或已在重新分析后移除。",
        "en": "This checklist item does not exist or was removed by a new analysis.",
    },
    "checklists.changed_meanwhile": {
        "zh": "该检查项刚被其他人处理过,请查看最新状态后再操作。",
        "en": "Someone else just acted on this item. Please check its current state and try again.",
    },
    "checklists.recurrence_invalid": {
        "zh": "巡检频次只能是每天或每周。",
        "en": "The inspection can only recur daily or weekly.",
    },
    "checklists.weekday_invalid": {
        "zh": "请选择周一至周日中的一天。",
        "en": "Please choose a day from Monday to Sunday.",
    },
    "checklists.no_contract": {
        "zh": "本小区今天没有生效的服务合同,无法加入巡检项目。",
        "en": "Your community has no service contract in force today; the inspection cannot be added.",
    },
    "checklists.already_adopted": {
        "zh": "本小区已采纳该检查项,巡检项目已在服务计划中。",
        "en": "Your community already adopted this item; its inspection is in the service plan.",
    },
    "checklists.cannot_dismiss_adopted": {
        "zh": "已有小区采纳该检查项,不能再标记为不采纳。",
        "en": "A community has adopted this item; it can no longer be dismissed.",
    },
    "checklists.already_dismissed": {
        "zh": "该检查项已标记为不采纳。",
        "en": "This item is already dismissed.",
    },
    "checklists.status_invalid": {"zh": "未知的状态筛选。", "en": "Unknown status filter."},
    "checklists.analysis_busy": {
        "zh": "另一位经理正在同时分析,请稍后刷新查看结果。",
        "en": "Another manager is running the analysis right now. Please reload in a moment.",
    },
    # --- checklists page -----------------------------------------------------------------------
    "checklists.intro": {
        "zh": "从全公司各小区近 {months} 个月的投诉和差评中,归纳同类场所反复出现的问题(类别 + 场所 + 关键词),形成检查清单。物业经理可将其采纳为本小区的定期巡检项目。",
        "en": "Recurring problems at the same kind of place (category + place + keyword), found in the last {months} months of complaints and low ratings across all of the company's communities. Managers can adopt an item as a recurring inspection in their community.",
    },
    "checklists.analyse": {"zh": "重新分析", "en": "Analyse again"},
    "checklists.analyse_help": {
        "zh": "重新读取全部小区近 {months} 个月的投诉与差评,更新检查清单;已采纳和不采纳的决定保持不变。",
        "en": "Re-read the last {months} months of complaints and low ratings of all communities and update the checklist; adopt and dismiss decisions are kept.",
    },
    "checklists.analysing": {
        "zh": "正在分析投诉与差评…",
        "en": "Analysing complaints and low ratings…",
    },
    "checklists.analysed": {
        "zh": "分析完成:{evidence} 条投诉/差评,归纳出 {patterns} 个检查项(新增 {created} 个)。",
        "en": "Analysis done: {evidence} complaints/low ratings, {patterns} checklist items ({created} new).",
    },
    "checklists.last_analysed": {"zh": "最近分析:{time}", "en": "Last analysed: {time}"},
    "checklists.filter_status": {"zh": "状态", "en": "Status"},
    "checklists.empty_manager": {
        "zh": "检查清单还是空的。点击“重新分析”,从近期的投诉与差评中归纳反复出现的问题。",
        "en": "The checklist is empty. Click 'Analyse again' to find recurring problems in recent complaints and low ratings.",
    },
    "checklists.empty_committee": {
        "zh": "检查清单还是空的,物业经理分析投诉与差评后会在这里显示。",
        "en": "The checklist is empty; it appears here once a manager has analysed complaints and low ratings.",
    },
    "checklists.empty_filtered": {
        "zh": "没有该状态的检查项。",
        "en": "No checklist items with this status.",
    },
    "checklists.count": {"zh": "共 {n} 个检查项", "en": "{n} checklist items"},
    "checklists.col_title": {"zh": "检查项", "en": "Checklist item"},
    "checklists.col_category": {"zh": "问题类别", "en": "Category"},
    "checklists.col_place": {"zh": "场所类型", "en": "Kind of place"},
    "checklists.col_evidence": {"zh": "证据数", "en": "Evidence"},
    "checklists.col_communities": {"zh": "涉及小区", "en": "Communities"},
    "checklists.col_last_seen": {"zh": "最近出现", "en": "Last seen"},
    "checklists.col_status": {"zh": "状态", "en": "Status"},
    "checklists.col_here": {"zh": "本小区", "en": "Here"},
    "checklists.here_yes": {"zh": "已纳入巡检", "en": "Inspected"},
    "checklists.evidence_short": {
        "zh": "{n} 起 · {communities} 个小区",
        "en": "{n} cases · {communities} communities",
    },
    "checklists.keywords": {"zh": "关键词:{words}", "en": "Keywords: {words}"},
    "checklists.seen_range": {
        "zh": "{category} · {place} · 首次 {first} · 最近 {last}",
        "en": "{category} · {place} · first {first} · last {last}",
    },
    "checklists.adopted_here": {
        "zh": "本小区已采纳:巡检项目 {code} 已加入服务计划。",
        "en": "Adopted in your community: inspection {code} is in the service plan.",
    },
    "checklists.adopted_elsewhere": {
        "zh": "其他小区已采纳,本小区尚未加入巡检。",
        "en": "Adopted by another community; not yet inspected in yours.",
    },
    "checklists.open_plans": {"zh": "查看服务计划", "en": "Open the service plan"},
    "checklists.evidence_header": {"zh": "本小区的证据", "en": "Evidence in your community"},
    "checklists.evidence_counts": {
        "zh": "本小区 {own} 起;其他 {communities} 个小区共 {others} 起(仅显示数量)。",
        "en": "{own} in your community; {others} in {communities} other communities (counts only).",
    },
    "checklists.no_own_evidence": {
        "zh": "本小区没有该类问题的记录。",
        "en": "Your community has no cases of this pattern.",
    },
    "checklists.evidence_more": {
        "zh": "仅显示最近 {shown} 起。",
        "en": "Showing the latest {shown} only.",
    },
    "checklists.evidence_loading": {"zh": "正在读取证据…", "en": "Loading the evidence…"},
    "checklists.weekday": {"zh": "巡检日", "en": "Inspection day"},
    "checklists.adopt": {"zh": "采纳为巡检项目", "en": "Adopt as inspection"},
    "checklists.adopt_here": {"zh": "在本小区采纳", "en": "Adopt in my community"},
    "checklists.adopt_help": {
        "zh": "在本小区服务合同中新增每周一次的巡检项目(09:00–11:00,约 30 分钟),并生成未来 4 周的计划任务。",
        "en": "Adds a weekly inspection (09:00–11:00, about 30 minutes) to your community's service contract and plans the next 4 weeks of tasks.",
    },
    "checklists.dismiss": {"zh": "不采纳", "en": "Dismiss"},
    "checklists.adopted_flash": {
        "zh": "已采纳:巡检项目 {code} 已加入服务计划,生成 {tasks} 个计划任务。",
        "en": "Adopted: inspection {code} is in the service plan with {tasks} tasks.",
    },
    "checklists.dismissed_flash": {
        "zh": "已标记为不采纳:{title}",
        "en": "Dismissed: {title}",
    },
    # --- staff KPIs: refusals ------------------------------------------------------------------
    "staff.not_allowed": {
        "zh": "员工绩效仅对物业经理开放。",
        "en": "Staff KPIs are open to property managers only.",
    },
    "staff.not_found": {
        "zh": "本小区没有这位员工。",
        "en": "There is no such staff member in your community.",
    },
    # --- staff page ----------------------------------------------------------------------------
    "staff.intro": {
        "zh": "本小区每位员工在所选周期内的处理工单、按时完成、业主评分、整改与返工,以及巡检覆盖率;“—”表示该项没有数据(未测量)。用“排序”选择排列方式。",
        "en": "Per staff member of your community in the chosen period: orders handled, on time, owners' ratings, rectifications and rework, and patrol coverage; “—” means there is no data for it (not measured). Use Sort to order the table.",
    },
    "staff.definitions_title": {"zh": "指标说明", "en": "What the figures mean"},
    "staff.definitions": {
        "zh": "处理工单:分派给该员工并在周期内完成的工单;按时:在解决时限内完成;评分:这些工单的业主评分(三项平均);整改:因这些工单开出的整改单;返工:整改单在业主确认时被退回重做的次数;巡检覆盖率:其完成的巡检班次中已打卡点位 ÷ 应巡点位。",
        "en": "Orders handled: orders assigned to them and completed in the period; on time: completed by the resolution deadline; rating: owners' ratings of those orders (mean of the three scores); rectifications: tickets opened on those orders; rework: times a ticket was sent back at the owner's confirmation; patrol coverage: checkpoints checked in ÷ checkpoints planned on the shifts they walked.",
    },
    "staff.empty": {
        "zh": "本小区还没有员工记录。",
        "en": "Your community has no staff on record.",
    },
    "staff.filter_post": {"zh": "岗位", "en": "Post"},
    "staff.all_posts": {"zh": "全部岗位", "en": "All posts"},
    "staff.sort_by": {"zh": "排序", "en": "Sort by"},
    "staff.metric_people": {"zh": "员工人数", "en": "Staff"},
    "staff.metric_orders": {"zh": "处理工单", "en": "Orders handled"},
    "staff.metric_rating": {"zh": "平均评分", "en": "Mean rating"},
    "staff.metric_rework": {"zh": "返工次数", "en": "Rework"},
    "staff.col_name": {"zh": "姓名", "en": "Name"},
    "staff.col_post": {"zh": "岗位", "en": "Post"},
    "staff.col_team": {"zh": "班组", "en": "Team"},
    "staff.col_orders_handled": {"zh": "处理工单", "en": "Orders handled"},
    "staff.col_on_time_share": {"zh": "按时完成率", "en": "On time"},
    "staff.col_ratings": {"zh": "评价数", "en": "Ratings"},
    "staff.col_mean_rating": {"zh": "平均评分", "en": "Mean rating"},
    "staff.col_rectifications": {"zh": "整改单", "en": "Rectifications"},
    "staff.col_rework": {"zh": "返工", "en": "Rework"},
    "staff.col_shifts_walked": {"zh": "巡检班次", "en": "Shifts walked"},
    "staff.col_shifts_missed": {"zh": "漏巡班次", "en": "Shifts missed"},
    "staff.col_patrol_coverage": {"zh": "巡检覆盖率", "en": "Patrol coverage"},
    "staff.trend_header": {"zh": "个人近 12 个月趋势", "en": "12-month trend per person"},
    "staff.person": {"zh": "员工", "en": "Staff member"},
    "staff.trend_title": {"zh": "{name} 每月表现", "en": "{name} per month"},
    "staff.trend_empty": {
        "zh": "{name} 近 12 个月没有工单、评价或巡检记录。",
        "en": "{name} has no orders, ratings or patrols in the last 12 months.",
    },
    "staff.trend_details": {"zh": "逐月明细", "en": "Month by month"},
    "staff.axis_month": {"zh": "月份", "en": "Month"},
    "staff.axis_value": {"zh": "数值", "en": "Value"},
    "staff.col_month": {"zh": "月份", "en": "Month"},
    # Staff posts and service levels as the data writes them (ui.text.data_label).
    "post.保安": {"zh": "保安", "en": "Security guard"},
    "post.保洁": {"zh": "保洁", "en": "Cleaner"},
    "post.维修工": {"zh": "维修工", "en": "Technician"},
    "post.客服": {"zh": "客服", "en": "Service desk"},
    "post.绿化工": {"zh": "绿化工", "en": "Gardener"},
    "post.管家": {"zh": "管家", "en": "Housekeeper"},
    "post.经理": {"zh": "经理", "en": "Manager"},
    "service_level.一级": {"zh": "一级", "en": "Grade 1"},
    "service_level.二级": {"zh": "二级", "en": "Grade 2"},
    "service_level.三级": {"zh": "三级", "en": "Grade 3"},
    "service_level.四级": {"zh": "四级", "en": "Grade 4"},
    "service_level.五级": {"zh": "五级", "en": "Grade 5"},
}
