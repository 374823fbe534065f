"""Importing work orders from another system's export (CSV or Excel) through a mapping file.

Property companies already keep work orders elsewhere; an import brings that history in so the
KPIs and the handling figures cover it. The same code serves ``manage.py import-orders`` and the
managers' import page:

1. ``parse_mapping`` reads a TOML mapping (which of *their* columns is which of *our* fields,
   how *their* values translate to our codes, the file's encoding, time zone and date style) and
   refuses a mapping it cannot follow, with a message naming the problem.
2. ``read_source`` decodes the file (CSV in UTF-8 or GBK, quoted multi-line fields; or .xlsx)
   into records, each with the line number a person sees in the file (CSV: the physical line
   the record starts on; Excel: the row number; the header is line 1).
3. Every record is validated on its own: a row that cannot be trusted (no external id, no or an
   unparseable created time, closed before created…) is *rejected* — it never reaches the
   database, so it never counts in a KPI — and a row that can be repaired (an unknown category
   becomes 其他) is imported with a *warning*. Both are listed with their line numbers.
4. The valid rows are upserted by (community, external id): a new id creates a work order with
   synthetic events (so the progress bar works); a known id whose values are the same changes
   nothing; a changed one is updated and gets only the events it lacks. Events are append-only,
   so an import never undoes a step (a completed order is not reopened, a response time is not
   erased); a step whose time the file corrects (created, responded, closed) gets a correction
   that supersedes it (``data_access.orders.steps``), never a second step of its stage.
   Importing the same file twice therefore creates and updates nothing the second time.

Everything of one import happens in the caller's transaction; ``dry_run`` computes the same
report from reads only and writes nothing. Dates are parsed by ``parse_moment`` (no dependency):
ISO 8601, ``2019/4/8 8:37:09``, ``06/26/2018 10:58:54 AM`` (month-first) or ``26/06/2018``
(day-first) as the mapping says, Excel serial numbers, date-only values (local midnight), or an
explicit ``strptime`` format; local times are converted to naive UTC as stored.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import datetime as dt
import hashlib
import io
import re
import tomllib
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.db import PROJECT_ROOT
from data_access.errors import DomainError, NotAllowed
from data_access.flows import FINAL_STAGE, RESPONSE_STAGE, WORK_ORDER_FLOWS
from data_access.models import (
    PRIORITIES,
    VISIBILITIES,
    WORK_ORDER_CATEGORIES,
    WORK_ORDER_TYPES,
    Community,
    ServiceContract,
    SlaRule,
    WorkOrder,
    WorkOrderEvent,
)
from data_access.orders.steps import correction, is_effective
from data_access.outbox.enqueue import history_only
from data_access.text_input import clean_text
from data_access.timestamps import to_stored_utc
from i18n import translate

# --- limits and defaults ----------------------------------------------------------------------
MAX_IMPORT_BYTES = 10 * 1024 * 1024  # same as the app's upload limit (.streamlit/config.toml)
MAX_IMPORT_ROWS = 50_000  # rows after the header, blank rows included (see ``_table_of``)
MAX_BLANK_RUN = 1_000  # reading stops after this many consecutive blank rows
MAX_IMPORT_COLUMNS = 256  # named header columns
# An .xlsx is a zip of XML parts that openpyxl unpacks and parses; a small archive can unpack
# to gigabytes ("zip bomb") or hold millions of tiny elements. ``_check_xlsx`` streams every
# part before openpyxl sees the file and refuses one beyond these bounds (real exports of
# 50,000 rows unpack to about 40 MB at about 6:1 and hold about 1.6 M elements):
XLSX_MAX_MEMBERS = 200  # parts in the archive
XLSX_MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # all parts together, counted while unpacking
XLSX_MAX_RATIO = 100  # unpacked bytes per byte of the file
XLSX_MAX_ELEMENTS = 2_000_000  # XML elements in all parts together (parsing ~5 µs each)
XLSX_MAX_CHILDREN = 500_000  # elements directly inside one element (rows, strings, cells)
_UNPACK_CHUNK = 64 * 1024
_UNBOUNDED = 1 << 62
IMPORT_SOURCE = "import"  # WorkOrder.source of imported orders
CODE_PREFIX = "IMP-"
CODE_MAX_CHARS = 32  # WorkOrder.code
EXTERNAL_ID_MAX_CHARS = 64  # WorkOrder.external_id
TEXT_MAX_CHARS = {"title": 200, "location": 200}  # longer values are cut, with a warning
ACTOR_MAX_CHARS = 50  # WorkOrderEvent.actor_name
# Deadlines when the contract has no SLA rule for the order (those of normal priority).
DEFAULT_RESPOND_MINUTES = 30
DEFAULT_RESOLVE_MINUTES = 72 * 60
SHIPPED_MAPPINGS_DIR = PROJECT_ROOT / "imports" / "mappings"
_QUERY_CHUNK = 500  # ids per IN (...) query

# --- the mapping's vocabulary -------------------------------------------------------------------
FIELDS: tuple[str, ...] = (
    "external_id",
    "created_at",
    "answered_at",
    "closed_at",
    "type",
    "category",
    "priority",
    "title",
    "description",
    "location",
    "visibility",
    "status",
)
REQUIRED_FIELDS: tuple[str, ...] = ("external_id", "created_at")
DATE_FIELDS: tuple[str, ...] = ("created_at", "answered_at", "closed_at")
VALUE_FIELDS: tuple[str, ...] = ("type", "category", "priority", "visibility", "status")
DEFAULTABLE_FIELDS: tuple[str, ...] = ("type", "category", "priority", "visibility")
ENCODINGS: tuple[str, ...] = ("auto", "utf-8", "gbk", "gb18030")
SOURCE_KEYS: tuple[str, ...] = (
    "name",
    "encoding",
    "time_zone",
    "month_first",
    "date_format",
    "delimiter",
    "sheet",
    "header_row",
)
STAGE_CODES: tuple[str, ...] = tuple(
    dict.fromkeys(stage.code for flow in WORK_ORDER_FLOWS.values() for stage in flow)
)
# A status maps to "open", "closed", one of our stage codes, or "skip" (a cancelled/void order
# in their system: the row is rejected, so it never counts).
STATUS_TARGETS: tuple[str, ...] = ("open", "closed", "skip", *STAGE_CODES)
_CLOSED_STATUSES = frozenset({"closed", FINAL_STAGE})
_CODES: dict[str, tuple[str, ...]] = {
    "type": WORK_ORDER_TYPES,
    "category": WORK_ORDER_CATEGORIES,
    "priority": PRIORITIES,
    "visibility": VISIBILITIES,
    "status": STATUS_TARGETS,
}
# Catalog prefixes of the codes' labels (messages show labels, not codes).
_LABELS = {
    "type": "order_type",
    "category": "order_category",
    "priority": "priority",
    "visibility": "imports.visibility",
}
# Our own codes and catalog labels are understood without a mapping entry.
_LABEL_PREFIX = {**_LABELS, "status": "stage"}


# --- the mapping --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportMapping:
    """How to read one system's export. ``columns``: our field → their column header.
    ``values``: our field → (their value, normalised) → our code. Empty ``time_zone``: the
    community's."""

    name: str
    columns: dict[str, str]
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    encoding: str = "auto"
    time_zone: str = ""
    month_first: bool = False
    date_formats: tuple[str, ...] = ()
    delimiter: str = ","
    sheet: str = ""
    header_row: int = 1


