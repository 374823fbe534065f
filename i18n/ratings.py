"""UI strings of ratings (评价) and the commands that rate, edit and reply."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "rating.not_found": {
        "zh": "没有找到这条评价,或您无权查看。",
        "en": "No such rating, or you may not see it.",
    },
    "rating.not_yours": {
        "zh": "只有报修的业主本人可以评价或修改这张工单的评价。",
        "en": "Only the owner who reported this work order may rate it or change the rating.",
    },
    "rating.not_completed": {
        "zh": "工单完成后才能评价。",
        "en": "A work order can be rated once it is completed.",
    },
    "rating.window_closed": {
        "zh": "工单完成 {days} 天内可以评价;这张工单的评价已于 {closed} 截止。",
        "en": "A work order can be rated within {days} days of completion; this one closed on {closed}.",
    },
    "rating.already_rated": {
        "zh": "您已评价过这张工单;如需修改,可在评价后一周内编辑原评价。",
        "en": "You have already rated this work order; you can edit that rating instead.",
    },
    "rating.bad_score": {
        "zh": "每项评分须为 {min}–{max} 星的整数。",
        "en": "Each score must be a whole number of stars from {min} to {max}.",
    },
    "rating.comment_required": {
        "zh": "有评分不高于 {red_line} 星时,请写明原因,以便物业整改。",
        "en": "Please explain what went wrong when a score is {red_line} stars or lower.",
    },
    "rating.comment_too_long": {
        "zh": "评价内容最多 {max} 个字。",
        "en": "The comment can have at most {max} characters.",
    },
    "rating.too_many_photos": {
        "zh": "最多上传 {max} 张照片。",
        "en": "You can upload at most {max} photos.",
    },
    "rating.edit_window_over": {
        "zh": "评价提交超过 {days} 天后不能再修改。",
        "en": "A rating can only be edited within {days} days of submitting it.",
    },
    "rating.edit_limit_reached": {
        "zh": "您一小时内已修改评价 {max} 次,已达上限;请于 {time} 后再修改。",
        "en": "You have changed ratings {max} times within an hour, the limit. "
        "Please try again after {time}.",
    },
    "rating.changed_meanwhile": {
        "zh": "这条评价刚刚被更新了,请刷新后再操作。",
        "en": "This rating was changed meanwhile. Please reload and try again.",
    },
    "rating.reply_not_allowed": {
        "zh": "只有本小区的物业管理人员可以回复评价。",
        "en": "Only the managers of this community may reply to ratings.",
    },
    "rating.reply_required": {
        "zh": "请填写回复内容。",
        "en": "Please write a reply.",
    },
    "rating.reply_too_long": {
        "zh": "回复最多 {max} 个字。",
        "en": "The reply can have at most {max} characters.",
    },
    # --- the rating form (ui/actions/rating_form.py) --------------------------------------------------
    "rating_form.intro": {
        "zh": "请为本次服务打分。评价将在小区公示(姓名打码);低分评价会自动生成整改单,物业须限期受理并公开答复。",
        "en": "Rate this service. Ratings are public in the community (names masked); a low rating "
        "opens a rectification ticket the company must accept and answer in public, within deadlines.",
    },
    "rating_form.comment": {"zh": "评价内容", "en": "Comment"},
    "rating_form.comment_placeholder": {
        "zh": "说说哪里做得好、哪里需要改进(低分时必填)",
        "en": "What went well, what should improve (required with a low score)",
    },
    "rating_form.photos": {
        "zh": "照片(选填,最多 {max} 张,JPEG/PNG/WebP,位置信息会被清除)",
        "en": "Photos (optional, up to {max}, JPEG/PNG/WebP; location data is removed)",
    },
    "rating_form.submit": {"zh": "提交评价", "en": "Submit rating"},
    "rating_form.saving": {"zh": "正在提交…", "en": "Submitting…"},
    "rating_form.score_missing": {
        "zh": "请为响应速度、服务态度和维修质量各打一个分(1–5 星)。",
        "en": "Please give each of speed, attitude and quality a score (1–5 stars).",
    },
    "rating_form.thanks": {
        "zh": "感谢您的评价,已公示。",
        "en": "Thank you: your rating is public.",
    },
    "rating_form.ticket_opened": {
        "zh": "因评分较低,已自动生成整改单并在「整改公示」公开,物业须限期受理。",
        "en": "Because of the low score a rectification ticket was opened and published on the "
        "board; the company must accept it within the deadline.",
    },
    "rating_form.ticket_link": {"zh": "整改单 {code}", "en": "Ticket {code}"},
    "rating_form.reply_due": {"zh": "物业答复期限", "en": "Reply due"},
    "rating_form.edited": {"zh": "已修改", "en": "edited"},
    "rating_form.edit": {
        "zh": "修改评价(可修改至 {until})",
        "en": "Edit the rating (until {until})",
    },
    "rating_form.save_edit": {"zh": "保存修改", "en": "Save changes"},
    "rating_form.edited_saved": {
        "zh": "评价已修改,修改记录已保留。",
        "en": "Rating changed; the previous version is kept on record.",
    },
}
