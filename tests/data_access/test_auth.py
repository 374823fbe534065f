"""Passwords, the credentials handed to streamlit-authenticator, and the viewer."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from data_access.accounts.auth import (
    PasswordRuleError,
    hash_password,
    load_viewer,
    verify_password,
)
from tests.data_access import factories as f


def test_hash_and_verify() -> None:
    hashed = hash_password("correct horse", rounds=4)
    assert verify_password("correct horse", hashed)
    assert not verify_password("wrong horse", hashed)
    assert not verify_password("anything", "!")  # unusable hash matches nothing


@pytest.mark.parametrize("password", ["short", "密" * 25])  # 7 chars; 75 bytes in UTF-8
def test_password_rule(password: str) -> None:
    with pytest.raises(PasswordRuleError):
        hash_password(password, rounds=4)


def test_over_long_password_never_verifies_instead_of_being_truncated() -> None:
    hashed = hash_password("a" * 72, rounds=4)
    assert not verify_password("a" * 73, hashed)


def test_viewer_comes_from_the_database(session: Session) -> None:
    c = f.community(session)
    b = f.building(session, c)
    u1, u2 = f.unit(session, b, room="101"), f.unit(session, b, room="102")
    f.account(session, c, username="wang", role="committee", units=(u2, u1))
    f.account(session, c, username="gone", is_active=False)
    viewer = load_viewer(session=session, username="wang")
    assert viewer is not None
    assert (viewer.role, viewer.community_id, viewer.unit_ids) == (
        "committee",
        c.id,
        (u1.id, u2.id),
    )
    assert viewer.is_committee and not viewer.is_owner
    f.account(session, c, username="li", role="manager")
    manager = load_viewer(session=session, username="li")
    assert manager is not None and manager.unit_ids == ()  # no home: still one viewer
    assert load_viewer(session=session, username="gone") is None
    assert load_viewer(session=session, username="nobody") is None