def shipped_mappings() -> dict[str, Path]:
    """The example mappings in ``imports/mappings/``, by name (file stem), sorted."""
    return {path.stem: path for path in sorted(SHIPPED_MAPPINGS_DIR.glob("*.toml"))}


def load_mapping(path: Path | str) -> ImportMapping:
    """A mapping file, or the shipped mapping of that name (``legacy_cn``)."""
    path = Path(path)
    if not path.is_file():
        shipped = shipped_mappings().get(str(path))
        if shipped is None:
            raise DomainError(
                "imports.mapping_not_found", path=str(path), shipped=", ".join(shipped_mappings())
            )
        path = shipped
    return parse_mapping(path.read_bytes(), name=path.name)


def parse_mapping(text: str | bytes, *, name: str = "") -> ImportMapping:
    """Read and check a TOML mapping; a ``DomainError`` names what is wrong."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DomainError("imports.mapping_syntax", name=name, detail="not UTF-8") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DomainError("imports.mapping_syntax", name=name, detail=str(error)) from None
    unknown = sorted(set(document) - {"source", "columns", "values", "defaults"})
    if unknown:
        raise DomainError(
            "imports.mapping_unknown_section",
            section=", ".join(unknown),
            known="source, columns, values, defaults",
        )
    source = _table(document, "source")
    for key in source:
        if key not in SOURCE_KEYS:
            raise DomainError(
                "imports.mapping_unknown_key",
                section="source",
                name=key,
                known=", ".join(SOURCE_KEYS),
            )
    columns = {str(k): _text(v, "columns", str(k)) for k, v in _table(document, "columns").items()}
    for key in columns:
        if key not in FIELDS:
            raise DomainError("imports.mapping_unknown_field", field=key, known=", ".join(FIELDS))
    for key in REQUIRED_FIELDS:
        if not columns.get(key, "").strip():
            raise DomainError("imports.mapping_missing_field", field=key)
    columns = {k: v.strip() for k, v in columns.items() if v.strip()}
    values: dict[str, dict[str, str]] = {}
    for key, table in _table(document, "values").items():
        if key not in VALUE_FIELDS:
            raise DomainError(
                "imports.mapping_unknown_field",
                field=f"values.{key}",
                known=", ".join(VALUE_FIELDS),
            )
        if not isinstance(table, dict):
            raise DomainError("imports.mapping_not_table", section=f"values.{key}")
        values[key] = {
            _normal(str(theirs)): _code(key, _text(ours, f"values.{key}", str(theirs)))
            for theirs, ours in table.items()
        }
    defaults: dict[str, str] = {}
    for key, value in _table(document, "defaults").items():
        if key not in DEFAULTABLE_FIELDS:
            raise DomainError(
                "imports.mapping_unknown_key",
                section="defaults",
                name=key,
                known=", ".join(DEFAULTABLE_FIELDS),
            )
        defaults[key] = _code(key, _text(value, "defaults", key))
    if "type" not in columns and "type" not in defaults:
        raise DomainError("imports.mapping_no_type")

    encoding = _text(source.get("encoding", "auto"), "source", "encoding").strip().lower()
    encoding = {"utf8": "utf-8", "utf-8-sig": "utf-8"}.get(encoding, encoding)
    if encoding not in ENCODINGS:
        raise DomainError(
            "imports.mapping_bad_value",
            setting="source.encoding",
            value=encoding,
            allowed=", ".join(ENCODINGS),
        )
    time_zone = _text(source.get("time_zone", ""), "source", "time_zone").strip()
    if time_zone:
        _zone(time_zone)
    month_first = source.get("month_first", False)
    if not isinstance(month_first, bool):
        raise DomainError(
            "imports.mapping_bad_value",
            setting="source.month_first",
            value=month_first,
            allowed="true, false",
        )
    raw_formats = source.get("date_format", ())
    formats = (raw_formats,) if isinstance(raw_formats, str) else tuple(raw_formats)
    if not all(isinstance(f, str) for f in formats):
        raise DomainError(
            "imports.mapping_bad_value",
            setting="source.date_format",
            value=raw_formats,
            allowed="strptime",
        )
    delimiter = _text(source.get("delimiter", ","), "source", "delimiter")
    delimiter = "\t" if delimiter in ("\\t", "tab") else delimiter
    if len(delimiter) != 1:
        raise DomainError(
            "imports.mapping_bad_value",
            setting="source.delimiter",
            value=delimiter,
            allowed=", ; | tab",
        )
    header_row = source.get("header_row", 1)
    if not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1:
        raise DomainError(
            "imports.mapping_bad_value",
            setting="source.header_row",
            value=header_row,
            allowed="1, 2, …",
        )
    return ImportMapping(
        name=_text(source.get("name", ""), "source", "name").strip() or name,
        columns=columns,
        values=values,
        defaults=defaults,
        encoding=encoding,
        time_zone=time_zone,
        month_first=month_first,
        date_formats=tuple(f for f in formats if f.strip()),
        delimiter=delimiter,
        sheet=_text(source.get("sheet", ""), "source", "sheet").strip(),
        header_row=header_row,
    )


def _table(document: dict[str, Any], key: str) -> dict[str, Any]:
    table = document.get(key, {})
    if not isinstance(table, dict):
        raise DomainError("imports.mapping_not_table", section=key)
    return table


def _text(value: object, section: str, key: str) -> str:
    if not isinstance(value, str):
        raise DomainError(
            "imports.mapping_bad_value", setting=f"{section}.{key}", value=value, allowed="text"
        )
    return value


def _code(kind: str, code: str) -> str:
    allowed = _CODES[kind]
    if code not in allowed:
        raise DomainError(
            "imports.mapping_bad_value", setting=kind, value=code, allowed=", ".join(allowed)
        )
    return code


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainError(
            "imports.mapping_bad_value",
            setting="source.time_zone",
            value=name,
            allowed="IANA, e.g. Asia/Shanghai",
        ) from None


def _normal(value: str) -> str:
    """How values are compared: case and surrounding/inner runs of spaces do not matter."""
    return " ".join(value.split()).casefold()


# --- dates --------------------------------------------------------------------------------------
class DateParseError(ValueError):
    """A value that is not a date this parser understands."""


EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # serial 0 in Excel's 1900 date system
_EXCEL_MAX_SERIAL = 2_958_466  # 10000-01-01
_SERIAL = re.compile(r"^\d{1,7}(?:\.\d+)?$")
_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}")
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:(?:\s+|T)(.*))?$")
_XYY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:\s+(.*))?$")
_MERIDIEM = r"(上午|下午|[AaPp]\.?[Mm]\.?)"
_TIME = re.compile(
    rf"^(?:{_MERIDIEM}\s*)?(\d{{1,2}})[:：](\d{{2}})(?:[:：](\d{{2}})(?:[.,](\d{{1,6}}))?)?"
    rf"\s*{_MERIDIEM}?$"
)


def parse_moment(
    value: object,
    *,
    time_zone: str,
    month_first: bool = False,
    formats: Sequence[str] = (),
) -> dt.datetime | None:
    """A cell as naive UTC; None for an empty cell; ``DateParseError`` if it is not a date.

    ``value`` may be text, an Excel serial number, or a datetime/date an Excel reader made.
    Wall-clock values are in ``time_zone``; a value with an explicit offset keeps it.
    Ambiguous ``A/B/YYYY`` dates are month-first when ``month_first``, else day-first.
    With ``formats``, text must match one of them (strptime).
    """
    zone = ZoneInfo(time_zone)
    local = _local_moment(value, month_first=month_first, formats=formats)
    if local is None:
        return None
    if local.tzinfo is None:
        local = local.replace(tzinfo=zone)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def _local_moment(
    value: object, *, month_first: bool, formats: Sequence[str]
) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(float(value))
    text = " ".join(str(value).split())
    if not text:
        return None
    if formats:
        for pattern in formats:
            try:
                return dt.datetime.strptime(text, pattern)
            except ValueError:
                continue
        raise DateParseError(text)
    if _SERIAL.match(text):
        return _from_serial(float(text))
    if _ISO_START.match(text):
        try:
            return dt.datetime.fromisoformat(text.replace(" Z", "Z"))
        except ValueError:
            pass  # e.g. "2019-04-08 8:37": the general pattern below
    try:
        if m := _YMD.match(text):
            return _combine(int(m[1]), int(m[2]), int(m[3]), m[4])
        if m := _XYY.match(text):
            first, second = int(m[1]), int(m[2])
            month, day = (first, second) if month_first else (second, first)
            return _combine(int(m[3]), month, day, m[4])
    except ValueError:
        raise DateParseError(text) from None
    raise DateParseError(text)


def _from_serial(serial: float) -> dt.datetime:
    if not 1 <= serial < _EXCEL_MAX_SERIAL:
        raise DateParseError(str(serial))
    # Rounded to the second: binary fractions of a day are never exact.
    return EXCEL_EPOCH + dt.timedelta(seconds=round(serial * 86_400))


def _combine(year: int, month: int, day: int, time_text: str | None) -> dt.datetime:
    date = dt.date(year, month, day)  # ValueError for 2019/13/40
    if not time_text:
        return dt.datetime.combine(date, dt.time())
    m = _TIME.match(time_text.strip())
    if m is None:
        raise ValueError(time_text)
    before, hour, minute, second, fraction, after = m.groups()
    hour = int(hour)
    meridiem = (before or after or "").replace(".", "").upper()
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(time_text)
        afternoon = meridiem in ("PM", "下午")
        hour = hour % 12 + (12 if afternoon else 0)
    micro = int((fraction or "0").ljust(6, "0"))
    return dt.datetime.combine(date, dt.time(hour, int(minute), int(second or 0), micro))


# --- reading the file ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SourceRow:
    """One record of the file: the line a person sees it on, and its cells by header."""

    line: int
    cells: dict[str, object]


@dataclass(frozen=True)
class SourceTable:
    header: tuple[str, ...]
    rows: tuple[SourceRow, ...]
    encoding: str  # what the text was decoded as ("xlsx" for Excel)
    # The line of the last blank row read when reading stopped after ``MAX_BLANK_RUN``
    # consecutive blank rows with more of the file left unread; None if the file was read to
    # its end.
    stopped_at: int | None = None


def read_source(data: bytes, *, mapping: ImportMapping, file_name: str = "") -> SourceTable:
    """The records of a CSV or .xlsx file (recognised by content, not by name)."""
    if len(data) > MAX_IMPORT_BYTES:
        raise DomainError(
            "imports.file_too_large",
            size_mb=f"{len(data) / 1024 / 1024:.1f}",
            max_mb=MAX_IMPORT_BYTES // 1024 // 1024,
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: the pre-2007 .xls format
        raise DomainError("imports.file_xls", name=file_name)
    if data.startswith(b"PK\x03\x04"):
        header, records, encoding = *_excel_records(data, mapping), "xlsx"
    else:
        text, encoding = _decode(data, mapping.encoding)
        header, records = _csv_records(text, mapping)
    return _table_of(header, records, mapping, encoding)


def _decode(data: bytes, encoding: str) -> tuple[str, str]:
    candidates = {
        "auto": ("utf-8-sig", "gb18030"),
        "utf-8": ("utf-8-sig",),
        "gbk": ("gbk",),
        "gb18030": ("gb18030",),
    }[encoding]
    for candidate in candidates:
        try:
            return data.decode(candidate), candidate.removesuffix("-sig")
        except UnicodeDecodeError:
            continue
    raise DomainError("imports.file_encoding", encoding=encoding)


def _csv_records(text: str, mapping: ImportMapping) -> tuple[list[str], Iterator[SourceRow]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=mapping.delimiter)
    records = _numbered_csv(reader)
    header = _header(records, mapping)
    return header, (
        SourceRow(line, dict(zip(header, cells, strict=False))) for line, cells in records
    )


def _numbered_csv(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """(physical line the record starts on, cells); a quoted field may span several lines."""
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            yield start, cells
    except csv.Error as error:
        raise DomainError("imports.file_unreadable", detail=f"line {end + 1}: {error}") from None


# What openpyxl and zipfile raise for a damaged or unsupported file (ParseError is a
# SyntaxError; an encrypted part raises RuntimeError, an unknown compression NotImplementedError).
_UNREADABLE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    KeyError,
    ValueError,
    TypeError,
    OSError,
    EOFError,
    SyntaxError,
    RuntimeError,
    NotImplementedError,
    expat.ExpatError,
)


def _excel_records(data: bytes, mapping: ImportMapping) -> tuple[list[str], Iterator[SourceRow]]:
    from openpyxl import load_workbook

    _check_xlsx(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _UNREADABLE as error:
        raise DomainError("imports.file_unreadable", detail=error.__class__.__name__) from None
    if mapping.sheet:
        if mapping.sheet not in workbook.sheetnames:
            raise DomainError(
                "imports.sheet_missing", sheet=mapping.sheet, sheets=", ".join(workbook.sheetnames)
            )
        sheet = workbook[mapping.sheet]
    else:
        sheet = workbook.worksheets[0]
    if hasattr(sheet, "reset_dimensions"):
        # The declared dimension (A1:XFD1048576, say) is not trusted: without it openpyxl
        # makes each row as long as its last cell instead of padding every row to that width.
        sheet.reset_dimensions()
    records = _excel_rows(sheet.iter_rows(min_row=1, values_only=True))
    header = _header(records, mapping)
    return header, (
        SourceRow(line, dict(zip(header, cells, strict=False))) for line, cells in records
    )


def _excel_rows(rows: Iterable[Sequence[object]]) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells); a part that turns out damaged while it is read is refused like a
    damaged file."""
    try:
        for number, cells in enumerate(rows, start=1):
            yield number, list(cells)
    except _UNREADABLE as error:
        raise DomainError("imports.file_unreadable", detail=error.__class__.__name__) from None


