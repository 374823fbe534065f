"""``python -m bench.import_bombs [--timeout 120] [--only NAME ...]``: hostile and legitimate
import files, each read by ``data_access.imports.order_import.read_source`` in a fresh subprocess; prints a
table of the outcome, the wall time and the peak memory increase of each.

The files are built in a temporary directory (a few MB in all; the attacks are small archives
that unpack to a lot). The target for every file, accepted or refused: peak memory up by at
most 300 MB and done within 10 s. ``--timeout`` ends a child that runs longer (reported as
``> N s``); ``--memory-limit-mb`` caps a child's address space so a bomb cannot take the machine
(reported as ``MemoryError``). Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

TARGET_MB = 300
TARGET_SECONDS = 10.0
HEADER = ("编号", "创建时间", "响应时间", "完成时间", "类型", "类别", "紧急程度", "标题", "内容", "位置", "状态")  # fmt: skip
MAPPING = """
[source]
name = "bench"
time_zone = "Asia/Shanghai"

[columns]
external_id = "编号"
created_at = "创建时间"
answered_at = "响应时间"
closed_at = "完成时间"
type = "类型"
category = "类别"
priority = "紧急程度"
title = "标题"
description = "内容"
location = "位置"
status = "状态"

[defaults]
type = "repair"
"""

_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    b"</Types>"
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>"
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook ' + _NS + b" "
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    b"</Relationships>"
)
_HEADER_ROW = (
    b'<row r="1">'
    + b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % h.encode() for h in HEADER)
    + b"</row>"
)
DATA_ROW = (
    b'<c t="inlineStr"><is><t>B1</t></is></c><c t="inlineStr"><is><t>2026/10/9 10:00</t></is></c>'
)


def _repeat(unit: bytes, count: int, per_chunk: int = 100_000) -> Iterator[bytes]:
    """``unit * count`` in chunks, so a builder never holds the whole text."""
    block = unit * per_chunk
    for _ in range(count // per_chunk):
        yield block
    yield unit * (count % per_chunk)


def write_xlsx(
    path: Path,
    sheet_rows: Iterable[bytes] = (),
    strings: Iterable[bytes] = (),
    *,
    dimension: bytes = b"",
) -> Path:
    """A minimal valid workbook: one sheet (a header row, then ``sheet_rows``) and a shared
    strings part holding ``strings``; both parts are written in chunks."""
    sheet = [
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + _NS + b">" + dimension,
        b"<sheetData>" + _HEADER_ROW,
        *sheet_rows,
        b"</sheetData></worksheet>",
    ]
    sst = [b'<?xml version="1.0" encoding="UTF-8"?><sst ' + _NS + b">", *strings, b"</sst>"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        for name, parts in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", sst)):
            with archive.open(name, "w") as member:
                for part in parts:
                    member.write(part)
    return path


def declare_size(path: Path, member: str, size: int) -> None:
    """Rewrite ``member``'s uncompressed size in both the local and the central header (the
    data and its CRC stay as they are): an archive whose declared sizes lie."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = data.find(signature)
        while start != -1:
            length_at = 26 if signature == b"PK\x03\x04" else 28
            (length,) = struct.unpack_from("<H", data, start + length_at)
            if data[start + name_at : start + name_at + length] == name:
                struct.pack_into("<I", data, start + size_at, size)
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))


def legitimate_rows(count: int, seed: int = 1) -> Iterator[list[object]]:
    """Realistic export rows: unique ids and times, Chinese titles and descriptions."""
    rng = random.Random(seed)
    words = "楼道漏水电梯异响噪音投诉门禁刷卡失灵绿化树枝折断垃圾桶满溢大堂吊灯不亮屋面渗水天花板地库排水沟堵塞"
    for i in range(count):
        day, hour = i % 28 + 1, i % 24
        yield [
            f"GD{i:08d}",
            f"2025/9/{day} {hour}:{i % 60:02d}:00",
            f"2025/9/{day} {hour}:{(i + 7) % 60:02d}:00",
            "",
            "报修",
            "水电",
            "一般",
            "".join(rng.choice(words) for _ in range(12)),
            "".join(rng.choice(words) for _ in range(40)),
            f"{i % 30}栋{i % 4 + 1}单元",
            "已完成",
        ]


def legitimate_xlsx(path: Path, rows: int) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(HEADER))
    for cells in legitimate_rows(rows):
        sheet.append(cells)
    workbook.save(path)
    return path


def _string_bomb(path: Path, megabytes: int) -> Path:
    """One shared string of ``megabytes`` MB of a single letter (compresses about 1000:1)."""
    return write_xlsx(
        path,
        [b'<row r="2"><c t="s"><v>0</v></c></row>'],
        [b"<si><t>", *_repeat(b"A" * 1000, megabytes * 1000, 1000), b"</t></si>"],
    )


