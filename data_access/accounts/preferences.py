"""An account's own display choices — its language and large text (大字模式) — kept with the
account, so that they follow the person to a new tab, a reload or another device."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.models import Account
from i18n import LANGUAGES


@dataclass(frozen=True)
class Preferences:
    language: str | None  # None: never chosen (the app's default, or the login page's choice)
    large_text: bool

    @classmethod
    def of(cls, language: str | None, large_text: bool | None) -> Preferences:
        """From the account's columns (an unknown language counts as never chosen)."""
        return cls(
            language=language if language in LANGUAGES else None, large_text=bool(large_text)
        )


def get_preferences(*, session: Session, viewer: Viewer) -> Preferences:
    row = session.execute(
        select(Account.language, Account.large_text).where(Account.id == viewer.account_id)
    ).one()
    return Preferences.of(row.language, row.large_text)


def save_preferences(
    *,
    session: Session,
    viewer: Viewer,
    language: str | None = None,
    large_text: bool | None = None,
) -> None:
    """Keep the viewer's choice (only what is given). An unknown language is ignored."""
    changes: dict[str, object] = {}
    if language is not None and language in LANGUAGES:
        changes["language"] = language
    if large_text is not None:
        changes["large_text"] = large_text
    if changes:
        session.execute(update(Account).where(Account.id == viewer.account_id).values(**changes))
