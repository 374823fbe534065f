"""The import-bomb benchmark harness on one tiny file, so it cannot rot. No timing assertions."""

from __future__ import annotations

import zipfile
from pathlib import Path

from bench import import_bombs


def test_the_harness_reads_one_tiny_file_in_a_subprocess_and_tabulates_it(
    tmp_path: Path,
) -> None:
    path = import_bombs.write_xlsx(
        tmp_path / "tiny.xlsx", [b'<row r="2">' + import_bombs.DATA_ROW + b"</row>"]
    )
    result = import_bombs.measure("tiny", path, timeout=120)
    assert result.outcome == "rows 1"
    assert result.seconds is not None and result.peak_mb is not None
    assert result.file_kb == path.stat().st_size // 1024
    table = import_bombs.table([result])
    assert table.splitlines()[2].startswith("| tiny | ")
    assert "rows 1" in table


def test_the_lying_archive_builder_rewrites_the_declared_size(tmp_path: Path) -> None:
    path = import_bombs.write_xlsx(
        tmp_path / "lie.xlsx", [], [b"<si><t>" + b"A" * 5000 + b"</t></si>"]
    )
    import_bombs.declare_size(path, "xl/sharedStrings.xml", 10)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size == 10
    assert set(import_bombs.BUILDERS) >= {"legitimate 50,000 rows", "shared string 1.5 GB"}
