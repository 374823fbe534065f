"""What may import what (the layers): read from every module's import statements.

- ``data_access`` (queries, commands, rules) never imports Streamlit or the UI: it is used by the
  pages, the command line, the simulator and the tests alike.
- ``pages`` never talk to the database: no SQLAlchemy, no ``data_access.db``; they go through
  ``ui`` (loaders that read, ``run_command`` that writes).
- In ``ui`` only the database handle (``ui/database.py``) opens SQLAlchemy itself.
- A ``ui`` file's folder says what it does: ``ui/loaders`` only read (no write transaction, no
  action); ``ui/actions`` write, all through ``ui/actions/commands.py``; ``ui/charts`` and
  ``ui/widgets`` draw what they are given (no database, no loader, no action).
- Each domain package of ``data_access`` may use the shared core (models, db, errors, …) and the
  other packages, never the UI.
- ``reports`` (the monthly report's tables, Excel and PDF) draws a ``MonthlyReport`` it is given:
  it may use ``data_access``'s results, constants and helpers and ``i18n``, never Streamlit, the
  UI or the database; and ``data_access`` never imports ``reports``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.sources import ROOT, check_scanned, python_files

UI_LAYERS = ("streamlit", "ui", "pages", "app", "extra_streamlit_components")
DATABASE = ("sqlalchemy", "data_access.db")
UI_MAY_USE_SQLALCHEMY = {"ui/database.py"}
# Where ui opens write transactions: the command runner, the login's session.
UI_MAY_WRITE = {"ui/actions/commands.py", "ui/login.py", "ui/database.py"}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports (``from a.b import c`` gives ``a.b`` and ``a.b.c``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def offending(path: Path, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        module
        for module in imported_modules(path)
        if any(module == f or module.startswith(f + ".") for f in forbidden)
    )


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


DATA_ACCESS = python_files("data_access")
PAGES = [*python_files("pages"), ROOT / "app.py"]
UI = python_files("ui")
LOADERS = python_files("ui/loaders")
DRAWING = python_files("ui/charts", "ui/widgets")
REPORTS = python_files("reports")
BACKGROUND = python_files("worker", "connectors", "channels")


def test_the_scans_read_every_package() -> None:
    check_scanned(DATA_ACCESS, "data_access")
    check_scanned(PAGES, "pages")
    check_scanned(UI, "ui")
    check_scanned(REPORTS, "reports")
    check_scanned(BACKGROUND, "worker", "connectors", "channels")
    assert len(LOADERS) >= 12 and len(DRAWING) >= 10
    packages = {p.parent.name for p in DATA_ACCESS if p.name == "__init__.py"}
    assert {"accounts", "orders", "tickets", "plans", "analytics", "imports"} <= packages


@pytest.mark.parametrize("path", DATA_ACCESS, ids=_relative)
def test_data_access_never_imports_the_ui(path: Path) -> None:
    assert offending(path, UI_LAYERS) == []


@pytest.mark.parametrize("path", PAGES, ids=_relative)
def test_pages_never_touch_the_database(path: Path) -> None:
    assert offending(path, DATABASE) == []


@pytest.mark.parametrize("path", UI, ids=_relative)
def test_ui_opens_sqlalchemy_only_in_its_database_handle(path: Path) -> None:
    if _relative(path) not in UI_MAY_USE_SQLALCHEMY:
        assert offending(path, ("sqlalchemy",)) == []


@pytest.mark.parametrize("path", UI, ids=_relative)
def test_ui_writes_only_through_the_command_runner(path: Path) -> None:
    if _relative(path) not in UI_MAY_WRITE:
        assert offending(path, ("data_access.db",)) == []


@pytest.mark.parametrize("path", LOADERS, ids=_relative)
def test_loaders_only_read(path: Path) -> None:
    assert offending(path, ("ui.actions", "data_access.db")) == []


@pytest.mark.parametrize("path", DRAWING, ids=_relative)
def test_charts_and_widgets_draw_what_they_are_given(path: Path) -> None:
    assert offending(path, ("ui.database", "ui.loaders", "ui.actions", "data_access.db")) == []


@pytest.mark.parametrize("path", REPORTS, ids=_relative)
def test_reports_never_import_the_ui_or_the_database(path: Path) -> None:
    assert offending(path, (*UI_LAYERS, *DATABASE)) == []


@pytest.mark.parametrize("path", BACKGROUND, ids=_relative)
def test_the_worker_and_connectors_never_import_the_ui(path: Path) -> None:
    """They run without a page: the worker is its own process, connectors and the message
    channels run inside it."""
    assert offending(path, UI_LAYERS) == []


@pytest.mark.parametrize("path", DATA_ACCESS, ids=_relative)
def test_data_access_never_imports_reports(path: Path) -> None:
    assert offending(path, ("reports",)) == []


def test_the_rule_catches_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("import streamlit as st\nfrom sqlalchemy.orm import Session\n")
    assert offending(module, UI_LAYERS) == ["streamlit"]
    assert offending(module, DATABASE) == ["sqlalchemy.orm", "sqlalchemy.orm.Session"]
    module.write_text("from reports.tables import report_tables\nimport reportlab\n")
    assert offending(module, ("reports",)) == ["reports.tables", "reports.tables.report_tables"]