def _lying_bomb(path: Path) -> Path:
    _string_bomb(path, 1500)
    declare_size(path, "xl/sharedStrings.xml", 1024)
    return path


BUILDERS: dict[str, Callable[[Path], Path]] = {
    "legitimate 50,000 rows": lambda p: legitimate_xlsx(p, 50_000),
    "shared string 1.5 GB": lambda p: _string_bomb(p, 1500),
    "declared sizes lie (1.5 GB as 1 KB)": _lying_bomb,
    "20 M blank rows, then data": lambda p: write_xlsx(
        p, [b'<row r="20000002">' + DATA_ROW + b"</row>"]
    ),
    "dimension A1:XFD20000000": lambda p: write_xlsx(
        p, [b'<row r="2">' + DATA_ROW + b"</row>"], dimension=b'<dimension ref="A1:XFD20000000"/>'
    ),
    "20 M empty shared strings": lambda p: write_xlsx(
        p, [b'<row r="2"><c t="s"><v>0</v></c></row>'], _repeat(b"<si/>", 20_000_000)
    ),
    "8 M repeats of row 1": lambda p: write_xlsx(p, _repeat(b'<row r="1"/>', 8_000_000)),
    "one row of 20 M cells": lambda p: write_xlsx(
        p, [b'<row r="2">', *_repeat(b"<c/>", 20_000_000), b"</row>"]
    ),
    "just within the element caps (50,000 rows of 35 empty cells)": lambda p: write_xlsx(
        p,
        (
            b'<row r="%d"><c t="inlineStr"><is><t>X%d</t></is></c>' % (n, n)
            + b"<c/>" * 35
            + b"</row>"
            for n in range(2, 50_002)
        ),
    ),
}


@dataclass(frozen=True)
class Result:
    name: str
    file_kb: int
    outcome: str  # "rows N", the refusal's message key, "> N s" or an exception's name
    seconds: float | None
    peak_mb: float | None

    def within_target(self) -> bool:
        return (
            self.seconds is not None
            and self.peak_mb is not None
            and self.seconds <= TARGET_SECONDS
            and self.peak_mb <= TARGET_MB
        )


def read_one(path: Path) -> dict[str, object]:
    """Read ``path`` with ``read_source`` in this process: outcome, seconds and the increase of
    this process's peak RSS (MB) over what it was before the read."""
    from data_access.errors import DomainError
    from data_access.imports.order_import import parse_mapping, read_source

    mapping = parse_mapping(MAPPING, name="bench.toml")
    data = path.read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        table = read_source(data, mapping=mapping, file_name=path.name)
        outcome = f"rows {len(table.rows)}"
    except DomainError as error:
        outcome = error.key
    except Exception as error:  # the "before" code lets some parser errors through
        outcome = type(error).__name__
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    return {"outcome": outcome, "seconds": seconds, "peak_mb": (after - before) / 1024}


def measure(
    name: str, path: Path, *, timeout: float = 120.0, memory_limit_mb: int | None = 8000
) -> Result:
    """Run ``read_one`` on ``path`` in a fresh interpreter (so earlier files leave no peak)."""

    def limit() -> None:  # in the child, before it starts
        if memory_limit_mb:
            size = memory_limit_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    file_kb = path.stat().st_size // 1024
    command = [sys.executable, "-m", "bench.import_bombs", "--child", str(path)]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=limit,
            cwd=Path(__file__).resolve().parents[1],
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Result(name, file_kb, f"> {timeout:.0f} s", None, None)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        error = (done.stderr.strip().splitlines() or ["exit status " + str(done.returncode)])[-1]
        return Result(name, file_kb, error[:60], None, None)
    found = json.loads(lines[-1])
    return Result(name, file_kb, str(found["outcome"]), found["seconds"], found["peak_mb"])


def table(results: Iterable[Result]) -> str:
    lines = [
        "| file | size | outcome | time | peak memory increase | within target |",
        "|---|---:|---|---:|---:|---|",
    ]
    for r in results:
        seconds = "—" if r.seconds is None else f"{r.seconds:.1f} s"
        peak = "—" if r.peak_mb is None else f"{r.peak_mb:.0f} MB"
        ok = "yes" if r.within_target() else "no"
        lines.append(f"| {r.name} | {r.file_kb:,} KB | {r.outcome} | {seconds} | {peak} | {ok} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per file")
    parser.add_argument("--memory-limit-mb", type=int, default=8000)
    parser.add_argument("--only", nargs="*", help="names (substrings) of the files to run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(read_one(Path(args.child))))
        return 0
    names = [n for n in BUILDERS if not args.only or any(o in n for o in args.only)]
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for number, name in enumerate(names):
            path = BUILDERS[name](Path(folder) / f"{number}.xlsx")
            result = measure(name, path, timeout=args.timeout, memory_limit_mb=args.memory_limit_mb)
            print(f"{name}: {result.outcome}", file=sys.stderr, flush=True)
            results.append(result)
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
