"""The project's own Python files, for the tests that read source (append-only history, cache
keys, raw HTML, import rules). Folders are walked recursively, so a module moved into a
sub-package is still read; each test also checks it read at least as many files as the folders
held when it was written, so it cannot pass by reading nothing."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Files per folder when these checks were written (issue 15); a scan finding fewer is broken.
MIN_FILES = {
    "data_access": 49, "ui": 40, "pages": 17, "seed": 17, "simulator": 1, "reports": 5,
    "worker": 3, "connectors": 6, "channels": 5,
}  # fmt: skip


def python_files(*folders: str) -> list[Path]:
    """Every ``.py`` file below the folders (relative to the repository root), sorted."""
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def check_scanned(paths: list[Path], *folders: str) -> None:
    """Fail when a scan read fewer files of a folder than it held when written."""
    for folder in folders:
        found = sum(1 for p in paths if p.is_relative_to(ROOT / folder))
        assert found >= MIN_FILES[folder], f"scanned {found} files of {folder}/"
