"""UI strings of work-order imports: the mapping and file checks, row reasons, report, page."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- the mapping file ------------------------------------------------------------------------
    "imports.mapping_not_found": {
        "zh": "找不到映射文件“{path}”。内置映射:{shipped}",
        "en": "Mapping file '{path}' not found. Shipped mappings: {shipped}",
    },
    "imports.mapping_syntax": {
        "zh": "映射文件 {name} 不是有效的 TOML:{detail}",
        "en": "The mapping {name} is not valid TOML: {detail}",
    },
    "imports.mapping_unknown_section": {
        "zh": "映射文件中有未知的部分 [{section}],可用的部分:{known}",
        "en": "The mapping has an unknown section [{section}]; known sections: {known}",
    },
    "imports.mapping_unknown_key": {
        "zh": "映射文件 [{section}] 中有未知的设置“{name}”,可用的设置:{known}",
        "en": "Unknown setting '{name}' in [{section}] of the mapping; known settings: {known}",
    },
    "imports.mapping_unknown_field": {
        "zh": "映射文件中有未知的字段“{field}”,可用的字段:{known}",
        "en": "The mapping names an unknown field '{field}'; known fields: {known}",
    },
    "imports.mapping_missing_field": {
        "zh": "映射文件 [columns] 必须指定“{field}”对应哪一列。",
        "en": "The mapping's [columns] must say which column holds '{field}'.",
    },
    "imports.mapping_not_table": {
        "zh": "映射文件中的 [{section}] 应当是一个表(键 = 值)。",
        "en": "[{section}] in the mapping must be a table (key = value).",
    },
    "imports.mapping_bad_value": {
        "zh": "映射文件中“{setting}”的值“{value}”无效,可用的值:{allowed}",
        "en": "The mapping's value '{value}' for '{setting}' is not valid; allowed: {allowed}",
    },
    "imports.mapping_no_type": {
        "zh": "映射文件既没有指定工单类型列([columns] type),也没有默认类型([defaults] type)。",
        "en": "The mapping gives neither a type column ([columns] type) nor a default type ([defaults] type).",
    },
    # --- the file ----------------------------------------------------------------------------------
    "imports.file_too_large": {
        "zh": "文件过大({size_mb} MB),不能超过 {max_mb} MB。请分批导出。",
        "en": "The file is too large ({size_mb} MB); at most {max_mb} MB. Export it in parts.",
    },
    "imports.file_xls": {
        "zh": "{name} 是旧版 Excel(.xls)格式,请在 Excel 中另存为 .xlsx 或 CSV 后再导入。",
        "en": "{name} is in the old Excel (.xls) format; save it as .xlsx or CSV in Excel first.",
    },
    "imports.file_encoding": {
        "zh": "无法按 {encoding} 编码读取文件。请检查映射文件中的 encoding(utf-8、gbk 或 auto)。",
        "en": "The file cannot be read as {encoding}. Check the mapping's encoding (utf-8, gbk or auto).",
    },
    "imports.file_unreadable": {
        "zh": "无法读取文件:{detail}",
        "en": "The file cannot be read: {detail}",
    },
    "imports.sheet_missing": {
        "zh": "Excel 文件中没有名为“{sheet}”的工作表。已有工作表:{sheets}",
        "en": "The workbook has no sheet '{sheet}'. Sheets: {sheets}",
    },
    "imports.file_empty": {
        "zh": "文件中没有表头行,无法导入。",
        "en": "The file has no header row; nothing to import.",
    },
    "imports.file_missing_columns": {
        "zh": "文件中缺少映射文件要求的列:{columns}。文件中的列:{found}(按 {encoding} 读取;若列名是乱码,请检查编码)",
        "en": "The file lacks columns the mapping names: {columns}. Its columns: {found} (read as {encoding}; garbled names mean a wrong encoding)",
    },
    "imports.file_too_many_rows": {
        "zh": "文件超过 {max} 行(表头之后的空行也计入),请分批导入。",
        "en": "The file has more than {max} rows (blank rows below the header count too); import it in parts.",
    },
    "imports.file_blank_start": {
        "zh": "文件开头连续 {count} 行都是空行,没有找到表头行。请删除空行后再导入。",
        "en": "The file starts with {count} blank rows and no header row was found. Delete the blank rows and import again.",
    },
    "imports.file_too_many_columns": {
        "zh": "文件的表头超过 {max} 列。请只导出需要的列。",
        "en": "The header has more than {max} columns. Export only the columns you need.",
    },
    # --- Excel files that would cost too much to open ("zip bombs") -------------------------------
    "imports.xlsx_too_many_parts": {
        "zh": "该 Excel 文件内部包含的部件超过 {max} 个,不像是正常的导出文件,未导入。请在 Excel 中另存为新的 .xlsx 或 CSV 后再试。",
        "en": "This Excel file holds more than {max} internal parts, which no normal export does; nothing was imported. Save it again as a new .xlsx or as CSV and retry.",
    },
    "imports.xlsx_unpacked_too_large": {
        "zh": "该 Excel 文件解压后超过 {max_mb} MB,未导入。请分批导出,或另存为 CSV 后再试。",
        "en": "This Excel file unpacks to more than {max_mb} MB; nothing was imported. Export it in parts or save it as CSV and retry.",
    },
    "imports.xlsx_ratio": {
        "zh": "该 Excel 文件解压后超过自身大小的 {max} 倍(可能是“压缩炸弹”),未导入。请在 Excel 中另存为新的 .xlsx 或 CSV 后再试。",
        "en": "This Excel file unpacks to more than {max} times its own size (possibly a 'zip bomb'); nothing was imported. Save it again as a new .xlsx or as CSV and retry.",
    },
    "imports.xlsx_too_many_elements": {
        "zh": "该 Excel 文件内容过于复杂(超过 {max} 个 XML 元素),未导入。请分批导出,或另存为 CSV 后再试。",
        "en": "This Excel file is too complex (more than {max} XML elements); nothing was imported. Export it in parts or save it as CSV and retry.",
    },
    "imports.xlsx_too_many_children": {
        "zh": "该 Excel 文件中有一处包含超过 {max} 个条目(行、单元格或文本),未导入。请分批导出,或另存为 CSV 后再试。",
        "en": "Somewhere in this Excel file more than {max} entries (rows, cells or strings) sit in one place; nothing was imported. Export it in parts or save it as CSV and retry.",
    },
    "imports.xlsx_dtd": {
        "zh": "该 Excel 文件含有文档类型定义(DTD),正常的导出文件不会有,未导入。请在 Excel 中另存为新的 .xlsx 或 CSV 后再试。",
        "en": "This Excel file contains a document type definition (DTD), which no normal export does; nothing was imported. Save it again as a new .xlsx or as CSV and retry.",
    },
    "imports.not_allowed": {
        "zh": "只有本小区的物业经理可以导入工单。",
        "en": "Only a manager of this community may import work orders.",
    },
    "imports.conflict": {
        "zh": "导入时有其他人同时导入了相同编号的工单,本次未做任何修改,请重新导入。",
        "en": "Someone imported the same orders at the same time; nothing was changed. Please import again.",
    },
    # --- why a row was rejected --------------------------------------------------------------------
    "imports.reject.missing_id": {
        "zh": "缺少工单编号",
        "en": "No external id",
    },
    "imports.reject.id_too_long": {
        "zh": "工单编号超过 {max} 个字符",
        "en": "The external id is longer than {max} characters",
    },
    "imports.reject.duplicate_id": {
        "zh": "工单编号与第 {first} 行重复",
        "en": "Same external id as line {first}",
    },
    "imports.reject.missing_created": {
        "zh": "缺少创建时间(“{column}”为空)",
        "en": "No created time ('{column}' is empty)",
    },
    "imports.reject.bad_date": {
        "zh": "“{column}”中的时间“{value}”无法识别",
        "en": "Cannot read the date '{value}' in '{column}'",
    },
    "imports.reject.closed_before_created": {
        "zh": "完成时间“{closed}”早于创建时间“{created}”",
        "en": "Closed '{closed}' before it was created '{created}'",
    },
    "imports.reject.answered_before_created": {
        "zh": "响应时间“{answered}”早于创建时间“{created}”",
        "en": "Answered '{answered}' before it was created '{created}'",
    },
    "imports.reject.closed_without_time": {
        "zh": "状态为已完成,但缺少完成时间(“{column}”为空)",
        "en": "The status says closed but there is no closing time ('{column}' is empty)",
    },
    "imports.reject.unknown_type": {
        "zh": "未知的工单类型“{value}”(请在映射文件 [values.type] 中补充)",
        "en": "Unknown work order type '{value}' (add it to [values.type] in the mapping)",
    },
    "imports.reject.skipped_status": {
        "zh": "状态“{value}”按映射文件不导入(如已作废)",
        "en": "The mapping says orders with status '{value}' are not imported (e.g. void)",
    },
    # --- warnings ----------------------------------------------------------------------------------
    "imports.warn.unknown_category": {
        "zh": "未知类别“{value}”,已归为“{code}”",
        "en": "Unknown category '{value}', filed as '{code}'",
    },
    "imports.warn.unknown_priority": {
        "zh": "未知优先级“{value}”,按“{code}”处理",
        "en": "Unknown priority '{value}', taken as '{code}'",
    },
    "imports.warn.unknown_visibility": {
        "zh": "未知可见范围“{value}”,按“{code}”处理",
        "en": "Unknown visibility '{value}', taken as '{code}'",
    },
    "imports.warn.default_type": {
        "zh": "未知工单类型“{value}”,按默认类型“{code}”导入",
        "en": "Unknown work order type '{value}', imported as the default '{code}'",
    },
    "imports.warn.unknown_status": {
        "zh": "未知状态“{value}”:有完成时间的按已完成、否则按处理中导入",
        "en": "Unknown status '{value}': imported as closed if it has a closing time, else as open",
    },
    "imports.warn.open_with_closed_time": {
        "zh": "状态“{value}”表示未完成,已忽略其完成时间“{closed}”",
        "en": "Status '{value}' means open; its closing time '{closed}' was ignored",
    },
    "imports.warn.not_reopened": {
        "zh": "文件中为未完成,但系统中该工单已完成:不会重新打开",
        "en": "Open in the file but already completed here: not reopened",
    },
    "imports.warn.truncated": {
        "zh": "“{column}”超过 {max} 个字,已截断",
        "en": "'{column}' is longer than {max} characters and was cut",
    },
    "imports.warn.blank_rows_stopped": {
        "zh": "连续 {count} 行为空,读取到此为止:本行之后的内容没有读取。如果后面还有数据,请删除空行后重新导入。",
        "en": "{count} blank rows in a row: reading stopped here and anything below this line was not read. If data follows, delete the blank rows and import again.",
    },
    "imports.warn.empty_title": {
        "zh": "标题为空,已用“{title}”代替",
        "en": "Empty title; '{title}' used instead",
    },
    "imports.visibility.public": {"zh": "公共区域", "en": "Public area"},
    "imports.visibility.private": {"zh": "户内", "en": "In-home"},
    # --- the report ---------------------------------------------------------------------------------
    "imports.report.dry_run": {"zh": "检查(未导入)", "en": "Dry run (nothing imported)"},
    "imports.report.done": {"zh": "导入完成", "en": "Import done"},
    "imports.report.heading": {
        "zh": "{mode}:{source} · {file} → {community}",
        "en": "{mode}: {source} · {file} → {community}",
    },
    "imports.report.rows_read": {"zh": "读取行数:{n}", "en": "Rows read: {n}"},
    "imports.report.imported": {
        "zh": "导入行数:{n}(新建 {created},更新 {updated},未变 {unchanged})",
        "en": "Rows imported: {n} ({created} created, {updated} updated, {unchanged} unchanged)",
    },
    "imports.report.imported_dry": {
        "zh": "可导入行数:{n}(将新建 {created},将更新 {updated},未变 {unchanged})",
        "en": "Rows that would be imported: {n} ({created} to create, {updated} to update, {unchanged} unchanged)",
    },
    "imports.report.rejected": {"zh": "拒绝行数:{n}", "en": "Rows rejected: {n}"},
    "imports.report.warnings": {"zh": "警告:{n}", "en": "Warnings: {n}"},
    "imports.report.line": {"zh": "第 {line} 行", "en": "line {line}"},
    # --- the page -------------------------------------------------------------------------------------
    "imports.title": {"zh": "工单导入", "en": "Import work orders"},
    "imports.intro": {
        "zh": "从原有系统导出的工单(CSV 或 Excel)导入本小区。先“检查”查看哪些行会被拒绝,再导入;按工单编号更新,重复导入同一文件不会产生重复工单。被拒绝的行不会计入任何指标。",
        "en": "Bring work orders exported from your previous system (CSV or Excel) into this community. Check first to see which rows would be rejected, then import; orders are matched by their id, so importing the same file again creates no duplicates. Rejected rows never count in any KPI.",
    },
    "imports.file": {"zh": "导出文件(CSV 或 Excel)", "en": "Export file (CSV or Excel)"},
    "imports.mapping": {"zh": "字段映射", "en": "Column mapping"},
    "imports.mapping_custom": {"zh": "上传映射文件…", "en": "Upload a mapping file…"},
    "imports.mapping_file": {"zh": "映射文件(TOML)", "en": "Mapping file (TOML)"},
    "imports.mapping_preview": {"zh": "查看映射文件", "en": "Show the mapping"},
    "imports.need_mapping": {
        "zh": "请先上传映射文件。",
        "en": "Upload a mapping file first.",
    },
    "imports.check": {"zh": "检查(不导入)", "en": "Check (no import)"},
    "imports.run": {"zh": "导入", "en": "Import"},
    "imports.checked": {
        "zh": "检查完成,尚未导入任何数据。",
        "en": "Checked; nothing has been imported yet.",
    },
    "imports.done": {
        "zh": "导入完成:新建 {created} 条,更新 {updated} 条。",
        "en": "Imported: {created} created, {updated} updated.",
    },
    "imports.metric_rows": {"zh": "读取行数", "en": "Rows read"},
    "imports.metric_created": {"zh": "新建", "en": "Created"},
    "imports.metric_updated": {"zh": "更新", "en": "Updated"},
    "imports.metric_unchanged": {"zh": "未变", "en": "Unchanged"},
    "imports.metric_rejected": {"zh": "拒绝", "en": "Rejected"},
    "imports.rejected_header": {"zh": "被拒绝的行", "en": "Rejected rows"},
    "imports.warnings_header": {"zh": "警告", "en": "Warnings"},
    "imports.no_rejected": {"zh": "没有被拒绝的行。", "en": "No rows were rejected."},
    "imports.no_warnings": {"zh": "没有警告。", "en": "No warnings."},
    "imports.col_line": {"zh": "行号", "en": "Line"},
    "imports.col_external_id": {"zh": "工单编号", "en": "External id"},
    "imports.col_reason": {"zh": "原因", "en": "Reason"},
}
