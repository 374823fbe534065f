"""UI strings of connectors to operational systems (``manage.py sync``, the data-age notice)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "sync.bad_url": {
        "zh": "来源数据库地址“{url}”无效,应为 mysql+pymysql://用户:密码@主机:端口/库名。",
        "en": "The source URL '{url}' is not valid; expected mysql+pymysql://USER:PASS@HOST:PORT/DB.",
    },
    "sync.unreachable": {
        "zh": "无法连接来源数据库 {source}:{detail}。页面继续显示上次同步的数据。",
        "en": "Cannot reach the source database {source}: {detail}. Pages keep the last synced data.",
    },
    "sync.denied": {
        "zh": "来源数据库 {source} 拒绝了登录(用户名或密码错误)。",
        "en": "The source database {source} refused the login (wrong user or password).",
    },
    "sync.no_select": {
        "zh": "来源数据库 {source} 的账号缺少 SELECT 权限:{detail}。请为该账号授予只读(SELECT)权限。",
        "en": "The user on {source} lacks SELECT rights: {detail}. Grant it SELECT (read-only).",
    },
    "sync.schema": {
        "zh": "来源数据库不是可识别的 HC 小区管理系统结构:{problems}",
        "en": "The source is not an HC (MicroCommunity) schema this connector knows: {problems}",
    },
    "sync.bad_community": {
        "zh": "--community 应为 HC小区编号=本系统小区代码,收到“{value}”。",
        "en": "--community takes HC_COMMUNITY_ID=CODE; got '{value}'.",
    },
    "sync.community_not_found": {
        "zh": "来源数据库中没有小区 {community}(或已删除)。",
        "en": "The source has no (live) community {community}.",
    },
    "sources.title": {"zh": "数据来源", "en": "Data sources"},
    "sources.intro": {
        "zh": "本小区的数据从哪里来、有多新,后台任务是否在运行;下方可导入旧系统的工单导出。",
        "en": "Where this community's data comes from, how fresh it is, whether the background "
        "jobs run; below, import another system's export of work orders.",
    },
    "sources.managers_only": {
        "zh": "数据来源页只对物业管理人员开放。",
        "en": "The data sources page is for property managers only.",
    },
    "sources.not_synced": {
        "zh": "本小区的数据没有接入运营系统,无需同步。",
        "en": "This community is not read from an operational system; there is nothing to sync.",
    },
    "sources.system_header": {"zh": "运营系统", "en": "Operational system"},
    "sources.none": {
        "zh": "本小区的数据未接入运营系统:来自演示数据、手工录入或下方的工单导入。接入 HC 小区管理系统见 docs/operations.md。",
        "en": "This community is not read from an operational system: its data comes from the "
        "demo, typing, or the import below. To read HC, see docs/operations.md.",
    },
    "sources.source": {"zh": "来源", "en": "Source"},
    "sources.last_good": {"zh": "最近一次成功同步", "en": "Last successful sync"},
    "sources.age": {"zh": "数据年龄", "en": "Age of the data"},
    "sources.never": {"zh": "从未成功", "en": "never"},
    "sources.healthy": {"zh": "同步正常。", "en": "Syncing normally."},
    "sources.failing": {
        "zh": "自 {since} 起同步失败:{reason}。页面显示的是最近一次成功同步的数据。",
        "en": "Syncing has failed since {since}: {reason}. Pages show the last synced data.",
    },
    "sources.sync_now": {"zh": "立即同步", "en": "Sync now"},
    "sources.sync_asked": {
        "zh": "已请求同步,后台任务将在几秒内执行。",
        "en": "Sync requested; the background worker runs it within seconds.",
    },
    "sources.sync_waiting": {
        "zh": "已于 {when} 请求同步,等待后台任务执行。",
        "en": "A sync was requested at {when}; waiting for the background worker.",
    },
    "sources.last_job": {
        "zh": "后台任务最近一次同步:{when},{status}",
        "en": "The worker's last sync: {when}, {status}",
    },
    "sources.report_header": {
        "zh": "最近一次成功同步({when},{kind})",
        "en": "Last successful sync ({when}, {kind})",
    },
    "sources.full": {"zh": "全量对账", "en": "full reconciliation"},
    "sources.incremental": {"zh": "增量", "en": "incremental"},
    "sources.col_kind": {"zh": "类别", "en": "Kind"},
    "sources.col_read": {"zh": "读取", "en": "Read"},
    "sources.col_created": {"zh": "新增", "en": "Created"},
    "sources.col_updated": {"zh": "更新", "en": "Updated"},
    "sources.col_unchanged": {"zh": "未变", "en": "Unchanged"},
    "sources.col_withdrawn": {"zh": "已撤回", "en": "Withdrawn"},
    "sources.unmapped_header": {
        "zh": "无法映射的取值(本次同步的所有小区)",
        "en": "Values that could not be mapped (every community of the run)",
    },
    "sources.skipped_header": {
        "zh": "跳过的记录(本次同步的所有小区)",
        "en": "Rows skipped (every community of the run)",
    },
    "sources.col_column": {"zh": "字段", "en": "Column"},
    "sources.col_code": {"zh": "取值", "en": "Value"},
    "sources.col_rows": {"zh": "行数", "en": "Rows"},
    "sources.col_table": {"zh": "表", "en": "Table"},
    "sources.col_reason": {"zh": "原因", "en": "Reason"},
    "sources.none_found": {"zh": "无", "en": "None"},
    "sources.jobs_header": {"zh": "后台任务", "en": "Background jobs"},
    "sources.jobs_none": {
        "zh": "后台任务尚未运行过:请确认 manage.py worker 已启动(make run 会自动启动)。",
        "en": "The background jobs have never run: check that manage.py worker is running "
        "(make run starts it).",
    },
    "sources.jobs_stale": {
        "zh": "后台任务已超过 {minutes} 分钟没有运行:请检查 manage.py worker 进程。",
        "en": "The background jobs have not run for over {minutes} minutes: check the "
        "manage.py worker process.",
    },
    "sources.col_job": {"zh": "任务", "en": "Job"},
    "sources.col_started": {"zh": "开始", "en": "Started"},
    "sources.col_status": {"zh": "结果", "en": "Result"},
    "sources.col_summary": {"zh": "说明", "en": "Summary"},
    "job.tickets": {"zh": "整改单超时自动关闭", "en": "Auto-close unconfirmed tickets"},
    "job.alerts": {"zh": "预警规则", "en": "Alert rules"},
    "job.photos": {"zh": "入户照片到期清理", "en": "Expired in-home photo removal"},
    "job.sync_hc": {"zh": "同步 HC", "en": "Sync from HC"},
    "job.logins": {"zh": "过期登录记录清理", "en": "Old login records removal"},
    "job.polls": {"zh": "公布表决结果", "en": "Publish vote results"},
    "job.outbox": {
        "zh": "消息投递(微信/短信/邮件)",
        "en": "Message delivery (WeChat, SMS, e-mail)",
    },
    "job_summary.outbox": {
        "zh": "已发 {sent},重试 {retried},失败 {failed},未知 {unknown},汇总 {digests},免打扰顺延 {postponed}",
        "en": "sent {sent}, retried {retried}, failed {failed}, unknown {unknown}, digests {digests}, held for quiet hours {postponed}",
    },
    "job_summary.tickets": {"zh": "自动关闭 {closed} 张整改单", "en": "tickets closed: {closed}"},
    "job_summary.alerts": {
        "zh": "新增 {raised} 条、自动解除 {resolved} 条、重新打开 {reopened} 条,仍待处理 {open} 条",
        "en": "{raised} raised, {resolved} resolved, {reopened} reopened, {open} still open",
    },
    "job_summary.photos": {
        "zh": "清理 {orders} 个入户工单的 {photos} 张照片",
        "en": "photos removed: {photos} (of {orders} in-home orders)",
    },
    "job_summary.logins": {
        "zh": "清理 {attempts} 条登录尝试、{sessions} 个已结束的登录",
        "en": "removed {attempts} login attempts and {sessions} ended logins",
    },
    "job_summary.polls": {
        "zh": "公布 {published} 项表决结果",
        "en": "results published: {published}",
    },
    "job_summary.sync_full": {"zh": "全量对账:{communities}", "en": "full: {communities}"},
    "job_summary.sync_incremental": {
        "zh": "增量同步:{communities}",
        "en": "incremental: {communities}",
    },
    "job_status.running": {"zh": "运行中", "en": "running"},
    "job_status.succeeded": {"zh": "成功", "en": "succeeded"},
    "job_status.failed": {"zh": "失败", "en": "failed"},
    "sync_kind.community": {"zh": "小区", "en": "Community"},
    "sync_kind.building": {"zh": "楼栋", "en": "Buildings"},
    "sync_kind.unit": {"zh": "房屋", "en": "Units"},
    "sync_kind.owner": {"zh": "业主", "en": "Owners"},
    "sync_kind.order": {"zh": "工单", "en": "Work orders"},
    "sync_kind.part": {"zh": "用料", "en": "Parts"},
    "sync_kind.photo": {"zh": "照片", "en": "Photos"},
    "sync_kind.rating": {"zh": "评价", "en": "Ratings"},
    "sync_kind.staff": {"zh": "员工", "en": "Staff"},
    "sync_kind.route": {"zh": "巡检路线", "en": "Patrol routes"},
    "sync_kind.checkpoint": {"zh": "巡检点位", "en": "Checkpoints"},
    "sync_kind.patrol_plan": {"zh": "巡检计划", "en": "Patrol plans"},
    "sync_kind.shift": {"zh": "巡检班次", "en": "Patrol shifts"},
    "sync_kind.service_item": {"zh": "保养计划", "en": "Maintenance plans"},
    "sync_kind.plan_task": {"zh": "保养任务", "en": "Maintenance tasks"},
    "sync_kind.equipment": {"zh": "设备", "en": "Equipment"},
    "sync_kind.fault": {"zh": "设备故障", "en": "Equipment faults"},
    "worker.bad_every": {
        "zh": "--every 应为 任务=秒数(任务:tickets、alerts、photos、sync_hc;至少 1 秒),收到“{value}”。",
        "en": "--every takes JOB=SECONDS (jobs: tickets, alerts, photos, sync_hc; at least 1 s); got '{value}'.",
    },
    "sources.bad": {
        "zh": "数据来源配置有误:{setting}(见 docs/operations.md)。",
        "en": "The source configuration is wrong at {setting} (see docs/operations.md).",
    },
    "sync.data_age": {
        "zh": "数据来自 {source},最近一次成功同步于 {when}。",
        "en": "Data from {source}; last successful sync at {when}.",
    },
    "sync.data_stale_public": {
        "zh": "最近一次同步未成功,页面显示的是 {when} 同步的数据。",
        "en": "The last sync did not succeed; pages show data synced at {when}.",
    },
    "sync.data_stale": {
        "zh": "最近一次同步失败:{reason}。页面显示的是 {when} 同步的数据;详情见同步命令的输出。",
        "en": "The last sync failed: {reason}. Pages show data synced at {when}; the sync "
        "command's output has the details.",
    },
    "sync.reason.unreachable": {
        "zh": "无法连接来源数据库",
        "en": "the source database is unreachable",
    },
    "sync.reason.denied": {
        "zh": "来源数据库拒绝登录",
        "en": "the source database refused the login",
    },
    "sync.reason.no_select": {
        "zh": "读取账号缺少查询权限",
        "en": "the reading user lacks SELECT rights",
    },
    "sync.reason.schema": {
        "zh": "来源数据库的表结构不符",
        "en": "the source's tables are not as expected",
    },
    "sync.reason.community_not_found": {
        "zh": "来源数据库中找不到该小区",
        "en": "the source has no such community",
    },
    "sync.reason.other": {"zh": "同步过程出错", "en": "the run stopped with an error"},
}
