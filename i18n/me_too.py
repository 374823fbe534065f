"""UI strings of 我也遇到 and 关注 on public work orders and tickets."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "voice.count": {"zh": "{n} 位业主也遇到", "en": "{n} owners have the same problem"},
    "voice.none_yet": {
        "zh": "还没有其他业主表示也遇到",
        "en": "No other owner has said they have it too yet",
    },
    "voice.me_too": {"zh": "我也遇到", "en": "Me too"},
    "voice.said": {"zh": "您已表示也遇到", "en": "You said you have it too"},
    "voice.follow": {"zh": "关注进展", "en": "Follow"},
    "voice.unfollow": {"zh": "取消关注", "en": "Unfollow"},
    "voice.following": {
        "zh": "已关注:每一步进展都会通知您",
        "en": "Following: you hear of every step",
    },
    "voice.explain": {
        "zh": "「我也遇到」每位业主一次,不能撤回;它会计入问题高发预警,达到合同约定人数时提醒物业。"
        "表示也遇到即自动关注。",
        "en": "“Me too” is once per owner and cannot be withdrawn; it counts as evidence for "
        "hotspot warnings and alerts the company when the contract's number is reached. "
        "Saying it also follows the record.",
    },
    "voice.thanks": {
        "zh": "已记录:您也遇到了这个问题。",
        "en": "Noted: you have this problem too.",
    },
    "voice.followed": {"zh": "已关注,进展会通知您。", "en": "Following: you will hear of it."},
    "voice.unfollowed": {"zh": "已取消关注。", "en": "No longer following."},
    # --- refusals -----------------------------------------------------------------------------
    "me_too.not_found": {"zh": "找不到这条公开记录。", "en": "Public record not found."},
    "me_too.owners_only": {
        "zh": "只有本小区业主可以表示也遇到或关注。",
        "en": "Only the community's owners can say “me too” or follow.",
    },
    "me_too.own_record": {
        "zh": "这是您自己报的,进展本来就会通知您。",
        "en": "You reported it: you hear of it already.",
    },
    "me_too.closed": {
        "zh": "已完成或已关闭,不能再表示也遇到。",
        "en": "It is finished: “me too” is closed.",
    },
    "me_too.once": {"zh": "您已经表示过也遇到。", "en": "You said “me too” already."},
}
