"""Choosing the owner a manager opens a ticket for (data_access/communities.py)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts.auth import Viewer
from data_access.communities import OwnerChoice, list_owner_choices
from data_access.db import write_session
from data_access.errors import NotAllowed
from data_access.models import Account
from tests.data_access import factories as f


def as_viewer(account: Account) -> Viewer:
    return Viewer(
        account_id=account.id, username=account.username, display_name=account.display_name,
        role=account.role, community_id=account.community_id,
    )  # fmt: skip


def test_manager_gets_the_active_owners_of_their_community_only(
    session_factory: sessionmaker[Session],
) -> None:
    with write_session(session_factory) as s:
        c, other = f.community(s), f.community(s)
        building = f.building(s, c, name="3栋")
        owner = f.account(
            s, c, units=(f.unit(s, building, 2, "1201"), f.unit(s, building, 1, "101"))
        )
        committee = f.account(s, c, role="committee")
        f.account(s, c, is_active=False)
        f.account(s, other)
        manager = f.account(s, c, role="manager")
        expected = [
            OwnerChoice(owner.id, "张三", "3栋2单元1201、3栋1单元101"),
            OwnerChoice(committee.id, "张三", ""),
        ]
        viewer = as_viewer(manager)
        owner_viewer = as_viewer(owner)
    with session_factory() as s:
        assert list_owner_choices(session=s, viewer=viewer) == expected
        with pytest.raises(NotAllowed):
            list_owner_choices(session=s, viewer=owner_viewer)
