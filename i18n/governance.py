"""UI strings of co-governance: announcements (公告) and the public money (公共收益与费用公示)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- announcements: labels ----------------------------------------------------------------------
    "announcement_kind.outage": {"zh": "停水停电", "en": "Outage"},
    "announcement_kind.works": {"zh": "施工", "en": "Works"},
    "announcement_kind.fees": {"zh": "收费", "en": "Fees"},
    "announcement_kind.meeting": {"zh": "会议", "en": "Meeting"},
    "announcement_kind.other": {"zh": "其他", "en": "Other"},
    "announcement_issuer.company": {"zh": "物业公告", "en": "From the company"},
    "announcement_issuer.committee": {"zh": "业委会公告", "en": "From the owners' committee"},
    "announcement_status.upcoming": {"zh": "未开始", "en": "Not started"},
    "announcement_status.current": {"zh": "进行中", "en": "Current"},
    "announcement_status.ended": {"zh": "已结束", "en": "Ended"},
    "announcement_status.withdrawn": {"zh": "已撤回", "en": "Withdrawn"},
    # --- announcements: errors ------------------------------------------------------------------------
    "announcement.not_allowed": {
        "zh": "只有物业经理和业委会成员可以发布或撤回本小区的公告。",
        "en": "Only managers and committee members publish or withdraw this community's notices.",
    },
    "announcement.bad_kind": {"zh": "请选择公告类别。", "en": "Choose the kind of notice."},
    "announcement.missing": {"zh": "请填写标题和正文。", "en": "Fill in the title and the text."},
    "announcement.too_long": {
        "zh": "标题最多 {title} 字,正文最多 {body} 字。",
        "en": "At most {title} characters of title and {body} of text.",
    },
    "announcement.bad_window": {
        "zh": "结束时间须晚于开始时间,且有效期不超过 {days} 天。",
        "en": "The end must come after the start, at most {days} days later.",
    },
    "announcement.already_over": {
        "zh": "结束时间已过:公告不会被任何人看到。",
        "en": "The end has passed: nobody would see the notice.",
    },
    "announcement.too_many_files": {
        "zh": "照片和 PDF 合计最多 {n} 个。",
        "en": "At most {n} photos and PDFs together.",
    },
    "announcement.bad_building": {
        "zh": "所选楼栋不属于本小区。",
        "en": "A chosen building is not in this community.",
    },
    "announcement.not_a_pdf": {"zh": "附件不是有效的 PDF 文件。", "en": "The file is not a PDF."},
    "announcement.bad_reason": {
        "zh": "请填写撤回原因(最多 {n} 字),业主会看到。",
        "en": "Give the reason for withdrawing (at most {n} characters): owners will read it.",
    },
    "announcement.already_withdrawn": {
        "zh": "该公告已撤回。",
        "en": "This notice has been withdrawn already.",
    },
    # --- the ledger: labels ---------------------------------------------------------------------------
    "ledger_section.income": {"zh": "公共收益", "en": "Income from common parts"},
    "ledger_section.cost": {"zh": "相关成本", "en": "Costs set against it"},
    "ledger_section.share_use": {"zh": "业主共有部分收益使用", "en": "Use of the owners' share"},
    "ledger_section.fund": {"zh": "维修资金使用", "en": "Maintenance fund spending"},
    "ledger_category.parking": {"zh": "停车收益", "en": "Parking"},
    "ledger_category.advertising": {"zh": "广告收益", "en": "Advertising"},
    "ledger_category.venue": {"zh": "场地租赁", "en": "Venue rental"},
    "ledger_category.other_income": {"zh": "其他收益", "en": "Other income"},
    "ledger_category.management_fee": {"zh": "物业管理酬金", "en": "Company's agreed fee"},
    "ledger_category.tax": {"zh": "税费", "en": "Taxes"},
    "ledger_category.operating": {"zh": "经营成本", "en": "Operating costs"},
    "ledger_category.other_cost": {"zh": "其他成本", "en": "Other costs"},
    "ledger_category.to_fund": {"zh": "转入维修资金", "en": "Paid into the maintenance fund"},
    "ledger_category.repairs": {"zh": "公共部位维修", "en": "Repairs of common parts"},
    "ledger_category.offset_fees": {"zh": "抵扣物业费", "en": "Set against fees"},
    "ledger_category.other_use": {"zh": "其他使用", "en": "Other use"},
    "ledger_category.lift": {"zh": "电梯", "en": "Lifts"},
    "ledger_category.roof": {"zh": "屋面防水", "en": "Roofs"},
    "ledger_category.facade": {"zh": "外墙", "en": "Facades"},
    "ledger_category.pipes": {"zh": "管道", "en": "Pipes"},
    "ledger_category.fire": {"zh": "消防设施", "en": "Fire safety"},
    "ledger_category.other_fund": {"zh": "其他维修", "en": "Other works"},
    "ledger_status.draft": {"zh": "草稿(待业委会审核)", "en": "Draft (awaiting the committee)"},
    "ledger_status.returned": {"zh": "业委会已退回", "en": "Returned by the committee"},
    "ledger_status.published": {"zh": "已公示(业委会已签字确认)", "en": "Published (signed off)"},
    "ledger_status.corrected": {
        "zh": "已公示,有更正待业委会复核",
        "en": "Published; corrections await the committee",
    },
    # --- the ledger: errors ---------------------------------------------------------------------------
    "ledger.bad_month": {"zh": "月份无效。", "en": "Not a month."},
    "ledger.bad_category": {
        "zh": "类别或科目无效。",
        "en": "Unknown section or category.",
    },
    "ledger.no_description": {"zh": "请填写说明。", "en": "Describe the line."},
    "ledger.too_long": {"zh": "最多 {n} 字。", "en": "At most {n} characters."},
    "ledger.bad_amount": {
        "zh": "金额须大于 0 元、不超过 100 亿元,最多两位小数。",
        "en": "The amount must be above 0 and at most ten billion yuan, with at most two decimals.",
    },
    "ledger.unknown_order": {
        "zh": "本小区没有编号为 {code} 的工单。",
        "en": "This community has no work order {code}.",
    },
    "ledger.managers_only": {
        "zh": "只有本小区的物业经理可以填写账目。",
        "en": "Only this community's managers write the ledger.",
    },
    "ledger.committee_only": {
        "zh": "只有本小区的业委会成员可以审核账目。",
        "en": "Only this community's committee reviews the ledger.",
    },
    "ledger.owners_ask": {
        "zh": "只能就本小区已公示月份的账目提问。",
        "en": "Questions are about lines of this community's published months.",
    },
    "ledger.changed_meanwhile": {
        "zh": "这一行刚被修改过,请刷新后再改。",
        "en": "This line was just changed: reload and try again.",
    },
    "ledger.reason_needed": {
        "zh": "该月已公示:请说明更正原因,业主会看到。",
        "en": "The month is published: give the reason for the correction; owners will see it.",
    },
    "ledger.month_running": {
        "zh": "该月还没有结束,结束后才能审核。",
        "en": "The month has not ended yet; it can be reviewed once it has.",
    },
    "ledger.bad_decision": {"zh": "请选择通过或退回。", "en": "Approve or return."},
    "ledger.comment_needed": {
        "zh": "退回时请写明原因。",
        "en": "Say why when returning the month.",
    },
    "ledger.already_approve": {
        "zh": "该月已签字确认,之后没有新的更正。",
        "en": "The month is signed off and nothing changed since.",
    },
    "ledger.already_return": {
        "zh": "该月已退回,之后没有新的修改。",
        "en": "The month was returned and nothing changed since.",
    },
    "ledger.question_length": {
        "zh": "问题请写 {min}–{max} 字。",
        "en": "Write the question in {min}–{max} characters.",
    },
    "ledger.too_many_open": {
        "zh": "您已有 {n} 个问题待回复,请等回复后再问。",
        "en": "You have {n} questions awaiting an answer; please wait for them.",
    },
    "ledger.already_answered": {"zh": "该问题已回复。", "en": "Already answered."},
    "ledger.answer_length": {
        "zh": "回复最多 {max} 字,且不能为空。",
        "en": "An answer of 1 to {max} characters.",
    },
}
