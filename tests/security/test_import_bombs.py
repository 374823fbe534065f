"""Hostile import files: Excel archives that unpack to far more than they weigh, archives whose
declared sizes lie, millions of tiny XML elements, and runs of blank rows. Every attack file is
built here, in chunks, so the tests stay light; every refusal is a ``DomainError`` whose
message is in the catalog. No timing assertions: bench/import_bombs.py measures time and memory.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
from collections.abc import Iterable, Iterator, Sequence

import pytest
from sqlalchemy.orm import Session

from data_access.errors import DomainError
from data_access.imports import order_import as imports
from data_access.imports.order_import import (
    MAX_BLANK_RUN,
    MAX_IMPORT_COLUMNS,
    XLSX_MAX_CHILDREN,
    XLSX_MAX_MEMBERS,
    XLSX_MAX_RATIO,
    XLSX_MAX_UNPACKED_BYTES,
    import_orders,
    read_source,
)
from data_access.models import Community
from tests.data_access import factories as f
from tests.data_access.test_imports import HEADER, csv_bytes, mapping, row

NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
}  # fmt: skip
MB = 1024 * 1024


def inline_row(number: int, cells: Iterable[str]) -> bytes:
    inner = b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % cell.encode() for cell in cells)
    return b'<row r="%d">%s</row>' % (number, inner)


def repeat(unit: bytes, count: int, per_chunk: int = 100_000) -> Iterator[bytes]:
    for done in range(0, count, per_chunk):
        yield unit * min(per_chunk, count - done)


PROLOG = b'<?xml version="1.0" encoding="UTF-8"?>'


def xlsx(
    rows: Iterable[bytes] = (),
    strings: Iterable[bytes] = (),
    *,
    prolog: bytes = PROLOG,
    dimension: bytes = b"",
    header_at: int = 1,
    header: Sequence[str] = HEADER,
    padding: int = 0,
    extra_parts: int = 0,
) -> bytes:
    """A minimal workbook: the header row (row ``header_at``), ``rows``, a shared-strings part
    of ``strings``; ``padding`` bytes of incompressible data in an extra part (so the file is
    big enough for the ratio not to be what refuses it). The big parts are written in chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in PARTS.items():
            archive.writestr(name, content)
        sheet = [
            prolog + b"<worksheet " + NS + b">" + dimension,
            b"<sheetData>" + inline_row(header_at, header),
            *rows,
            b"</sheetData></worksheet>",
        ]
        sst = [PROLOG + b"<sst " + NS + b">", *strings, b"</sst>"]
        for name, parts in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", sst)):
            with archive.open(name, "w") as member:
                for part in parts:
                    member.write(part)
        if padding:
            archive.writestr("xl/media/padding.bin", os.urandom(padding))
        for number in range(extra_parts):
            archive.writestr(f"xl/extra/{number}.xml", b"<x/>")
    return buffer.getvalue()


def declare_size(data: bytes, member: str, size: int) -> bytes:
    """The archive with ``member``'s uncompressed size rewritten to ``size`` in its local and
    central headers (the compressed data and its CRC are left as they are)."""
    out = bytearray(data)
    name = member.encode()
    patched = 0
    for signature, size_at, name_length_at, name_at in (
        (b"PK\x03\x04", 22, 26, 30),
        (b"PK\x01\x02", 24, 28, 46),
    ):
        start = out.find(signature)
        while start != -1:
            (length,) = struct.unpack_from("<H", out, start + name_length_at)
            if out[start + name_at : start + name_at + length] == name:
                struct.pack_into("<I", out, start + size_at, size)
                patched += 1
            start = out.find(signature, start + 4)
    assert patched == 2
    return bytes(out)


def refusal(data: bytes) -> DomainError:
    with pytest.raises(DomainError) as caught:
        read_source(data, mapping=mapping(), file_name="attack.xlsx")
    for lang in ("zh", "en"):  # a catalog text, every placeholder filled
        text = caught.value.message(lang)
        assert text != caught.value.key and "{" not in text
    return caught.value


def string_bomb(megabytes: int) -> Iterator[bytes]:
    """One shared string of ``megabytes`` MB of a single letter (deflates about 1000:1)."""
    yield b"<si><t>"
    yield from repeat(b"A" * 1024, megabytes * 1024, 1024)
    yield b"</t></si>"


DATA_ROW = ("B1", "2026/10/9 10:00")


