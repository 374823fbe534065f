"""UI strings of owners' consultations and votes (业主征询与表决)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "page.votes": {"zh": "业主表决", "en": "Owners' votes"},
    # --- labels ------------------------------------------------------------------------------------
    "poll_rule.consultation": {"zh": "征询(简单计数)", "en": "Consultation (simple count)"},
    "poll_rule.ordinary": {"zh": "一般事项表决", "en": "Ordinary decision"},
    "poll_rule.major": {"zh": "重大事项表决", "en": "Major decision"},
    "poll_outcome.passed": {"zh": "通过", "en": "passed"},
    "poll_outcome.failed": {"zh": "未通过", "en": "not passed"},
    "poll_outcome.counted": {"zh": "征询已统计", "en": "consultation counted"},
    "poll_rule_rule.consultation": {
        "zh": "征询只统计各选项的人数和面积,不构成业主共同决定。",
        "en": "A consultation only counts owners and area per choice; it decides nothing.",
    },
    "poll_rule_rule.ordinary": {
        "zh": "参与表决的专有部分面积和人数均须占总数的三分之二以上(含);"
        "同意的面积和人数均须超过参与表决面积和人数的一半(民法典第二百七十八条)。",
        "en": "Owners holding at least 2/3 of the total area and at least 2/3 of all owners "
        "take part; more than half of the participating area and of the participating owners "
        "agree (Civil Code §278).",
    },
    "poll_rule_rule.major": {
        "zh": "参与表决的专有部分面积和人数均须占总数的三分之二以上(含);"
        "同意的面积和人数均须达到参与表决面积和人数的四分之三以上(含)(民法典第二百七十八条)。",
        "en": "Owners holding at least 2/3 of the total area and at least 2/3 of all owners "
        "take part; at least 3/4 of the participating area and of the participating owners "
        "agree (Civil Code §278).",
    },
    "major_matter.raise_fund": {
        "zh": "筹集建筑物及其附属设施的维修资金",
        "en": "Raising the maintenance fund",
    },
    "major_matter.rebuild": {
        "zh": "改建、重建建筑物及其附属设施",
        "en": "Rebuilding or reconstructing buildings and their facilities",
    },
    "major_matter.change_use": {
        "zh": "改变共有部分的用途或者利用共有部分从事经营活动",
        "en": "Changing the use of common parts or running a business in them",
    },
    "votes.major_hint": {
        "zh": "筹集维修资金、改建重建、改变共有部分用途或利用共有部分经营(民法典第二百七十八条第六至八项)"
        "属重大事项,须选“重大事项表决”;使用维修资金属一般事项。",
        "en": "Raising the maintenance fund, rebuilding, or changing the use of common parts or "
        "running a business in them (§278 items 6–8) are major matters: choose a major "
        "decision. Using the fund is an ordinary one.",
    },
    "decision_choice.agree": {"zh": "同意", "en": "Agree"},
    "decision_choice.disagree": {"zh": "反对", "en": "Disagree"},
    "decision_choice.abstain": {"zh": "弃权", "en": "Abstain"},
    "poll_status.upcoming": {"zh": "未开始", "en": "Not open yet"},
    "poll_status.open": {"zh": "投票中", "en": "Open"},
    "poll_status.closed": {"zh": "已结束", "en": "Closed"},
    "poll_status.withdrawn": {"zh": "已撤回", "en": "Withdrawn"},
    "poll_issuer.company": {"zh": "物业发起", "en": "Asked by the company"},
    "poll_issuer.committee": {"zh": "业委会发起", "en": "Asked by the owners' committee"},
    "poll_test.participation_area": {"zh": "参与表决的面积", "en": "Area taking part"},
    "poll_test.participation_owners": {"zh": "参与表决的人数", "en": "Owners taking part"},
    "poll_test.approval_area": {"zh": "同意的面积", "en": "Area agreeing"},
    "poll_test.approval_owners": {"zh": "同意的人数", "en": "Owners agreeing"},
    # --- errors ------------------------------------------------------------------------------------
    "poll.not_allowed": {
        "zh": "业委会可以发起征询和表决;物业只能发起征询。",
        "en": "The committee opens consultations and votes; the company only consultations.",
    },
    "poll.bad_rule": {"zh": "请选择表决规则。", "en": "Choose the rule."},
    "poll.major_matter": {
        "zh": "重大事项表决须写明属于民法典第二百七十八条第六至八项中的哪一项。",
        "en": "A major decision names which of §278 items 6–8 it is.",
    },
    "poll.missing": {"zh": "请填写标题和说明。", "en": "Fill in the title and the text."},
    "poll.too_long": {
        "zh": "标题最多 {title} 字,说明最多 {body} 字。",
        "en": "At most {title} characters of title and {body} of text.",
    },
    "poll.bad_window": {
        "zh": "截止时间须晚于开始时间至少 1 天、至多 {days} 天,且尚未过去。",
        "en": "The close must come 1 to {days} days after the opening, and not have passed.",
    },
    "poll.bad_options": {
        "zh": "征询须有 2 至 {n} 个互不相同的选项,每项最多 100 字。",
        "en": "A consultation has 2 to {n} different choices of at most 100 characters.",
    },
    "poll.bad_reason": {
        "zh": "请写明撤回的理由(最多 {n} 字)。",
        "en": "Give the reason for withdrawing (at most {n} characters).",
    },
    "poll.not_open": {"zh": "该表决不在投票期内。", "en": "This vote is not open."},
    "poll.reminded_recently": {
        "zh": "每项表决每 {hours} 小时最多提醒一次。",
        "en": "Owners are reminded of a vote at most once every {hours} hours.",
    },
    "poll.not_on_roll": {
        "zh": "你不在本次表决的业主名册上:名册在表决开始时按业主名册确定,"
        "共有房屋由指定的共有人投票。",
        "en": "You are not on this vote's roll: it was fixed from the roster when the vote "
        "opened, and a co-owned home is voted by the co-owner named for it.",
    },
    "poll.bad_option": {"zh": "请选择一个选项。", "en": "Choose an option."},
    "poll.not_co_owner": {
        "zh": "只有该房屋的共有人可以指定投票人,且须在共有人中指定。",
        "en": "Only a co-owner of the home names its voter, among its co-owners.",
    },
    "poll.sole_owner": {
        "zh": "该房屋只有你一位业主,无需指定。",
        "en": "You own this home alone: there is nobody to name.",
    },
    # --- page --------------------------------------------------------------------------------------
    "votes.intro": {
        "zh": "业主共同决定事项由业主依法表决(民法典第二百七十八条)。"
        "人数和面积均按业主名册计算(每套专有部分计一次面积;一人多套计一人),不按是否开通账号计算。",
        "en": "Owners decide common matters by vote (Civil Code §278). Owners and area are "
        "counted from the roster (each home's area once; one person with several homes is one "
        "owner), not from who has an account.",
    },
    "votes.real_name": {
        "zh": "实名核验不在本系统内:账号由物业按业主名册开通,投票人身份以名册和账号为准。"
        "如需书面表决票或现场核验,请按业主大会议事规则另行办理。",
        "en": "Real-name verification is outside this product: accounts are opened by the "
        "company from the roster. Paper ballots or checks in person follow the owners' "
        "assembly's own rules.",
    },
    "votes.none": {"zh": "目前没有征询或表决。", "en": "No consultations or votes yet."},
    "votes.compose": {"zh": "发起征询或表决", "en": "Open a consultation or vote"},
    "votes.rule": {"zh": "规则", "en": "Rule"},
    "votes.major_matter": {"zh": "重大事项类别", "en": "Which major matter"},
    "votes.title": {"zh": "标题", "en": "Title"},
    "votes.body": {"zh": "说明(方案、费用、依据)", "en": "Text (plan, cost, grounds)"},
    "votes.options": {
        "zh": "选项(每行一个,2–10 个)",
        "en": "Choices (one per line, 2–10)",
    },
    "votes.decision_options": {
        "zh": "表决的选项固定为:同意、反对、弃权。",
        "en": "A vote's choices are fixed: agree, disagree, abstain.",
    },
    "votes.buildings": {"zh": "征询的楼栋", "en": "Buildings asked"},
    "votes.everyone": {"zh": "全体业主", "en": "All owners"},
    "votes.open_day": {"zh": "开始日期", "en": "Opens on"},
    "votes.open_time": {"zh": "开始时间", "en": "at"},
    "votes.close_day": {"zh": "截止日期", "en": "Closes on"},
    "votes.close_time": {"zh": "截止时间", "en": "at"},
    "votes.secret": {
        "zh": "无记名(不公开谁投了什么)",
        "en": "Secret (who chose what is not shown)",
    },
    "votes.submit": {"zh": "发起", "en": "Open it"},
    "votes.opened": {"zh": "已发起,名册已按业主名册确定。", "en": "Opened; its roll is fixed."},
    "votes.window": {"zh": "{start} 至 {end}", "en": "{start} to {end}"},
    "votes.for": {"zh": "对象:{where}", "en": "For: {where}"},
    "votes.secret_tag": {"zh": "无记名", "en": "Secret"},
    "votes.named_tag": {"zh": "记名", "en": "Named"},
    "votes.withdrawn_because": {
        "zh": "{at} 撤回:{reason}",
        "en": "Withdrawn {at}: {reason}",
    },
    "votes.your_vote": {"zh": "你的选择", "en": "Your choice"},
    "votes.cast": {"zh": "投票", "en": "Vote"},
    "votes.change": {"zh": "改投", "en": "Change my vote"},
    "votes.voted": {
        "zh": "你已选择“{choice}”(代表 {units} 套、{area} m²),截止前可以改投。",
        "en": 'You chose "{choice}" (for {units} homes, {area} m²); you can change it until '
        "the close.",
    },
    "votes.thanks": {"zh": "已记录你的投票。", "en": "Your vote is recorded."},
    "votes.not_on_roll": {
        "zh": "你不在本次表决的名册上(共有房屋由共有人指定的一人投票)。",
        "en": "You are not on this vote's roll (a co-owned home is voted by the co-owner named).",
    },
    "votes.result_after_close": {
        "zh": "各选项的票数在 {at} 截止后统计并公布,此前任何人(包括业委会和物业)都看不到。",
        "en": "The choices are counted and published after the close, {at}; until then nobody "
        "(the committee and the company included) can see them.",
    },
    "votes.choice_sealed": {"zh": "已投票(截止后公布)", "en": "Voted (shown after the close)"},
    "votes.live": {"zh": "实时参与情况", "en": "Taking part so far"},
    "votes.result": {"zh": "表决结果", "en": "Result"},
    "votes.passed": {"zh": "通过", "en": "Passed"},
    "votes.failed": {"zh": "未通过", "en": "Not passed"},
    "votes.consultation_result": {"zh": "征询结果", "en": "Consultation result"},
    "votes.owners_of": {"zh": "{have} / {total} 人", "en": "{have} of {total} owners"},
    "votes.area_of": {"zh": "{have} / {total} m²", "en": "{have} of {total} m²"},
    "votes.col_test": {"zh": "条件", "en": "Test"},
    "votes.test_line": {
        "zh": "{have} / {total},至少需要 {needed},差额 {margin}",
        "en": "{have} of {total}; needed {needed}; margin {margin}",
    },
    "votes.col_required": {"zh": "要求", "en": "Required"},
    "votes.col_have": {"zh": "实际", "en": "Actual"},
    "votes.col_needed": {"zh": "至少需要", "en": "Needed"},
    "votes.col_margin": {"zh": "差额", "en": "Margin"},
    "votes.col_met": {"zh": "是否达到", "en": "Met"},
    "votes.met": {"zh": "✔ 达到", "en": "✔ met"},
    "votes.not_met": {"zh": "✘ 未达到", "en": "✘ not met"},
    "votes.not_yet": {"zh": "… 尚未达到", "en": "… not yet"},
    "votes.share_two_thirds": {"zh": "≥ 总数的 2/3", "en": "≥ 2/3 of the total"},
    "votes.share_half": {"zh": "> 参与的 1/2", "en": "> 1/2 of those taking part"},
    "votes.share_three_quarters": {"zh": "≥ 参与的 3/4", "en": "≥ 3/4 of those taking part"},
    "votes.col_choice": {"zh": "选项", "en": "Choice"},
    "votes.col_owners": {"zh": "人数", "en": "Owners"},
    "votes.col_area": {"zh": "面积 (m²)", "en": "Area (m²)"},
    "votes.col_voter": {"zh": "投票人", "en": "Voter"},
    "votes.col_units": {"zh": "套数", "en": "Homes"},
    "votes.col_cast_at": {"zh": "投票时间", "en": "Cast at"},
    "votes.named_list": {"zh": "记名投票明细({n} 人)", "en": "Named ballots ({n})"},
    "votes.pdf": {"zh": "下载表决记录 PDF", "en": "Download the record (PDF)"},
    "votes.remind": {"zh": "提醒尚未投票的业主", "en": "Remind the owners who have not voted"},
    "votes.reminded": {
        "zh": "已提醒 {n} 位尚未投票的业主(按各自选择的微信、短信或邮件)。",
        "en": "{n} owners who have not voted are reminded (by the WeChat, SMS or e-mail each "
        "chose).",
    },
    "votes.reminded_at": {"zh": "上次提醒:{at}", "en": "Last reminder: {at}"},
    "votes.remind_no_channel": {
        "zh": "物业尚未开通站外消息(微信、短信或邮件),暂时无法提醒尚未投票的业主。",
        "en": "The company has no message channel (WeChat, SMS or e-mail) yet: owners who "
        "have not voted cannot be reminded.",
    },
    "votes.withdraw": {"zh": "撤回", "en": "Withdraw"},
    "votes.withdraw_reason": {"zh": "撤回理由(业主可见)", "en": "Why (owners read it)"},
    "votes.withdraw_confirm": {"zh": "确认撤回", "en": "Withdraw it"},
    "votes.withdrawn": {"zh": "已撤回。", "en": "Withdrawn."},
    "votes.co_owned": {"zh": "共有房屋的投票人", "en": "Who votes a co-owned home"},
    "votes.co_owned_help": {
        "zh": "共有人指定其中一人投票,房屋面积只计一次;指定从之后发起的表决起生效"
        "(名册在表决开始时确定)。",
        "en": "Co-owners name one of them to vote; the home's area counts once. A naming "
        "counts from the next vote opened (a roll is fixed when a vote opens).",
    },
    "votes.co_owned_now": {"zh": "{home}:当前由 {name} 投票", "en": "{home}: voted by {name}"},
    "votes.co_owned_nobody": {
        "zh": "{home}:尚未指定投票人(该房屋计入总数但无法投票)",
        "en": "{home}: nobody named (the home counts in the totals but cannot vote)",
    },
    "votes.name_voter": {"zh": "指定投票人", "en": "Name the voter"},
    "votes.named_voter": {"zh": "已指定。", "en": "Named."},
    "votes.past": {"zh": "已结束和已撤回({n})", "en": "Closed and withdrawn ({n})"},
    "votes.nobody_votes": {
        "zh": "名册中有 {n} 套房屋无人可投(无登记业主,或共有人未指定投票人),计入总数。",
        "en": "{n} homes on the roll have nobody to vote them (no owner on the roster, or "
        "co-owners who named nobody); they count in the totals.",
    },
    "votes.pdf_title": {
        "zh": "{community} 表决记录:{title}",
        "en": "{community} vote record: {title}",
    },
    "votes.pdf_made": {"zh": "生成于 {at}", "en": "Made {at}"},
    "votes.pdf_roll": {
        "zh": "名册(表决开始时按业主名册确定):总面积 {area} m²,业主 {owners} 人",
        "en": "Roll (fixed from the roster at the opening): {area} m² in all, {owners} owners",
    },
}
