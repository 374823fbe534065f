"""Domain errors. Each carries a catalog key and parameters; the page shows the translated text."""

from __future__ import annotations

from i18n import translate


class DomainError(Exception):
    """A refusal the user should read as is (bad input, not allowed, changed meanwhile…)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str = "zh") -> str:
        return translate(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message("zh")


class DatabaseUnavailable(DomainError):
    """The database cannot be used: bad URL, unreachable, or its schema is not current."""


class NotAllowed(DomainError):
    """The viewer's role or community does not permit this."""


def is_database_outage(error: BaseException) -> bool:
    """True for errors that mean "the database is not reachable right now"."""
    from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError

    return isinstance(error, OperationalError | InterfaceError | DisconnectionError)
