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
