"""UI strings of the app shell, login, overview basics, codes and errors."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- app chrome ---------------------------------------------------------------------------
    "app.title": {"zh": "业主透明看板", "en": "Owner Transparency Dashboard"},
    "app.tagline": {
        "zh": "看得见的物业服务:计划、过程、评价、整改,一目了然",
        "en": "Property services you can see: plans, progress, ratings and fixes",
    },
    "app.language": {"zh": "语言 / Language", "en": "Language / 语言"},
    "app.large_text": {"zh": "大字模式", "en": "Large text"},
    "app.large_text_help": {
        "zh": "放大所有文字和按钮,方便阅读;您的选择会保存在账号里。",
        "en": "Larger text and buttons everywhere; kept with your account.",
    },
    "app.logged_in_as": {"zh": "{name}({role})", "en": "{name} ({role})"},
    "app.community": {"zh": "小区:{name}", "en": "Community: {name}"},
    "app.logout": {"zh": "退出登录", "en": "Log out"},
    "app.demo_banner": {
        "zh": "演示模式:数据与账号均为演示用途",
        "en": "Demo mode: data and accounts are for demonstration only",
    },
    "app.account_gone": {
        "zh": "该账号已停用或不存在,请重新登录。",
        "en": "This account is disabled or no longer exists. Please log in again.",
    },
    "app.unavailable_title": {"zh": "服务暂时不可用", "en": "Temporarily unavailable"},
    "app.unavailable_retry": {
        "zh": "请稍后刷新页面重试。如持续出现,请联系物业服务中心。",
        "en": "Please reload the page in a moment. If it persists, contact the property office.",
    },
    "app.unexpected_error": {
        "zh": "页面出现了意外错误,已记录日志。请稍后重试。",
        "en": "Something went wrong on this page; it has been logged. Please try again.",
    },
    # --- login --------------------------------------------------------------------------------
    "login.title": {"zh": "登录", "en": "Log in"},
    "login.username": {"zh": "用户名", "en": "Username"},
    "login.password": {"zh": "密码", "en": "Password"},
    "login.submit": {"zh": "登录", "en": "Log in"},
    # Streamlit's own keyboard hints under a text input (ui.document_language); {key} is Ctrl
    # or ⌘ by platform.
    "input_hint.enter_apply": {"zh": "按回车键确认", "en": "Press Enter to apply"},
    "input_hint.enter_submit": {"zh": "按回车键提交", "en": "Press Enter to submit form"},
    "input_hint.key_enter_apply": {"zh": "按 {key}+回车键确认", "en": "Press {key}+Enter to apply"},
    "input_hint.key_enter_submit": {
        "zh": "按 {key}+回车键提交",
        "en": "Press {key}+Enter to submit form",
    },
    # Streamlit's own words in a file uploader (ui.document_language).
    "uploader.upload": {"zh": "上传", "en": "Upload"},
    "uploader.limit_and_types": {
        "zh": "每个文件不超过 {size} · {types}",
        "en": "{size} per file • {types}",
    },
    "uploader.limit": {"zh": "每个文件不超过 {size}", "en": "{size} per file"},
    "uploader.drop": {"zh": "把文件拖到这里", "en": "Drag and drop files here"},
    "uploader.type_refused": {
        "zh": "错误:不接受这种类型的文件({type})。",
        "en": "Error: {type} files are not allowed.",
    },
    "uploader.too_large": {
        "zh": "错误:文件不能超过 {size}。",
        "en": "Error: File must be {size} or smaller.",
    },
    "uploader.one": {"zh": "错误:只能上传一个文件。", "en": "Error: Only one file is allowed."},
    "uploader.input": {"zh": "选择文件上传", "en": "File upload"},
    "uploader.add": {"zh": "添加文件", "en": "Add files"},
    "uploader.remove": {"zh": "移除 {name}", "en": "Remove {name}"},
    # Streamlit's own words in the page's frame and toolbars, mostly read by a screen reader
    # (ui.document_language).
    "frame.skip": {"zh": "跳到正文", "en": "Skip to main content"},
    "frame.sidebar": {"zh": "侧边栏", "en": "Sidebar"},
    "frame.pages": {"zh": "页面导航", "en": "App pages"},
    "frame.main_menu": {"zh": "主菜单", "en": "Main menu"},
    "frame.expand_sidebar": {"zh": "展开侧边栏(菜单)", "en": "Expand sidebar"},
    "frame.collapse_sidebar": {"zh": "收起侧边栏", "en": "Collapse sidebar"},
    "frame.heading_link": {"zh": "本节的链接", "en": "Link to heading"},
    "frame.help_for": {"zh": "“{label}”的说明", "en": "Help for {label}"},
    "frame.help": {"zh": "说明", "en": "Help"},
    "frame.open_options": {"zh": "展开选项", "en": "Open"},
    "frame.close": {"zh": "关闭", "en": "Close"},
    "frame.show_data": {"zh": "查看数据", "en": "Show data"},
    "frame.fullscreen": {"zh": "全屏", "en": "Fullscreen"},
    "frame.exit_fullscreen": {"zh": "退出全屏", "en": "Exit fullscreen"},
    "frame.download_as": {"zh": "下载为 {format}", "en": "Download as {format}"},
    "frame.copy_spec": {"zh": "复制图表定义(Vega-Lite)", "en": "Copy Vega-Lite spec"},
    "frame.search": {"zh": "搜索", "en": "Search"},
    "frame.page_not_found": {"zh": "找不到这个页面", "en": "Page not found"},
    "frame.page_not_found_detail": {
        "zh": "你打开的页面不存在,或你的账号不能查看。已为你打开首页。",
        "en": "The page you asked for does not exist or is not open to your account. "
        "Here is the home page.",
    },
    "login.failed": {
        "zh": "用户名或密码不正确,请重试。",
        "en": "Incorrect username or password. Please try again.",
    },
    "login.hint": {
        "zh": "请使用物业服务中心发放的账号登录。",
        "en": "Log in with the account issued by your property office.",
    },
    "login.demo_accounts": {
        "zh": "演示账号(仅演示模式可用)",
        "en": "Demo accounts (demo mode only)",
    },
    # --- roles --------------------------------------------------------------------------------
    "role.owner": {"zh": "业主", "en": "Owner"},
    "role.committee": {"zh": "业委会", "en": "Owners' committee"},
    "role.manager": {"zh": "物业经理", "en": "Property manager"},
    # --- pages --------------------------------------------------------------------------------
    "nav.service": {"zh": "服务透明", "en": "Service"},
    "nav.mine": {"zh": "我的", "en": "Mine"},
    "nav.badge_title": {"zh": "{title} ({n})", "en": "{title} ({n})"},
    "nav.rectification": {"zh": "评价整改", "en": "Ratings & rectification"},
    "nav.prevention": {"zh": "预警分析", "en": "Prevention & reports"},
    "nav.admin": {"zh": "管理", "en": "Administration"},
    "page.overview": {"zh": "首页", "en": "Overview"},
    "page.plans": {"zh": "服务计划", "en": "Service plans"},
    "page.patrols": {"zh": "巡检", "en": "Patrols"},
    "page.work_orders": {"zh": "工单进度", "en": "Work orders"},
    "page.order_detail": {"zh": "工单详情", "en": "Work order"},
    "page.history": {"zh": "服务记录", "en": "Service history"},
    "page.data_sources": {"zh": "数据来源", "en": "Data sources"},
    "page.tickets": {"zh": "整改公示", "en": "Rectification board"},
    "page.ticket_detail": {"zh": "整改单详情", "en": "Rectification ticket"},
    "page.new_ticket": {"zh": "我要整改/建议", "en": "Report an issue"},
    "page.notifications": {"zh": "消息通知", "en": "Notifications"},
    "page.my_orders": {"zh": "我的工单", "en": "My work orders"},
    "page.report_repair": {"zh": "我要报修", "en": "Report a repair"},
    "page.console": {"zh": "处理台", "en": "Manager console"},
    "common.coming_soon": {"zh": "此页面正在建设中。", "en": "This page is being built."},
    "page.alerts": {"zh": "预警", "en": "Early warnings"},
    "page.analytics": {"zh": "分析", "en": "Analytics"},
    "page.checklists": {"zh": "品质检查清单", "en": "Quality checklists"},
    "page.staff": {"zh": "员工绩效", "en": "Staff KPIs"},
    "page.report": {"zh": "月度报告", "en": "Monthly report"},
    # --- overview -----------------------------------------------------------------------------
    "overview.contract": {"zh": "服务合同", "en": "Service contract"},
    "overview.contract_period": {
        "zh": "合同期 {start} 至 {end}",
        "en": "Contract period {start} to {end}",
    },
    "overview.contract_level": {
        "zh": "服务等级 {level} · 物业费 {fee} 元/㎡·月",
        "en": "Service level {level} · fee {fee} CNY per m² per month",
    },
    "overview.contract_unrecorded": {
        "zh": "合同条款(服务等级、物业费、合同期)尚未登记;指标目标暂用默认值",
        "en": "Contract terms (service level, fee, period) not recorded yet; targets are defaults",
    },
    "contract.bad_target": {
        "zh": "--target 应为 指标=数值(可用:{known};比率 0–1,满意度 1–5),收到“{value}”。",
        "en": "--target takes NAME=VALUE (known: {known}; rates 0–1, satisfaction 1–5); got '{value}'.",
    },
    "contract.bad_fee": {
        "zh": "物业费应为大于 0、最多两位小数的金额(元/㎡·月),收到“{value}”。",
        "en": "The fee must be an amount above 0 with at most two decimals (CNY/m²/month); got '{value}'.",
    },
    "contract.bad_level": {
        "zh": "服务等级应为 1–16 个字符,收到“{value}”。",
        "en": "The service level must be 1–16 characters; got '{value}'.",
    },
    "contract.bad_period": {
        "zh": "合同期 {start} 至 {end} 无效:开始不能晚于结束,且须包含今天。",
        "en": "Contract period {start} to {end} is invalid: it must start before it ends and include today.",
    },
    "contract.none_in_force": {
        "zh": "小区 {code} 在 {day} 没有生效的合同。",
        "en": "Community {code} has no contract in force on {day}.",
    },
    "overview.no_contract": {
        "zh": "本小区暂无生效的服务合同。",
        "en": "This community has no service contract in force.",
    },
    "overview.open_work_orders": {"zh": "处理中的工单", "en": "Open work orders"},
    "overview.open_tickets": {"zh": "进行中的整改", "en": "Open rectification tickets"},
    "overview.open_work_orders_help": {
        "zh": "已提交但尚未完成的报事报修、投诉、品牌服务与整改工单",
        "en": "Repairs, complaints, brand services and rectifications not yet completed",
    },
    "overview.open_tickets_help": {
        "zh": "待受理、已受理、整改中或待业主确认的整改单",
        "en": "Tickets submitted, accepted, in progress or awaiting owner confirmation",
    },
    "overview.my_units": {"zh": "我的房屋:{units}", "en": "My home: {units}"},
    # --- database -----------------------------------------------------------------------------
    "db.bad_scheme": {
        "zh": "不支持的数据库类型“{scheme}”。DATABASE_URL 须以 sqlite:// 或 postgresql:// 开头。",
        "en": "Unsupported database type '{scheme}'. DATABASE_URL must start with sqlite:// or postgresql://.",
    },
    "db.bad_url": {
        "zh": "无法解析数据库地址“{url}”。",
        "en": "Cannot parse the database URL '{url}'.",
    },
    "db.unreachable": {
        "zh": "无法连接数据库:{detail}",
        "en": "Cannot connect to the database: {detail}",
    },
    "db.needs_migration": {
        "zh": "数据库结构不是最新版本(当前 {current},最新 {head})。请运行 python manage.py migrate。",
        "en": "The database schema is not current (at {current}, newest {head}). Run python manage.py migrate.",
    },
    # --- configuration ------------------------------------------------------------------------
    "config.demo_key_outside_demo": {
        "zh": "拒绝启动:非演示模式下不能使用演示用 Cookie 密钥。请在 .streamlit/secrets.toml 的 [auth] cookie_key 或环境变量 OWNER_DASHBOARD_COOKIE_KEY 中设置至少 32 字节的随机密钥。",
        "en": "Refusing to start: the demo cookie key cannot be used outside demo mode. Set a random key of at least 32 bytes in [auth] cookie_key of .streamlit/secrets.toml or in OWNER_DASHBOARD_COOKIE_KEY.",
    },
    "config.key_too_short": {
        "zh": "拒绝启动:Cookie 密钥只有 {length} 字节,至少需要 32 字节。",
        "en": "Refusing to start: the cookie key is {length} bytes long; at least 32 are needed.",
    },
    "config.example_key": {
        "zh": '拒绝启动:Cookie 密钥仍是示例文件中的占位文字。请换成真正的随机密钥,例如 python -c "import secrets; print(secrets.token_urlsafe(48))" 的输出。',
        "en": 'Refusing to start: the cookie key is still the example file\'s placeholder. Replace it with a real random key, e.g. the output of python -c "import secrets; print(secrets.token_urlsafe(48))".',
    },
    "config.key_too_simple": {
        "zh": "拒绝启动:Cookie 密钥只含 {distinct} 种不同字符,至少需要 {minimum} 种。请使用随机生成的密钥。",
        "en": "Refusing to start: the cookie key has only {distinct} different characters; at least {minimum} are needed. Use a randomly generated key.",
    },
    "config.bad_trusted_proxy": {
        "zh": "拒绝启动:受信任代理 “{value}” 不是 IP 地址或网段(TRUSTED_PROXIES 或 [auth] trusted_proxies)。",
        "en": 'Refusing to start: trusted proxy "{value}" is not an IP address or network (TRUSTED_PROXIES or [auth] trusted_proxies).',
    },
    "config.bad_run_slots": {
        "zh": "拒绝启动:同时运行的页面数 “{value}” 不是 0 到 {maximum} 之间的整数(OWNER_DASHBOARD_RUN_SLOTS 或 [server] run_slots;0 表示不限)。",
        "en": 'Refusing to start: page runs at once "{value}" is not a whole number from 0 to {maximum} (OWNER_DASHBOARD_RUN_SLOTS or [server] run_slots; 0 means no limit).',
    },
    "config.not_started_by_serve": {
        "zh": "拒绝服务:请用 python manage.py serve 启动(它按 TRUSTED_PROXIES 告诉 Web 服务器该相信谁的 X-Forwarded-For),不要直接运行 streamlit run。",
        "en": "Refusing to serve: start the app with python manage.py serve (it tells the web server whose X-Forwarded-For to believe, from TRUSTED_PROXIES), not with streamlit run directly.",
    },
    "config.key_missing": {
        "zh": "拒绝启动:未设置 Cookie 密钥。请在 .streamlit/secrets.toml 的 [auth] cookie_key 或环境变量 OWNER_DASHBOARD_COOKIE_KEY 中设置;本地体验请用 make run(演示模式)。",
        "en": "Refusing to start: no cookie key is set. Set [auth] cookie_key in .streamlit/secrets.toml or OWNER_DASHBOARD_COOKIE_KEY; to try the app locally use make run (demo mode).",
    },
    # --- codes: service categories ------------------------------------------------------------
    "service_category.cleaning": {"zh": "保洁", "en": "Cleaning"},
    "service_category.greening": {"zh": "绿化", "en": "Greening"},
    "service_category.security": {"zh": "安防", "en": "Security"},
    "service_category.engineering": {"zh": "工程", "en": "Engineering"},
    "service_category.elevator": {"zh": "电梯", "en": "Elevator"},
    "service_category.customer_service": {"zh": "客服", "en": "Customer service"},
    "service_category.events": {"zh": "品牌活动", "en": "Community events"},
    "service_tier.basic": {"zh": "基础服务", "en": "Basic service"},
    "service_tier.brand": {"zh": "品牌服务", "en": "Brand service"},
    # --- codes: work orders -------------------------------------------------------------------
    "order_type.repair": {"zh": "报事报修", "en": "Repair"},
    "order_type.complaint": {"zh": "投诉", "en": "Complaint"},
    "order_type.brand_service": {"zh": "品牌服务", "en": "Brand service"},
    "order_type.rectification": {"zh": "整改", "en": "Rectification"},
    "order_category.plumbing": {"zh": "给排水", "en": "Plumbing"},
    "order_category.electrical": {"zh": "电气照明", "en": "Electrical"},
    "order_category.elevator": {"zh": "电梯", "en": "Elevator"},
    "order_category.access_control": {"zh": "门禁", "en": "Access control"},
    "order_category.cleaning": {"zh": "环境卫生", "en": "Cleaning"},
    "order_category.greening": {"zh": "绿化", "en": "Greening"},
    "order_category.security": {"zh": "安全秩序", "en": "Security"},
    "order_category.parking": {"zh": "停车", "en": "Parking"},
    "order_category.noise": {"zh": "噪音扰民", "en": "Noise"},
    "order_category.facilities": {"zh": "公共设施", "en": "Facilities"},
    "order_category.events": {"zh": "社区活动", "en": "Community events"},
    "order_category.other": {"zh": "其他", "en": "Other"},
    "priority.urgent": {"zh": "紧急", "en": "Urgent"},
    "priority.normal": {"zh": "一般", "en": "Normal"},
    "priority.low": {"zh": "较低", "en": "Low"},
    "stage.submitted": {"zh": "已提交", "en": "Submitted"},
    "stage.accepted": {"zh": "已受理", "en": "Accepted"},
    "stage.dispatched": {"zh": "已派单", "en": "Dispatched"},
    "stage.parts_procurement": {"zh": "配件采购", "en": "Parts procurement"},
    "stage.in_progress": {"zh": "施工中", "en": "In progress"},
    "stage.awaiting_acceptance": {"zh": "待验收", "en": "Awaiting acceptance"},
    "stage.completed": {"zh": "已完成", "en": "Completed"},
    "stage.investigating": {"zh": "调查中", "en": "Investigating"},
    "stage.answered": {"zh": "已答复", "en": "Answered"},
    "stage.scheduled": {"zh": "已排期", "en": "Scheduled"},
    "stage.awaiting_confirmation": {"zh": "待业主确认", "en": "Awaiting owner confirmation"},
    # --- codes: tickets -----------------------------------------------------------------------
    "ticket_status.submitted": {"zh": "待受理", "en": "Submitted"},
    "ticket_status.accepted": {"zh": "已受理", "en": "Accepted"},
    "ticket_status.rejected": {"zh": "已驳回", "en": "Rejected"},
    "ticket_status.in_progress": {"zh": "整改中", "en": "In progress"},
    "ticket_status.awaiting_confirmation": {
        "zh": "待业主确认",
        "en": "Awaiting owner confirmation",
    },
    "ticket_status.closed": {"zh": "已关闭", "en": "Closed"},
    # --- uploads ------------------------------------------------------------------------------
    "upload.bad_type": {
        "zh": "文件不是可接受的图片,仅支持 {allowed} 格式(按文件内容识别,与文件名无关)。",
        "en": "This file is not an accepted picture; only {allowed} are allowed (checked by content, not by name).",
    },
    "upload.too_large": {
        "zh": "图片过大({size_mb} MB),单张不能超过 {max_mb} MB。",
        "en": "The picture is too large ({size_mb} MB); at most {max_mb} MB each.",
    },
    "upload.too_many_pixels": {
        "zh": "图片像素过多,单张不能超过 {max_megapixels} 百万像素。",
        "en": "The picture has too many pixels; at most {max_megapixels} megapixels each.",
    },
    "upload.corrupt": {
        "zh": "图片文件已损坏或不完整,请重新拍摄或选择其他图片。",
        "en": "The picture file is damaged or incomplete. Please take or choose another one.",
    },
    # --- privacy (issue 7) ----------------------------------------------------------------------
    "config.bad_retention_days": {
        "zh": "拒绝启动:照片保留天数必须是 0 或正整数(0 表示永久保留),当前为 “{value}”。",
        "en": "Refusing to start: the photo retention days must be 0 or a whole number (0 keeps photos forever), not “{value}”.",
    },
    # --- seed ---------------------------------------------------------------------------------
    "seed.not_empty": {
        "zh": "数据库中已有 {communities} 个小区的数据,演示数据只能写入空数据库(可加 --if-empty 跳过)。",
        "en": "The database already holds {communities} communities; demo data goes only into an empty database (add --if-empty to skip).",
    },
    "community.unknown": {
        "zh": "没有编码为“{code}”的小区。已有小区:{known}",
        "en": "No community has the code '{code}'. Known communities: {known}",
    },
    # --- time -------------------------------------------------------------------------------
    "time.minutes": {"zh": "{n} 分钟", "en": "{n} min"},
    "time.hours": {"zh": "{n} 小时", "en": "{n} h"},
    "time.days": {"zh": "{n} 天", "en": "{n} days"},
    "time.left": {"zh": "剩余 {span}", "en": "{span} left"},
    "time.overdue": {"zh": "已超时 {span}", "en": "overdue by {span}"},
    "time.ago": {"zh": "{span}前", "en": "{span} ago"},
    # --- overview (issue 3) --------------------------------------------------------------------
    "overview.kpi_header": {"zh": "本期服务指标", "en": "Service KPIs this period"},
    "overview.kpi_caption": {
        "zh": "与合同目标和上一周期对比;红色表示低于合同目标。",
        "en": "Against the contract target and the previous period; red means below target.",
    },
    "overview.trend_header": {"zh": "近 12 个月趋势", "en": "Last 12 months"},
    "overview.trend_title": {"zh": "核心指标月度趋势", "en": "Core KPIs by month"},
    "overview.axis_month": {"zh": "月份", "en": "Month"},
    "overview.axis_value": {"zh": "比率", "en": "Rate"},
    "overview.legend_kpi": {"zh": "指标", "en": "KPI"},
    "overview.below_target": {"zh": "低于目标", "en": "Below target"},
    "overview.meets_target": {"zh": "达标", "en": "On target"},
    "overview.vs_previous": {"zh": "较上期 {delta}", "en": "{delta} vs previous"},
    "overview.vs_same_days": {
        "zh": "较上月同期 {delta}",
        "en": "{delta} vs the same days last month",
    },
    "overview.running": {"zh": "进行中,截至 {month}月{day}日", "en": "running, up to {date}"},
    "overview.kpi_caption_running": {
        "zh": "本月尚未结束:只计已到期的事项,与上月同期({start} 至 {end},按当时的进度)对比;"
        "尚未到期的不计入两边;红色表示低于合同目标。",
        "en": "The month is not over: only items already due count, compared with the same days "
        "of last month ({start} to {end}, as they stood then); items not yet due are left out "
        "of both; red means below target.",
    },
    "overview.trend_partial": {"zh": "本月进行中,非完整月份", "en": "Running month, not complete"},
    "overview.trend_partial_caption": {
        "zh": "空心点为本月进行中的数据(截至 {date}),不是完整一个月。",
        "en": "The hollow point is the running month (up to {date}), not a whole month.",
    },
    "overview.points": {"zh": "{value} 个百分点", "en": "{value} pts"},
    "overview.score_points": {"zh": "{value} 分", "en": "{value}"},
    "overview.score": {"zh": "{value} 分", "en": "{value} / 5"},
    "overview.open_orders_header": {"zh": "处理中的工单", "en": "Work orders in progress"},
    "overview.open_tickets_header": {"zh": "进行中的整改", "en": "Rectifications in progress"},
    "overview.updates_header": {"zh": "最新公开动态", "en": "Latest public updates"},
    "overview.no_open_orders": {
        "zh": "目前没有处理中的工单。",
        "en": "No work orders are open right now.",
    },
    "overview.no_open_tickets": {
        "zh": "目前没有进行中的整改。",
        "en": "No rectification tickets are open right now.",
    },
    "overview.no_updates": {"zh": "暂无公开动态。", "en": "No public updates yet."},
    "overview.open_ticket": {"zh": "查看整改单 {code}", "en": "Open ticket {code}"},
    "overview.all_tickets": {"zh": "查看全部整改公示", "en": "See the whole rectification board"},
    "overview.mine": {"zh": "我的", "en": "Mine"},
    "overview.private": {"zh": "户内", "en": "In-home"},
    "overview.deadline_accept": {"zh": "受理时限", "en": "Accept by"},
    "overview.deadline_fix": {"zh": "整改时限", "en": "Fix by"},
    "overview.step": {"zh": "{stage} {step}/{steps}", "en": "{stage} {step}/{steps}"},
    "overview.period_month": {"zh": "{month}", "en": "{month}"},
    # --- login security (issue 7) -------------------------------------------------------------
    "login.session_ended": {
        "zh": "登录已失效(已在别处退出、密码或权限已变更),请重新登录。",
        "en": "Your login has ended (logged out elsewhere, or the password or role changed). "
        "Please log in again.",
    },
    "users.password_too_short": {
        "zh": "密码至少需要 {min} 个字符。",
        "en": "The password needs at least {min} characters.",
    },
    "users.password_too_long": {
        "zh": "密码最长 {max} 字节(UTF-8 编码,一个汉字占 3 字节),当前为 {size} 字节。",
        "en": "The password may be at most {max} bytes in UTF-8 (a Chinese character takes 3); "
        "this one has {size}.",
    },
    "users.username_invalid": {
        "zh": "用户名“{username}”无效:3–64 个小写字母、数字或 _ . -,以字母或数字开头。",
        "en": "Invalid username “{username}”: 3–64 lowercase letters, digits or _ . -, "
        "starting with a letter or digit.",
    },
    "users.username_taken": {
        "zh": "用户名“{username}”已存在。",
        "en": "The username “{username}” is already taken.",
    },
    "users.unknown": {"zh": "没有用户名为“{username}”的账号。", "en": "No account “{username}”."},
    "users.role_invalid": {
        "zh": "角色“{role}”无效,可选:{roles}。",
        "en": "Invalid role “{role}”; choose one of: {roles}.",
    },
    "users.password_mismatch": {
        "zh": "两次输入的密码不一致。",
        "en": "The two passwords do not match.",
    },
}