def _check_xlsx(data: bytes) -> None:
    """Refuse an .xlsx archive that would cost too much to open, before openpyxl sees it.

    Every part is unpacked here in chunks of 64 KB (never held whole) and its bytes are
    *counted*: the sizes the archive declares are not trusted, this reads until the compressed
    data really ends. The total must stay within ``XLSX_MAX_UNPACKED_BYTES`` and within
    ``XLSX_MAX_RATIO`` times the file's size. Each part is also fed to an XML parser (expat,
    the one openpyxl's parser uses) that counts elements: all together at most
    ``XLSX_MAX_ELEMENTS`` (what parsing costs), at most ``XLSX_MAX_CHILDREN`` directly inside
    any one element (openpyxl keeps every string of the shared-strings part and one entry per
    row it parses, and builds a row's cells all at once), and no DTD (entities can expand).
    A part that is not XML (an image) is only counted.

    openpyxl then reads the same bytes with ``zipfile``, which stops at the size a part
    declares and at the end of its compressed data; so it unpacks no more than was counted.
    """
    # Each central-directory entry starts with this signature: an upper bound on the parts,
    # taken before zipfile builds an object per entry.
    if data.count(b"PK\x01\x02") > XLSX_MAX_MEMBERS:
        raise DomainError("imports.xlsx_too_many_parts", max=XLSX_MAX_MEMBERS)
    budget = min(XLSX_MAX_UNPACKED_BYTES, XLSX_MAX_RATIO * len(data))
    unpacked = 0
    shape = _XmlShape()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > XLSX_MAX_MEMBERS:
                raise DomainError("imports.xlsx_too_many_parts", max=XLSX_MAX_MEMBERS)
            for info in members:
                probe = copy.copy(info)
                probe.file_size = _UNBOUNDED  # read past whatever size is declared
                parser = shape.parser()
                with archive.open(probe) as member:
                    while chunk := member.read(_UNPACK_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > budget:
                            _refuse_unpacked(len(data))
                        if parser is not None:
                            try:
                                parser.Parse(chunk, False)
                            except expat.ExpatError:
                                parser = None  # not XML (or damaged: openpyxl will say so)
                if parser is not None:
                    with contextlib.suppress(expat.ExpatError):
                        parser.Parse(b"", True)
    except DomainError:
        raise
    except _UNREADABLE as error:
        raise DomainError("imports.file_unreadable", detail=error.__class__.__name__) from None


def _refuse_unpacked(size: int) -> None:
    if XLSX_MAX_RATIO * size < XLSX_MAX_UNPACKED_BYTES:
        raise DomainError("imports.xlsx_ratio", max=XLSX_MAX_RATIO)
    raise DomainError("imports.xlsx_unpacked_too_large", max_mb=XLSX_MAX_UNPACKED_BYTES >> 20)


class _XmlShape:
    """Counts the elements of the XML parts of one archive (see ``_check_xlsx``)."""

    def __init__(self) -> None:
        self.elements = 0
        self._children: list[int] = []

    def parser(self) -> Any:
        """An expat parser for the next part; its handlers raise ``DomainError``."""
        parser = expat.ParserCreate()
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.StartDoctypeDeclHandler = self._doctype
        self._children = [0]
        return parser

    def _start(self, name: str, attributes: object) -> None:
        self.elements += 1
        if self.elements > XLSX_MAX_ELEMENTS:
            raise DomainError("imports.xlsx_too_many_elements", max=XLSX_MAX_ELEMENTS)
        children = self._children
        children[-1] += 1
        if children[-1] > XLSX_MAX_CHILDREN:
            raise DomainError("imports.xlsx_too_many_children", max=XLSX_MAX_CHILDREN)
        children.append(0)

    def _end(self, name: str) -> None:
        self._children.pop()

    def _doctype(self, *args: object) -> None:
        raise DomainError("imports.xlsx_dtd")


def _header(records: Iterator[tuple[int, list[Any]]], mapping: ImportMapping) -> list[str]:
    """Consume records up to the header (the ``header_row``-th non-blank one) and return it,
    without trailing empty cells. ``MAX_BLANK_RUN`` consecutive blank rows before it: refused
    (a file that starts with a thousand empty rows is not an export)."""
    seen = blank_run = 0
    for _, cells in records:
        if _blank(cells):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                raise DomainError("imports.file_blank_start", count=MAX_BLANK_RUN)
            continue
        blank_run = 0
        seen += 1
        if seen == mapping.header_row:
            header = [_cell_text(c).lstrip("\ufeff").strip() for c in cells]
            while header and not header[-1]:
                header.pop()
            if sum(1 for name in header if name) > MAX_IMPORT_COLUMNS:
                raise DomainError("imports.file_too_many_columns", max=MAX_IMPORT_COLUMNS)
            return header
    raise DomainError("imports.file_empty")


def _table_of(
    header: list[str], records: Iterable[SourceRow], mapping: ImportMapping, encoding: str
) -> SourceTable:
    """The rows after the header, without blank ones, with two bounds on the reading:

    - Every row read counts toward ``MAX_IMPORT_ROWS``, blank ones too: a non-blank row more
      than ``MAX_IMPORT_ROWS`` rows below the header refuses the file (blank rows interleaved
      with the data cannot make the reading endless).
    - After ``MAX_BLANK_RUN`` consecutive blank rows, reading stops: what follows is taken as
      the end of the data (formatted empty rows to the bottom of a sheet, or a sheet declaring
      millions of rows). If anything follows, it is not read, and ``stopped_at`` says where
      reading stopped; the import reports it as a warning on that line.
    """
    present = set(header)
    missing = [column for column in mapping.columns.values() if column not in present]
    if missing:
        raise DomainError(
            "imports.file_missing_columns",
            columns="、".join(missing),
            found="、".join(h for h in header if h) or "—",
            encoding=encoding,
        )
    rows: list[SourceRow] = []
    read = blank_run = 0
    stopped_at = None
    records = iter(records)
    for row in records:
        read += 1
        if _blank(list(row.cells.values())):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                if next(records, None) is not None:
                    stopped_at = row.line
                break
            continue
        blank_run = 0
        if read > MAX_IMPORT_ROWS:
            raise DomainError("imports.file_too_many_rows", max=MAX_IMPORT_ROWS)
        rows.append(row)
    return SourceTable(
        header=tuple(header), rows=tuple(rows), encoding=encoding, stopped_at=stopped_at
    )


def _blank(cells: Sequence[object]) -> bool:
    if cells.count(None) == len(cells):  # fast path: a padded Excel row
        return True
    return all(_cell_text(c).strip() == "" for c in cells)


def _cell_text(value: object) -> str:
    """A cell as text: Excel gives numbers as floats (1001.0 → "1001")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- validating rows -----------------------------------------------------------------------------
@dataclass(frozen=True)
class RowIssue:
    """A rejected row's reason or a warning: the file's line, the row's external id, the text."""

    line: int
    external_id: str
    key: str
    params: dict[str, object] = field(default_factory=dict)

    def message(self, lang: str = "zh") -> str:
        params = {
            name: translate(f"{value.prefix}.{value.code}", lang)
            if isinstance(value, CodeLabel)
            else value
            for name, value in self.params.items()
        }
        return translate(self.key, lang, **params)


@dataclass(frozen=True)
class CodeLabel:
    """A message parameter shown as the code's label in the reader's language."""

    prefix: str
    code: str


class _Rejected(Exception):
    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass
class _Candidate:
    """A valid row: what the work order should look like according to the file."""

    line: int
    external_id: str
    order_type: str
    created_at: dt.datetime
    responded_at: dt.datetime | None
    completed_at: dt.datetime | None
    stage: str | None  # a stage their status names (not the first, response or final one)
    fields: dict[str, Any]  # order columns the file gives (only mapped ones), incl. order_type


def _validate(
    table: SourceTable, mapping: ImportMapping, time_zone: str
) -> tuple[list[_Candidate], list[RowIssue], list[RowIssue]]:
    candidates: list[_Candidate] = []
    rejected: list[RowIssue] = []
    warnings: list[RowIssue] = []
    first_line: dict[str, int] = {}
    for row in table.rows:
        external_id = _value(row, mapping, "external_id").strip()
        row_warnings: list[RowIssue] = []
        try:
            if external_id in first_line:
                raise _Rejected("imports.reject.duplicate_id", first=first_line[external_id])
            if external_id:
                first_line[external_id] = row.line
            candidate = _candidate(row, external_id, mapping, time_zone, row_warnings)
        except _Rejected as reason:
            rejected.append(RowIssue(row.line, external_id, reason.key, reason.params))
            continue
        candidates.append(candidate)
        warnings.extend(row_warnings)
    return candidates, rejected, warnings


def _value(row: SourceRow, mapping: ImportMapping, name: str) -> str:
    column = mapping.columns.get(name)
    return "" if column is None else _cell_text(row.cells.get(column))


def _candidate(
    row: SourceRow,
    external_id: str,
    mapping: ImportMapping,
    time_zone: str,
    warnings: list[RowIssue],
) -> _Candidate:
    def warn(key: str, **params: object) -> None:
        warnings.append(RowIssue(row.line, external_id, key, params))

    if not external_id:
        raise _Rejected("imports.reject.missing_id")
    if len(external_id) > EXTERNAL_ID_MAX_CHARS:
        raise _Rejected("imports.reject.id_too_long", max=EXTERNAL_ID_MAX_CHARS)
    created_at = _moment(row, mapping, "created_at", time_zone)
    if created_at is None:
        raise _Rejected("imports.reject.missing_created", column=mapping.columns["created_at"])
    answered_at = _moment(row, mapping, "answered_at", time_zone)
    closed_at = _moment(row, mapping, "closed_at", time_zone)

    fields: dict[str, Any] = {}
    order_type = _typed(row, mapping, "type", fields, warn)
    if "category" in mapping.columns:
        fields["category"] = _coded(row, mapping, "category", "other", warn)
    if "priority" in mapping.columns:
        fields["priority"] = _coded(row, mapping, "priority", "normal", warn)
    if "visibility" in mapping.columns:
        fields["visibility"] = _coded(row, mapping, "visibility", "public", warn)

    created_text = _value(row, mapping, "created_at")
    if answered_at is not None and answered_at < created_at:
        raise _Rejected(
            "imports.reject.answered_before_created",
            created=created_text, answered=_value(row, mapping, "answered_at"),
        )  # fmt: skip

    status, stage = _status(row, mapping, order_type, warn)
    if status == "skip":
        raise _Rejected("imports.reject.skipped_status", value=_value(row, mapping, "status"))
    if status == "closed" and closed_at is None:
        raise _Rejected("imports.reject.closed_without_time", column=_closed_column(mapping))
    if status == "open" and closed_at is not None:
        # Still open: the closing time is dropped (even one before the created time).
        warn(
            "imports.warn.open_with_closed_time",
            value=_value(row, mapping, "status"), closed=_value(row, mapping, "closed_at"),
        )  # fmt: skip
        closed_at = None
    if closed_at is not None and closed_at < created_at:
        raise _Rejected(
            "imports.reject.closed_before_created",
            created=created_text, closed=_value(row, mapping, "closed_at"),
        )  # fmt: skip
    if status is None:  # no status given: a closing time means closed
        status = "closed" if closed_at is not None else "open"
    completed_at = closed_at if status == "closed" else None
    # Whether the source tells the response: it has a response column, and a closed order
    # there without a response time means the time is missing, not that nobody responded.
    fields["response_recorded"] = answered_at is not None or (
        "answered_at" in mapping.columns and completed_at is None
    )

    for name in ("title", "description", "location"):
        if name in mapping.columns:
            text = clean_text(_value(row, mapping, name))
            limit = TEXT_MAX_CHARS.get(name)
            if limit is not None:
                text = " ".join(text.split())
                if len(text) > limit:
                    warn("imports.warn.truncated", column=mapping.columns[name], max=limit)
                    text = text[:limit]
            fields[name] = text
    if not fields.get("title"):
        fields["title"] = _fallback_title(fields.get("description", ""), external_id)
        warn("imports.warn.empty_title", title=fields["title"])
    return _Candidate(
        line=row.line,
        external_id=external_id,
        order_type=order_type,
        created_at=created_at,
        responded_at=answered_at,
        completed_at=completed_at,
        stage=stage,
        fields=fields,
    )


def _moment(
    row: SourceRow, mapping: ImportMapping, name: str, time_zone: str
) -> dt.datetime | None:
    column = mapping.columns.get(name)
    if column is None:
        return None
    raw = row.cells.get(column)
    try:
        return parse_moment(
            raw, time_zone=time_zone, month_first=mapping.month_first, formats=mapping.date_formats
        )
    except DateParseError:
        raise _Rejected("imports.reject.bad_date", column=column, value=_cell_text(raw)) from None


def _lookup(mapping: ImportMapping, name: str, value: str) -> str | None:
    """Their value → our code: the mapping's table first, then our own codes and labels."""
    key = _normal(value)
    found = mapping.values.get(name, {}).get(key)
    if found is not None:
        return found
    for code in _CODES[name]:
        if key == code.casefold():
            return code
        prefix = _LABEL_PREFIX.get(name)
        if prefix and key in (
            _normal(translate(f"{prefix}.{code}", "zh")),
            _normal(translate(f"{prefix}.{code}", "en")),
        ):
            return code
    return None


def _typed(
    row: SourceRow, mapping: ImportMapping, name: str, fields: dict[str, Any], warn: Any
) -> str:
    default = mapping.defaults.get("type")
    if "type" not in mapping.columns:
        assert default is not None  # parse_mapping insists on one of the two
        return default
    value = _value(row, mapping, name).strip()
    code = _lookup(mapping, name, value) if value else None
    if code is None:
        if default is None:
            raise _Rejected("imports.reject.unknown_type", value=value or "—")
        warn("imports.warn.default_type", value=value or "—", code=CodeLabel("order_type", default))
        code = default
    fields["order_type"] = code
    return code


def _coded(row: SourceRow, mapping: ImportMapping, name: str, fallback: str, warn: Any) -> str:
    value = _value(row, mapping, name).strip()
    default = mapping.defaults.get(name, fallback)
    if not value:
        return default
    code = _lookup(mapping, name, value)
    if code is None:
        warn(f"imports.warn.unknown_{name}", value=value, code=CodeLabel(_LABELS[name], default))
        return default
    return code


def _status(
    row: SourceRow, mapping: ImportMapping, order_type: str, warn: Any
) -> tuple[str | None, str | None]:
    """("open" | "closed" | "skip" | None = not given, a stage to record or None)."""
    if "status" not in mapping.columns:
        return None, None
    value = _value(row, mapping, "status").strip()
    if not value:
        return None, None
    code = _lookup(mapping, "status", value)
    if code is None:
        warn("imports.warn.unknown_status", value=value)
        return None, None
    if code in ("open", "skip"):
        return code, None
    if code in _CLOSED_STATUSES:
        return "closed", None
    flow = [stage.code for stage in WORK_ORDER_FLOWS[order_type]]
    if code not in flow:  # e.g. 处理中 → in_progress for a complaint: simply open
        return "open", None
    extra = code not in (flow[0], RESPONSE_STAGE[order_type])
    return "open", code if extra else None


def _closed_column(mapping: ImportMapping) -> str:
    return mapping.columns.get("closed_at", "closed_at")


def _fallback_title(description: str, external_id: str) -> str:
    first_line = description.strip().splitlines()[0] if description.strip() else ""
    return (first_line[:50] or external_id)[: TEXT_MAX_CHARS["title"]]


# --- the report ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    source_name: str
    file_name: str
    community_code: str
    dry_run: bool
    rows_read: int
    created: int
    updated: int
    unchanged: int
    rejected: tuple[RowIssue, ...]
    warnings: tuple[RowIssue, ...]

    @property
    def imported(self) -> int:
        """Rows that pass validation (created + updated + unchanged)."""
        return self.created + self.updated + self.unchanged

    def to_text(self, lang: str = "zh") -> str:
        def tr(key: str, **params: object) -> str:
            return translate(key, lang, **params)

        mode = tr("imports.report.dry_run" if self.dry_run else "imports.report.done")
        lines = [
            tr(
                "imports.report.heading",
                mode=mode,
                source=self.source_name,
                file=self.file_name,
                community=self.community_code,
            ),
            tr("imports.report.rows_read", n=self.rows_read),
            tr(
                "imports.report.imported_dry" if self.dry_run else "imports.report.imported",
                n=self.imported,
                created=self.created,
                updated=self.updated,
                unchanged=self.unchanged,
            ),
            tr("imports.report.rejected", n=len(self.rejected)),
        ]
        for issue in self.rejected:
            lines.append(f"  {self._where(issue, lang)}: {issue.message(lang)}")
        lines.append(tr("imports.report.warnings", n=len(self.warnings)))
        for issue in self.warnings:
            lines.append(f"  {self._where(issue, lang)}: {issue.message(lang)}")
        return "\n".join(lines)

    @staticmethod
    def _where(issue: RowIssue, lang: str) -> str:
        where = translate("imports.report.line", lang, line=issue.line)
        return f"{where} [{issue.external_id}]" if issue.external_id else where

    def rejected_frame(self, lang: str = "zh") -> pd.DataFrame:
        """Columns ``line``, ``external_id``, ``reason``."""
        return _issues_frame(self.rejected, lang)

    def warnings_frame(self, lang: str = "zh") -> pd.DataFrame:
        """Columns ``line``, ``external_id``, ``reason``."""
        return _issues_frame(self.warnings, lang)


def _issues_frame(issues: Sequence[RowIssue], lang: str) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(
        [(i.line, i.external_id, i.message(lang)) for i in issues],
        columns=["line", "external_id", "reason"],
    )
    return frame.astype({"line": "int64", "external_id": "object", "reason": "object"})


# --- the import ----------------------------------------------------------------------------------
def import_orders(
    *,
    session: Session,
    community_id: int,
    data: bytes,
    mapping: ImportMapping,
    file_name: str = "",
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Import the work orders of ``data`` into ``community_id`` (operators: the CLI).
    ``now`` (default: the clock) is when corrections of step times are recorded.

    Writes in the caller's transaction (the caller commits); ``dry_run`` only reads. Raises
    ``DomainError`` for a file it cannot read at all (encoding, missing columns…); row-level
    problems are in the report.
    """
    community = session.get(Community, community_id)
    if community is None:
        raise DomainError("community.unknown", code=str(community_id), known="—")
    history_only(session)  # an imported export is history: it messages nobody
    time_zone = mapping.time_zone or community.time_zone
    table = read_source(data, mapping=mapping, file_name=file_name)
    candidates, rejected, warnings = _validate(table, mapping, time_zone)
    if table.stopped_at is not None:
        warnings.append(
            RowIssue(
                table.stopped_at, "", "imports.warn.blank_rows_stopped", {"count": MAX_BLANK_RUN}
            )
        )
    recorded_at = to_stored_utc(now or dt.datetime.now(dt.UTC))
    existing = _existing_orders(session, community_id, [c.external_id for c in candidates])
    deadlines = ContractDeadlines(session, community_id, time_zone)
    actor = mapping.name[:ACTOR_MAX_CHARS]
    created = updated = unchanged = 0
    new_orders: list[tuple[WorkOrder, _Candidate]] = []
    new_events: list[WorkOrderEvent] = []
    for candidate in candidates:
        found = existing.get(candidate.external_id)
        if found is None:
            created += 1
            if not dry_run:
                new_orders.append((_new_order(community_id, candidate, deadlines), candidate))
            continue
        order, steps = found
        changes, kept = _changes(order, candidate, deadlines)
        warnings.extend(kept)
        added, corrected = _step_changes(order, changes, candidate, steps)
        if not changes and not added and not corrected:
            unchanged += 1
            continue
        updated += 1
        if not dry_run:
            for name, value in changes.items():
                setattr(order, name, value)
            order.version += 1
            new_events.extend(_event(order.id, stage, at, actor) for stage, at in added)
            new_events.extend(
                correction(
                    order_id=order.id, step_id=step.id, stage=step.stage, to=at, by=actor,
                    recorded_at=recorded_at,
                )
                for step, at in corrected
            )  # fmt: skip
    if not dry_run:
        _write(session, new_orders, new_events, actor)
    return ImportReport(
        source_name=mapping.name,
        file_name=file_name,
        community_code=community.code,
        dry_run=dry_run,
        rows_read=len(table.rows),
        created=created,
        updated=updated,
        unchanged=unchanged,
        rejected=tuple(rejected),
        warnings=tuple(sorted(warnings, key=lambda issue: issue.line)),
    )


def import_orders_for_viewer(
    *,
    session: Session,
    viewer: Viewer,
    community_id: int,
    data: bytes,
    mapping: ImportMapping,
    file_name: str = "",
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> ImportReport:
    """``import_orders`` for the app: only a manager of ``community_id`` may import (even a
    dry run shows which orders exist)."""
    if not viewer.is_manager or viewer.community_id != community_id:
        raise NotAllowed("imports.not_allowed")
    return import_orders(
        session=session,
        community_id=community_id,
        data=data,
        mapping=mapping,
        file_name=file_name,
        dry_run=dry_run,
        now=now,
    )


@dataclass(frozen=True)
class _Step:
    """An effective step of an existing order."""

    id: int
    stage: str
    at: dt.datetime


def _existing_orders(
    session: Session, community_id: int, external_ids: list[str]
) -> dict[str, tuple[WorkOrder, list[_Step]]]:
    """Orders of the community with these external ids, with their effective steps in time
    order."""
    orders: dict[str, WorkOrder] = {}
    for chunk in _chunks(external_ids):
        for order in session.scalars(
            select(WorkOrder).where(
                WorkOrder.community_id == community_id, WorkOrder.external_id.in_(chunk)
            )
        ):
            assert order.external_id is not None
            orders[order.external_id] = order
    steps: dict[int, list[_Step]] = {o.id: [] for o in orders.values()}
    for chunk in _chunks(list(steps)):
        rows = session.execute(
            select(
                WorkOrderEvent.work_order_id,
                WorkOrderEvent.id,
                WorkOrderEvent.stage,
                WorkOrderEvent.occurred_at,
            )
            .where(WorkOrderEvent.work_order_id.in_(chunk), is_effective())
            .order_by(WorkOrderEvent.occurred_at, WorkOrderEvent.id)
        )
        for order_id, step_id, stage, occurred_at in rows:
            steps[order_id].append(_Step(step_id, stage, occurred_at))
    return {key: (order, steps[order.id]) for key, order in orders.items()}


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), _QUERY_CHUNK):
        yield items[start : start + _QUERY_CHUNK]


class ContractDeadlines:
    """Respond/resolve deadlines from the contract's SLA rules, for normal-priority orders
    unless the file says otherwise (fallback: 30 min / 72 h)."""

    def __init__(self, session: Session, community_id: int, time_zone: str) -> None:
        self.zone = ZoneInfo(time_zone)
        self.contracts = list(
            session.scalars(
                select(ServiceContract)
                .where(ServiceContract.community_id == community_id)
                .order_by(ServiceContract.start_date, ServiceContract.id)
            )
        )
        self.rules: dict[int, dict[tuple[str, str, str], tuple[int, int]]] = {
            c.id: {} for c in self.contracts
        }
        if self.contracts:
            for rule in session.scalars(
                select(SlaRule).where(SlaRule.contract_id.in_(list(self.rules)))
            ):
                key = (rule.order_type, rule.category, rule.priority)
                self.rules[rule.contract_id][key] = (rule.respond_minutes, rule.resolve_minutes)

    def due(
        self, created_at: dt.datetime, order_type: str, category: str, priority: str
    ) -> tuple[dt.datetime, dt.datetime]:
        respond, resolve = DEFAULT_RESPOND_MINUTES, DEFAULT_RESOLVE_MINUTES
        contract = self._contract_on(created_at)
        if contract is not None:
            rules = self.rules[contract.id]
            found = rules.get((order_type, category, priority)) or rules.get(
                (order_type, "*", priority)
            )
            if found is not None:
                respond, resolve = found
        return (
            created_at + dt.timedelta(minutes=respond),
            created_at + dt.timedelta(minutes=resolve),
        )

    def _contract_on(self, created_at: dt.datetime) -> ServiceContract | None:
        """The contract in force on the order's local date, else the nearest one in time."""
        day = created_at.replace(tzinfo=dt.UTC).astimezone(self.zone).date()
        in_force = [c for c in self.contracts if c.start_date <= day <= c.end_date]
        if in_force:
            return in_force[-1]
        return min(
            self.contracts,
            key=lambda c: min(abs((c.start_date - day).days), abs((c.end_date - day).days)),
            default=None,
        )


def order_code(external_id: str, prefix: str = CODE_PREFIX) -> str:
    """The order's code: ``IMP-<external id>`` (or another source's prefix), or a hash of the
    id when that would not fit."""
    code = f"{prefix}{external_id}"
    if len(code) <= CODE_MAX_CHARS and external_id.isprintable() and " " not in external_id:
        return code
    digest = hashlib.sha256(external_id.encode("utf-8")).hexdigest()[:16].upper()
    return f"{prefix}{digest}"


def _new_order(community_id: int, candidate: _Candidate, deadlines: ContractDeadlines) -> WorkOrder:
    fields = {
        "order_type": candidate.order_type,
        "category": "other",
        "priority": "normal",
        "visibility": "public",
        "description": "",
        "location": "",
        **candidate.fields,
    }
    respond_due, resolve_due = deadlines.due(
        candidate.created_at, fields["order_type"], fields["category"], fields["priority"]
    )
    return WorkOrder(
        community_id=community_id,
        code=order_code(candidate.external_id),
        external_id=candidate.external_id,
        source=IMPORT_SOURCE,
        created_at=candidate.created_at,
        respond_due_at=respond_due,
        resolve_due_at=resolve_due,
        responded_at=candidate.responded_at,
        completed_at=candidate.completed_at,
        version=1,
        **fields,
    )


def _changes(
    order: WorkOrder, candidate: _Candidate, deadlines: ContractDeadlines
) -> tuple[dict[str, Any], list[RowIssue]]:
    """Column → new value for what the file changes; times are never cleared (see module doc)."""
    wanted: dict[str, Any] = {**candidate.fields, "created_at": candidate.created_at}
    if candidate.responded_at is not None:
        wanted["responded_at"] = candidate.responded_at
    warnings = []
    if candidate.completed_at is not None:
        wanted["completed_at"] = candidate.completed_at
    elif order.completed_at is not None:
        warnings.append(
            RowIssue(candidate.line, candidate.external_id, "imports.warn.not_reopened")
        )
    changes = {name: value for name, value in wanted.items() if getattr(order, name) != value}
    if changes.keys() & {"created_at", "order_type", "category", "priority"}:
        merged = {
            name: changes.get(name, getattr(order, name))
            for name in ("created_at", "order_type", "category", "priority")
        }
        respond_due, resolve_due = deadlines.due(
            merged["created_at"], merged["order_type"], merged["category"], merged["priority"]
        )
        for name, value in (("respond_due_at", respond_due), ("resolve_due_at", resolve_due)):
            if getattr(order, name) != value:
                changes[name] = value
    return changes, warnings


def _wanted_events(
    order_type: str, candidate: _Candidate, *, completed: bool
) -> list[tuple[str, dt.datetime, bool]]:
    """(stage, time, exact): the events the file implies. ``exact`` False: any event of that
    stage will do (the first stage and a status-named stage have no time of their own).
    ``completed``: the order is completed (here or in the file): no stage before the end is
    added."""
    flow = WORK_ORDER_FLOWS[order_type]
    events = [(flow[0].code, candidate.created_at, False)]
    if candidate.responded_at is not None:
        events.append((RESPONSE_STAGE[order_type], candidate.responded_at, True))
    if candidate.stage is not None and not completed:
        latest = max(candidate.created_at, candidate.responded_at or candidate.created_at)
        events.append((candidate.stage, latest, False))
    if candidate.completed_at is not None:
        events.append((FINAL_STAGE, candidate.completed_at, True))
    return events


def _step_changes(
    order: WorkOrder, changes: dict[str, Any], candidate: _Candidate, steps: list[_Step]
) -> tuple[list[tuple[str, dt.datetime]], list[tuple[_Step, dt.datetime]]]:
    """After ``changes``: the (stage, time) steps an existing order lacks, and the (step, new
    time) corrections of the steps whose time the file corrects. A step with a time of its own
    (response, completion) is corrected when the file gives another; the first step is
    corrected with the order's created time; a stage named only by the status is added once."""
    order_type = changes.get("order_type", order.order_type)
    completed = changes.get("completed_at", order.completed_at) is not None
    first_stage = WORK_ORDER_FLOWS[order_type][0].code
    added: list[tuple[str, dt.datetime]] = []
    corrected: list[tuple[_Step, dt.datetime]] = []
    for stage, at, exact in _wanted_events(order_type, candidate, completed=completed):
        of_stage = [step for step in steps if step.stage == stage]
        if any(step.at == at for step in of_stage):
            continue
        if not of_stage:
            added.append((stage, at))
        elif exact or (
            stage == first_stage and "created_at" in changes and of_stage[0].at == order.created_at
        ):
            corrected.append((of_stage[0], at))
    return added, corrected


def _event(order_id: int, stage: str, at: dt.datetime, actor: str) -> WorkOrderEvent:
    return WorkOrderEvent(work_order_id=order_id, stage=stage, occurred_at=at, actor_name=actor)


def _write(
    session: Session,
    new_orders: list[tuple[WorkOrder, _Candidate]],
    new_events: list[WorkOrderEvent],
    actor: str,
) -> None:
    try:
        session.add_all(order for order, _ in new_orders)
        session.flush()
        for order, candidate in new_orders:
            new_events.extend(
                _event(order.id, stage, at, actor)
                for stage, at, _ in _wanted_events(
                    order.order_type, candidate, completed=candidate.completed_at is not None
                )
            )
        session.add_all(new_events)
        session.flush()
    except IntegrityError:
        # Another import of the same ids committed first (PostgreSQL; SQLite serialises writers).
        raise DomainError("imports.conflict") from None
