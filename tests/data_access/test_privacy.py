"""Masking rules (docs/domain.md#roles-and-masking)."""

from __future__ import annotations

import pytest

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import (
    mask_name,
    mask_personal_data,
    mask_phone,
    mask_unit,
    person_for,
    redacts_private,
)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [("张三", "张*"), ("欧阳娜娜", "欧***"), ("李", "李*"), ("", ""), (" 王五 ", "王*")],
)
def test_mask_name(raw: str, masked: str) -> None:
    assert mask_name(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [("13812341234", "138****1234"), ("138-1234-1234", "138****1234"), ("12345", "*****")],
)
def test_mask_phone(raw: str, masked: str) -> None:
    assert mask_phone(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"), [("3栋2单元1201", "3栋2单元***"), ("会所", "***"), ("地下车库B2", "地下***")]
)
def test_mask_unit(raw: str, masked: str) -> None:
    assert mask_unit(raw) == masked


@pytest.mark.parametrize(
    ("role", "shown"), [("owner", "赵*"), ("committee", "赵*"), ("manager", "赵六")]
)
def test_person_for_each_role(role: str, shown: str) -> None:
    viewer = Viewer(account_id=1, username="u", display_name="x", role=role, community_id=1)
    assert person_for(viewer, "赵六") == shown


# --- personal data typed into free text (issue 14) ---------------------------------------------
@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("电话13800138000请回电", "电话138****8000请回电"),
        ("电话 138 0013 8000", "电话 138****8000"),
        ("电话138-0013-8000。", "电话138****8000。"),
        ("+86 13800138000", "+86 138****8000"),
        ("+8613800138000", "+86138****8000"),
        ("座机021-12345678", "座机021-******78"),
        ("座机0571-8888666转801", "座机0571-*****66转801"),
        ("(021)12345678", "(021)******78"),
        ("身份证110101199003071234", "身份证110101********1234"),
        ("身份证11010119900307123X", "身份证110101********123X"),
        ("邮箱zhang.san@example.com", "邮箱z***@example.com"),
        ("13800138000@qq.com", "1***@qq.com"),
        ("3栋2单元1201漏水", "3栋2单元***漏水"),
        ("3号楼2单元1201室", "3号楼2单元***"),
        ("3幢1201", "3幢***"),
        ("住在2单元301", "住在2单元***"),
        ("楼上1201室漏水", "楼上***室漏水"),
    ],
)
def test_mask_personal_data_masks_each_pattern(raw: str, masked: str) -> None:
    assert mask_personal_data(raw) == masked


@pytest.mark.parametrize(
    "kept",
    [
        "工单BX20261124001已完成",  # an order code (seed: prefix + date + number)
        "整改单ZGD20261124001",  # a ticket code
        "导入单IMP-13800138000",  # an imported order's code (IMP-<external id>)
        "2026-11-24 14:30上门",
        "2026年11月24日",
        "20261124",
        "费用¥1,234.50",
        "1234.5元",
        "12345678元",
        "共3次,等了45分钟",
        "3栋12层走廊",
        "3栋2单元门口",
        "1栋大堂",
        "编号123456789012不是电话",
        "流水号1380013800012345678",  # a longer digit run holds no mobile or ID number
        "电梯坏了",
    ],
)
def test_mask_personal_data_leaves_other_numbers(kept: str) -> None:
    assert mask_personal_data(kept) == kept


def test_mask_personal_data_keeps_the_viewers_own_phone() -> None:
    text = "请拨13812341234或13800138000"
    assert (
        mask_personal_data(text, keep_phones=("138-1234-1234",)) == "请拨13812341234或138****8000"
    )


@pytest.mark.parametrize(
    ("private", "unmasked", "own", "redacted"),
    [
        (True, False, False, True),  # a neighbour or the committee
        (True, True, False, False),  # a manager
        (True, False, True, False),  # its owner, read for them alone
        (False, False, False, False),  # a public order's ticket
    ],
)
def test_redacts_private(private: bool, unmasked: bool, own: bool, redacted: bool) -> None:
    assert redacts_private(private, unmasked=unmasked, own=own) is redacted
