"""UI strings of onboarding: the roster, activation letters, the accounts page, codes at login."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "page.accounts": {"zh": "业主账号", "en": "Owner accounts"},
    "accounts.managers_only": {
        "zh": "业主账号管理只对物业管理人员开放。",
        "en": "Owner accounts are for managers only.",
    },
    "accounts.not_found": {"zh": "找不到该业主账号。", "en": "No such owner account."},
    "accounts.wrong_password": {
        "zh": "当前密码不正确。",
        "en": "The current password is not right.",
    },
    "accounts.intro": {
        "zh": "导入业主名册、打印开通函,查找账号并停用或补发开通码。不会由他人代设密码。",
        "en": "Import the owner roster, print activation letters, find accounts, disable them or issue a new code. Nobody sets a password for somebody else.",
    },
    "accounts.tab_find": {"zh": "查找账号", "en": "Find"},
    "accounts.tab_roster": {"zh": "导入名册", "en": "Import roster"},
    "accounts.tab_letters": {"zh": "开通函", "en": "Activation letters"},
    "accounts.search": {
        "zh": "姓名、手机号、登录名或房号",
        "en": "Name, mobile, login name or room",
    },
    "accounts.state": {"zh": "状态", "en": "State"},
    "accounts.state_all": {"zh": "全部", "en": "All"},
    "accounts.state_not_activated": {"zh": "未开通", "en": "Not opened"},
    "accounts.state_activated": {"zh": "已开通", "en": "Opened"},
    "accounts.state_disabled": {"zh": "已停用", "en": "Disabled"},
    "accounts.none_found": {"zh": "没有符合条件的账号。", "en": "No account matches."},
    "accounts.found": {
        "zh": "找到 {n} 个账号(最多显示 200 个)",
        "en": "{n} accounts found (200 at most)",
    },
    "accounts.col_name": {"zh": "姓名", "en": "Name"},
    "accounts.col_login": {"zh": "登录名", "en": "Login"},
    "accounts.col_units": {"zh": "房屋", "en": "Units"},
    "accounts.col_phone": {"zh": "手机号", "en": "Mobile"},
    "accounts.col_state": {"zh": "状态", "en": "State"},
    "accounts.col_wechat": {"zh": "微信", "en": "WeChat"},
    "accounts.choose": {"zh": "选择账号进行操作", "en": "Account to act on"},
    "accounts.disable": {"zh": "停用", "en": "Disable"},
    "accounts.enable": {"zh": "恢复", "en": "Enable"},
    "accounts.disabled": {
        "zh": "已停用 {name} 的账号,其登录已全部退出。",
        "en": "{name}'s account is disabled; its sessions have ended.",
    },
    "accounts.enabled": {
        "zh": "已恢复 {name} 的账号。",
        "en": "{name}'s account is enabled again.",
    },
    "accounts.new_code": {"zh": "补发开通码", "en": "Issue a new code"},
    "accounts.letters_ready": {
        "zh": "已生成 {n} 份开通函,旧的开通码已作废。",
        "en": "{n} letters made; older codes no longer work.",
    },
    "accounts.download_pdf": {"zh": "下载开通函(PDF)", "en": "Download letters (PDF)"},
    "accounts.download_csv": {"zh": "下载开通码(CSV)", "en": "Download codes (CSV)"},
    "accounts.letters_once": {
        "zh": "开通码只在此刻可下载,系统只保存其不可逆摘要;CSV 含手机号,请妥善保管。",
        "en": "The codes can be downloaded now only: the system keeps an irreversible digest. The CSV holds mobile numbers: keep it safe.",
    },
    "accounts.roster_help": {
        "zh": "CSV 或 Excel,首行为列名:姓名、手机号、楼栋、单元、房号、建筑面积。先检查,再导入。",
        "en": "CSV or Excel, first row the column names: 姓名 (name), 手机号 (mobile), 楼栋 (building), 单元 (entrance), 房号 (room), 建筑面积 (floor area). Check first, then import.",
    },
    "accounts.roster_file": {"zh": "业主名册文件", "en": "Roster file"},
    "accounts.roster_check": {"zh": "检查", "en": "Check"},
    "accounts.roster_import": {"zh": "导入", "en": "Import"},
    "accounts.roster_checked": {
        "zh": "共 {rows} 行,{good} 行可导入。",
        "en": "{rows} rows, {good} can be imported.",
    },
    "accounts.roster_imported": {
        "zh": "已导入 {good}/{rows} 行:新建业主 {owners} 位、已有业主 {found} 位,新建房屋 {units} 套、更新面积 {updated} 套。",
        "en": "Imported {good} of {rows} rows: {owners} new owners, {found} known, {units} new units, {updated} floor areas updated.",
    },
    "accounts.roster_rejected": {
        "zh": "第 {line} 行未导入:{reason}",
        "en": "Line {line} not imported: {reason}",
    },
    "accounts.roster_more_rejected": {
        "zh": "另有 {n} 行未导入。",
        "en": "{n} more rows not imported.",
    },
    "accounts.letters_help": {
        "zh": "为尚未开通的业主生成开通码(14 天有效、仅能使用一次),打印后投递到户,或导出 CSV 由物业自行群发。",
        "en": "Codes for owners not opened yet (valid 14 days, single use): print the letters for each door, or export the CSV for your own mass message.",
    },
    "accounts.letters_building": {"zh": "楼栋", "en": "Building"},
    "accounts.all_buildings": {"zh": "全部楼栋", "en": "All buildings"},
    "accounts.letters_everyone": {
        "zh": "包括已开通的业主(重置其开通码)",
        "en": "Include opened accounts (new codes for them too)",
    },
    "accounts.letters_issue": {"zh": "生成开通函", "en": "Make the letters"},
    "roster.missing_columns": {
        "zh": "名册缺少列:{columns}(找到:{found})。",
        "en": "The roster lacks the columns {columns} (found: {found}).",
    },
    "roster.no_name": {"zh": "没有姓名", "en": "no name"},
    "roster.bad_mobile": {"zh": "手机号格式不正确", "en": "not a mobile number"},
    "roster.bad_unit": {
        "zh": "楼栋、单元或房号不完整",
        "en": "building, entrance or room incomplete",
    },
    "roster.bad_number": {
        "zh": "单元或面积不是数字",
        "en": "entrance or floor area is not a number",
    },
    "roster.bad_area": {"zh": "建筑面积超出范围", "en": "floor area out of range"},
    "letters.title": {
        "zh": "{community} · 业主透明看板开通通知",
        "en": "{community} · your Owner Dashboard account",
    },
    "letters.to": {"zh": "致 {unit} 业主 {name}:", "en": "To the owner of {unit}, {name}:"},
    "letters.intro": {
        "zh": "物业服务的计划、进度、评价与整改都可在「业主透明看板」查看。",
        "en": "The service plans, live work orders, ratings and fixes are on the Owner Dashboard.",
    },
    "letters.login": {"zh": "登录名:{login}", "en": "Login name: {login}"},
    "letters.your_mobile": {
        "zh": "{masked}(您登记的手机号)",
        "en": "{masked} (your registered mobile)",
    },
    "letters.expires": {
        "zh": "开通码有效期至 {date},仅能使用一次。",
        "en": "The code works once, until {date}.",
    },
    "letters.open": {"zh": "打开:{link}", "en": "Open: {link}"},
    "letters.no_link": {
        "zh": "(请向物业服务中心索取网址)",
        "en": "(ask the service desk for the address)",
    },
    "letters.steps": {
        "zh": "在登录页点「首次登录 / 忘记密码」,输入登录名、开通码并设置密码。",
        "en": "On the login page open “First login / forgot password”, enter the login name and code, and set a password.",
    },
    "letters.keep_safe": {"zh": "请勿将开通码告诉他人。", "en": "Do not share the code."},
    "letters.none": {"zh": "没有需要开通的账号。", "en": "No account to open."},
    "login.code_title": {"zh": "首次登录 / 忘记密码", "en": "First login / forgot password"},
    "login.code_intro": {
        "zh": "用开通函上的开通码,或下面获取的验证码,设置您的密码。",
        "en": "Set your password with the code of your letter, or one sent to you below.",
    },
    "login.login_name": {"zh": "登录名(通常是手机号)", "en": "Login name (usually your mobile)"},
    "login.code": {"zh": "开通码或验证码", "en": "Code"},
    "login.new_password": {"zh": "新密码", "en": "New password"},
    "login.new_password_again": {"zh": "再次输入新密码", "en": "New password again"},
    "login.code_submit": {"zh": "设置密码", "en": "Set the password"},
    "login.passwords_differ": {"zh": "两次输入的密码不一致。", "en": "The two passwords differ."},
    "login.code_done": {
        "zh": "密码已设置,请在上方登录。",
        "en": "Your password is set: log in above.",
    },
    "login.code_failed": {
        "zh": "登录名或验证码不正确、已使用或已过期。",
        "en": "The login name or code is wrong, used or expired.",
    },
    "login.code_request": {"zh": "忘记密码?获取验证码:", "en": "Forgot your password? Get a code:"},
    "login.code_request_submit": {"zh": "发送验证码", "en": "Send me a code"},
    "login.code_requested": {
        "zh": "如该账号存在且已登记微信、手机或邮箱,验证码将在一分钟内发出,15 分钟内有效。",
        "en": "If the account exists and has WeChat, a mobile or an e-mail on record, a code goes out within a minute, valid 15 minutes.",
    },
    "settings.password_title": {"zh": "修改密码", "en": "Change password"},
    "settings.current_password": {"zh": "当前密码", "en": "Current password"},
    "settings.password_changed": {
        "zh": "密码已修改,其他设备上的登录已退出。",
        "en": "Password changed; your other devices are logged out.",
    },
}
