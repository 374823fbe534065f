"""UI strings of the patrols page."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- page, filters ------------------------------------------------------------------------
    "patrols.title": {"zh": "巡检", "en": "Patrols"},
    "patrols.intro": {
        "zh": "保安巡检的计划与执行:每个班次走了哪些点位、是否按时、走了多远。",
        "en": "Security patrols, planned and done: which checkpoints each shift reached, on time or not, and how far the guard walked.",
    },
    "patrols.loading": {"zh": "正在加载巡检记录…", "en": "Loading patrol records…"},
    "patrols.plan": {"zh": "巡检计划", "en": "Patrol plan"},
    "patrols.all_plans": {"zh": "全部计划", "en": "All plans"},
    # --- metrics ------------------------------------------------------------------------------
    "patrols.metric_shifts": {"zh": "巡检班次", "en": "Patrol shifts"},
    "patrols.metric_shifts_help": {
        "zh": "本期排定的班次:已完成 {done},迟到 {late},漏巡 {missed},进行中 {in_progress},未开始 {planned}",
        "en": "Shifts scheduled in the period: done {done}, late {late}, missed {missed}, in progress {in_progress}, not started yet {planned}",
    },
    "patrols.metric_coverage": {"zh": "平均路径覆盖率", "en": "Mean route coverage"},
    "patrols.metric_coverage_help": {
        "zh": "路径覆盖率 = 已打卡点位 ÷ 计划点位;对已结束或已漏巡的班次取平均,未开始和进行中的班次不计入。",
        "en": "Route coverage = checkpoints checked in ÷ checkpoints planned, averaged over shifts that are over or missed; upcoming and running shifts are not counted.",
    },
    "patrols.metric_missed_checkpoints": {"zh": "漏检点位", "en": "Missed checkpoints"},
    "patrols.metric_missed_checkpoints_help": {
        "zh": "已结束或漏巡的班次中没有打卡的点位数(漏巡班次的全部点位都计入)。",
        "en": "Checkpoints without a check-in in shifts that are over or missed (a missed shift counts all its checkpoints).",
    },
    "patrols.metric_late_shifts": {"zh": "迟到班次", "en": "Late shifts"},
    "patrols.metric_late_shifts_help": {
        "zh": "开始时间比计划晚 {minutes} 分钟以上的班次。",
        "en": "Shifts that started more than {minutes} minutes after the planned start.",
    },
    # --- statuses -----------------------------------------------------------------------------
    "patrols.status_done": {"zh": "已完成", "en": "Done"},
    "patrols.status_late": {"zh": "迟到", "en": "Late start"},
    "patrols.status_missed": {"zh": "漏巡", "en": "Missed"},
    "patrols.status_in_progress": {"zh": "进行中", "en": "In progress"},
    "patrols.status_planned": {"zh": "未开始", "en": "Planned"},
    "patrols.checkpoint_visited": {"zh": "已打卡", "en": "Checked in"},
    "patrols.checkpoint_late": {"zh": "超时打卡", "en": "Checked in late"},
    "patrols.checkpoint_missed": {"zh": "漏检", "en": "Missed"},
    "patrols.checkpoint_pending": {"zh": "待巡检", "en": "Not yet"},
    # --- plans table --------------------------------------------------------------------------
    "patrols.plans_heading": {"zh": "巡检计划", "en": "Patrol plans"},
    "patrols.col_plan": {"zh": "计划", "en": "Plan"},
    "patrols.col_route": {"zh": "路线", "en": "Route"},
    "patrols.col_post": {"zh": "岗位", "en": "Post"},
    "patrols.col_frequency": {"zh": "频次", "en": "Frequency"},
    "patrols.col_time_slots": {"zh": "巡检时段", "en": "Time slots"},
    "patrols.col_expected_minutes": {"zh": "计划用时", "en": "Expected time"},
    "patrols.col_expected_distance": {"zh": "计划里程", "en": "Expected distance"},
    "patrols.col_checkpoints": {"zh": "点位数", "en": "Checkpoints"},
    "patrols.col_photo_checkpoints": {"zh": "需拍照点位", "en": "Photo checkpoints"},
    "patrols.col_photo_checkpoints_help": {
        "zh": "打卡时须拍照留证的点位数",
        "en": "Checkpoints where the guard must take a photo when checking in",
    },
    "patrols.col_valid_from": {"zh": "生效日期", "en": "Valid from"},
    "patrols.format_per_day": {"zh": "每日 %d 次", "en": "%d × a day"},
    "patrols.format_minutes": {"zh": "%.0f 分钟", "en": "%.0f min"},
    "patrols.format_metres": {"zh": "%.0f 米", "en": "%.0f m"},
    # --- trend --------------------------------------------------------------------------------
    "patrols.trend_heading": {"zh": "每日覆盖率趋势", "en": "Daily coverage trend"},
    "patrols.trend_title": {"zh": "每日路径覆盖率", "en": "Route coverage per day"},
    "patrols.trend_mean_coverage": {"zh": "平均覆盖率", "en": "Mean coverage"},
    "patrols.trend_full_share": {"zh": "全覆盖班次占比", "en": "Fully covered shifts"},
    "patrols.axis_date": {"zh": "日期", "en": "Date"},
    "patrols.axis_coverage": {"zh": "覆盖率", "en": "Coverage"},
    "patrols.tooltip_metric": {"zh": "指标", "en": "Measure"},
    "patrols.tooltip_value": {"zh": "数值", "en": "Value"},
    "patrols.tooltip_shifts": {"zh": "班次数", "en": "Shifts"},
    "patrols.tooltip_missed_shifts": {"zh": "漏巡班次", "en": "Missed shifts"},
    "patrols.target": {"zh": "目标", "en": "Target"},
    "patrols.target_label": {"zh": "目标 {target}", "en": "Target {target}"},
    "patrols.trend_caption": {
        "zh": "每天已结束班次的平均覆盖率,以及走完全部点位的班次占比;红色虚线为 {target} 的目标线。",
        "en": "For each day: mean coverage of the shifts that are over, and the share that reached every checkpoint; the red dashed line is the {target} target.",
    },
    "patrols.no_judged_shifts": {
        "zh": "本期的班次都还没有结束,暂无覆盖率数据。",
        "en": "No shift of this period is over yet, so there is no coverage to show.",
    },
    # --- shifts table -------------------------------------------------------------------------
    "patrols.shifts_heading": {"zh": "巡检班次", "en": "Patrol shifts"},
    "patrols.col_planned_start": {"zh": "计划开始", "en": "Planned start"},
    "patrols.col_slot": {"zh": "时段", "en": "Slot"},
    "patrols.col_guard": {"zh": "保安", "en": "Guard"},
    "patrols.col_status": {"zh": "状态", "en": "Status"},
    "patrols.col_coverage": {"zh": "路径覆盖率", "en": "Route coverage"},
    "patrols.col_coverage_help": {
        "zh": "已打卡点位 ÷ 计划点位(超时打卡也算已到)",
        "en": "Checkpoints checked in ÷ checkpoints planned (late check-ins count as reached)",
    },
    "patrols.col_visited": {"zh": "已打卡", "en": "Checked in"},
    "patrols.col_planned_checkpoints": {"zh": "计划点位", "en": "Planned"},
    "patrols.col_started_at": {"zh": "实际开始", "en": "Started"},
    "patrols.col_ended_at": {"zh": "实际结束", "en": "Ended"},
    "patrols.col_duration": {"zh": "实际用时", "en": "Time taken"},
    "patrols.col_distance": {"zh": "巡检里程", "en": "Distance walked"},
    "patrols.col_late_checkins": {"zh": "超时打卡", "en": "Late check-ins"},
    "patrols.col_late_checkins_help": {
        "zh": "在计划时段结束之后才打卡的点位数",
        "en": "Check-ins made after the end of the planned slot",
    },
    "patrols.col_photos": {"zh": "照片", "en": "Photos"},
    # --- one shift on the site plan -----------------------------------------------------------
    "patrols.route_heading": {"zh": "班次路线图", "en": "Shift on the site plan"},
    "patrols.shift": {"zh": "选择班次", "en": "Shift"},
    "patrols.no_route": {"zh": "请选择一个班次。", "en": "Choose a shift."},
    "patrols.site_plan_title": {"zh": "巡检路线与点位", "en": "Route and checkpoints"},
    "patrols.axis_x": {"zh": "东西方向(米)", "en": "West–east (m)"},
    "patrols.axis_y": {"zh": "南北方向(米,上为北)", "en": "South–north (m, north up)"},
    "patrols.legend_status": {"zh": "点位状态", "en": "Checkpoint"},
    "patrols.col_seq": {"zh": "序号", "en": "No."},
    "patrols.col_checkpoint": {"zh": "点位", "en": "Checkpoint"},
    "patrols.col_checked_at": {"zh": "打卡时间", "en": "Checked in at"},
    "patrols.col_walk_order": {"zh": "实际顺序", "en": "Order walked"},
    "patrols.site_plan_caption": {
        "zh": "灰色虚线为计划路线(按点位序号),蓝色实线为实际巡检路径(按打卡先后);超时打卡指在计划时段结束后才打卡。",
        "en": "Grey dashed line: the planned route (by checkpoint number); blue line: the path walked (in check-in order). Late means checked in after the planned slot ended.",
    },
    "patrols.no_coordinates": {
        "zh": "这条路线的点位没有登记位置,画不出平面图;各点位的打卡情况如下。",
        "en": "The checkpoints of this route have no recorded position, so no site plan can be drawn; here is each checkpoint's check-in.",
    },
    "patrols.unplaced_checkpoints": {
        "zh": "未登记位置、图上没有画出的点位:{names}。",
        "en": "Checkpoints without a recorded position, not drawn: {names}.",
    },
    "patrols.route_facts": {
        "zh": "- 状态:**{status}**\n- 路径覆盖率:**{coverage}**\n- 实际时间:{walked}\n- 巡检里程:{distance} 米(计划 {expected_distance} 米)",
        "en": "- Status: **{status}**\n- Route coverage: **{coverage}**\n- Walked: {walked}\n- Distance: {distance} m (planned {expected_distance} m)",
    },
    "patrols.planned_minutes": {"zh": "计划 {minutes} 分钟", "en": "planned {minutes} min"},
    "patrols.walk_not_started": {
        "zh": "尚未开始(计划 {start}–{end},{planned})",
        "en": "not started yet (planned {start}–{end}, {planned})",
    },
    "patrols.walk_running": {
        "zh": "{start} 开始,仍在巡检中({planned})",
        "en": "started {start}, still walking ({planned})",
    },
    "patrols.walk_done": {
        "zh": "{start}–{end},用时 {minutes} 分钟({planned})",
        "en": "{start}–{end}, {minutes} min ({planned})",
    },
    "patrols.legend_photo": {"zh": "拍照要求", "en": "Photo"},
    "patrols.photo_required": {"zh": "需拍照", "en": "Photo required"},
    "patrols.photo_not_required": {"zh": "无需拍照", "en": "No photo needed"},
    "patrols.photos_heading": {"zh": "打卡照片", "en": "Check-in photos"},
    "patrols.no_photos": {
        "zh": "该班次没有打卡照片。",
        "en": "This shift has no check-in photos.",
    },
    # --- missed checkpoints -------------------------------------------------------------------
    "patrols.missed_heading": {"zh": "漏检点位", "en": "Missed checkpoints"},
    "patrols.col_shift_status": {"zh": "班次状态", "en": "Shift status"},
    "patrols.no_missed": {
        "zh": "本期没有漏检点位。",
        "en": "No checkpoint was missed in this period.",
    },
    # --- empty period -------------------------------------------------------------------------
    "patrols.no_shifts": {
        "zh": "{period} 没有巡检班次记录。请换一个日期或周期。",
        "en": "There are no patrol shifts in {period}. Try another date or period.",
    },
}