# --- unpacking ---------------------------------------------------------------------------------
def test_a_shared_string_bomb_is_refused_with_the_real_caps() -> None:
    # 1.2 MB of padding: the ratio allows 120 MB, so the 100 MB total is what refuses it.
    data = xlsx([inline_row(2, DATA_ROW)], string_bomb(150), padding=int(1.2 * MB))
    assert len(data) < 2 * MB
    error = refusal(data)
    assert error.key == "imports.xlsx_unpacked_too_large"
    assert error.params == {"max_mb": XLSX_MAX_UNPACKED_BYTES // MB}
    assert "100 MB" in error.message("zh")


def test_a_small_file_unpacking_far_beyond_its_size_is_refused() -> None:
    data = xlsx([inline_row(2, DATA_ROW)], string_bomb(20))  # about 40 KB → 20 MB
    assert len(data) * XLSX_MAX_RATIO < 20 * MB
    error = refusal(data)
    assert (error.key, error.params) == ("imports.xlsx_ratio", {"max": XLSX_MAX_RATIO})
    assert "压缩炸弹" in error.message("zh") and "zip bomb" in error.message("en")


@pytest.mark.parametrize("declared", [0, 1024])
def test_declared_sizes_that_lie_do_not_hide_a_bomb(declared: int) -> None:
    honest = xlsx([inline_row(2, DATA_ROW)], string_bomb(150), padding=int(1.2 * MB))
    lying = declare_size(honest, "xl/sharedStrings.xml", declared)
    info = zipfile.ZipFile(io.BytesIO(lying)).getinfo("xl/sharedStrings.xml")
    assert info.file_size == declared  # what the archive claims …
    assert refusal(lying).key == "imports.xlsx_unpacked_too_large"  # … is not what is counted


def test_an_archive_of_too_many_parts_is_refused() -> None:
    data = xlsx([inline_row(2, DATA_ROW)], extra_parts=XLSX_MAX_MEMBERS)
    error = refusal(data)
    assert (error.key, error.params) == ("imports.xlsx_too_many_parts", {"max": XLSX_MAX_MEMBERS})


# --- elements --------------------------------------------------------------------------------------
def test_millions_of_tiny_shared_strings_are_refused() -> None:
    # 2.5 MB of <si/>: small and within the byte caps, but openpyxl would keep each one.
    data = xlsx([inline_row(2, DATA_ROW)], repeat(b"<si/>", XLSX_MAX_CHILDREN + 1), padding=MB)
    error = refusal(data)
    assert (error.key, error.params) == (
        "imports.xlsx_too_many_children",
        {"max": XLSX_MAX_CHILDREN},
    )


def test_one_row_of_millions_of_cells_is_refused() -> None:
    data = xlsx([b'<row r="2">', *repeat(b"<c/>", XLSX_MAX_CHILDREN + 1), b"</row>"], padding=MB)
    assert refusal(data).key == "imports.xlsx_too_many_children"


def test_rows_repeating_one_number_are_refused() -> None:
    # openpyxl silently skips a row whose number is not above the last one (and keeps it).
    data = xlsx(repeat(b'<row r="1"/>', XLSX_MAX_CHILDREN + 1), padding=MB)
    assert refusal(data).key == "imports.xlsx_too_many_children"


def test_too_many_elements_in_all_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "XLSX_MAX_ELEMENTS", 5_000)
    rows = (b'<row r="%d"><c/><c/><c/><c/></row>' % n for n in range(2, 1_100))
    error = refusal(xlsx(rows))
    assert (error.key, error.params) == ("imports.xlsx_too_many_elements", {"max": 5_000})


def test_a_document_type_definition_is_refused() -> None:
    laughs = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    data = xlsx([inline_row(2, ("&b;", "2026/10/9 10:00"))], prolog=laughs)
    assert refusal(data).key == "imports.xlsx_dtd"


# --- blank rows ------------------------------------------------------------------------------------
@pytest.fixture
def community(session: Session) -> Community:
    c = f.community(session, code="BOMB")
    contract = f.contract(session, c)
    f.sla_rule(session, contract, "repair", "*", "normal", 20, 600)
    session.commit()
    return c


def test_reading_stops_after_a_run_of_blank_rows_and_says_so(
    session: Session, community: Community
) -> None:
    # A tiny file declaring 20 million empty rows between two data rows.
    data = xlsx([inline_row(2, row("B1")), inline_row(20_000_003, row("B2"))])
    table = read_source(data, mapping=mapping(), file_name="blank.xlsx")
    assert [r.cells["编号"] for r in table.rows] == ["B1"]
    assert table.stopped_at == 2 + MAX_BLANK_RUN  # the last blank row read

    report = import_orders(
        session=session, community_id=community.id, data=data, mapping=mapping(),
        file_name="blank.xlsx", dry_run=True,
    )  # fmt: skip
    assert (report.rows_read, report.created) == (1, 1)
    assert [(i.line, i.key, i.params) for i in report.warnings] == [
        (1002, "imports.warn.blank_rows_stopped", {"count": MAX_BLANK_RUN})
    ]
    assert "1000" in report.warnings[0].message("zh") and "not read" in report.to_text("en")


