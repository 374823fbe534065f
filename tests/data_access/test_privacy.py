"""Masking rules of DESIGN §2."""

from __future__ import annotations

import pytest

from data_access.auth import Viewer
from data_access.privacy import mask_name, mask_phone, mask_unit, person_for


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
