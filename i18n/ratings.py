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
}