def test_a_warning_only_when_something_is_left_unread() -> None:
    ends = csv_bytes([row("C1")]) + b"\r\n" * MAX_BLANK_RUN  # the file ends with the run
    assert read_source(ends, mapping=mapping()).stopped_at is None
    more = csv_bytes([row("C1")]) + b",,,\r\n" * (MAX_BLANK_RUN + 1)  # one row left unread
    table = read_source(more, mapping=mapping())
    assert (len(table.rows), table.stopped_at) == (1, 2 + MAX_BLANK_RUN)


def test_blank_rows_count_toward_the_row_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "MAX_IMPORT_ROWS", 10)
    spaced = [cells for n in range(6) for cells in (row(f"S{n}"), [""] * len(HEADER))]
    with pytest.raises(DomainError) as caught:  # the 6th data row is the 11th row read
        read_source(csv_bytes(spaced[:11]), mapping=mapping())
    assert (caught.value.key, caught.value.params) == ("imports.file_too_many_rows", {"max": 10})
    assert "空行" in caught.value.message("zh")
    # blank rows after the last data row may pass the limit: they are not data
    table = read_source(csv_bytes(spaced[:10] + [[""]] * 20), mapping=mapping())
    assert [r.cells["编号"] for r in table.rows] == ["S0", "S1", "S2", "S3", "S4"]


def test_a_sheet_of_blank_rows_before_any_header_is_refused() -> None:
    data = xlsx([inline_row(1_000_002, DATA_ROW)], header_at=1_000_001)
    error = refusal(data)
    assert (error.key, error.params) == ("imports.file_blank_start", {"count": MAX_BLANK_RUN})


def test_a_declared_dimension_does_not_pad_rows() -> None:
    data = xlsx([inline_row(2, DATA_ROW)], dimension=b'<dimension ref="A1:XFD1048576"/>')
    table = read_source(data, mapping=mapping(), file_name="wide.xlsx")
    assert table.header == tuple(HEADER)  # not 16,384 columns
    assert [(r.line, r.cells["编号"]) for r in table.rows] == [(2, "B1")]


def test_a_header_of_too_many_columns_is_refused() -> None:
    wide = (*HEADER, *(f"x{n}" for n in range(MAX_IMPORT_COLUMNS)))
    error = refusal(xlsx([inline_row(2, DATA_ROW)], header=wide))
    assert (error.key, error.params) == ("imports.file_too_many_columns", {"max": 256})


# --- what must still work ----------------------------------------------------------------------
def legitimate_export(rows: int) -> bytes:
    """An export as another system writes it (openpyxl, inline strings), with unique ids,
    times and Chinese texts."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(HEADER))
    for n in range(rows):
        day, hour = n % 28 + 1, n % 24
        sheet.append(
            row(
                f"GD{n:08d}", f"2025/9/{day} {hour}:{n % 50:02d}:00",
                f"2025/9/{day} {hour}:{n % 50 + 7:02d}:00", status="已完成" if n % 2 else "处理中",
                closed=f"2025/9/{day + 1} 9:{n % 60:02d}:00" if n % 2 else "",
                title=f"楼道漏水第{n}号", description="业主反映楼道漏水,天花板渗水,需要维修" * 2,
            )
        )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_legitimate_export_of_the_row_limit_still_reads_whole() -> None:
    data = legitimate_export(imports.MAX_IMPORT_ROWS)
    assert len(data) > 2 * MB  # a real export of this size, unpacking to about 30 MB
    table = read_source(data, mapping=mapping(), file_name="export.xlsx")
    assert (len(table.rows), table.stopped_at, table.encoding) == (50_000, None, "xlsx")
    first, last = table.rows[0], table.rows[-1]
    assert (first.line, first.cells["编号"], first.cells["状态"]) == (2, "GD00000000", "处理中")
    assert (last.line, last.cells["编号"], last.cells["完成时间"]) == (
        50_001, "GD00049999", "2025/9/21 9:19:00",
    )  # fmt: skip


def test_a_legitimate_export_imports_with_the_exact_figures(
    session: Session, community: Community
) -> None:
    data = legitimate_export(300)
    report = import_orders(
        session=session, community_id=community.id, data=data, mapping=mapping(),
        file_name="export.xlsx",
    )  # fmt: skip
    assert (report.rows_read, report.created, report.updated, report.rejected) == (300, 300, 0, ())
    assert report.warnings == ()
