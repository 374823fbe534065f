"""Photo uploads: CPU time and peak memory of ``media.store_photo`` per picture.

Every case runs in a fresh Python process (``python -m bench.photos --child …``), so one case's
memory high-water mark and allocator state do not leak into the next. The child reads the upload
files into memory, creates an empty SQLite database in memory and a temporary media folder, and
only then starts measuring:

- CPU: user + system time of the process (``resource.getrusage``) around the ``store_photo``
  calls;
- peak memory increase: the resident-set high-water mark during the calls minus the resident set
  just before them (Linux resets the high-water mark through ``/proc/self/clear_refs``; elsewhere
  the lifetime maximum ``ru_maxrss`` is used, which can only overstate).

Cases: two 40-megapixel PNGs, one of RGBA gradients and one of flat RGB colours (small files
that are expensive to decode), a 40-megapixel JPEG, a typical 12-megapixel phone JPEG (with EXIF
orientation and GPS), a ticket with six distinct 40-megapixel PNGs stored one after the other in
one process (as the ticket form does), and the same 40-megapixel PNG uploaded twice. Run
``python -m bench.photos``; it prints a Markdown table (``--case NAME`` runs only that case).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from PIL import ExifTags, Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
MEGAPIXEL_40 = (8000, 5000)  # exactly media.MAX_PIXELS
PHONE_12 = (4032, 3024)


@dataclass(frozen=True)
class Measurement:
    photos: int
    upload_bytes: int  # all uploads together
    cpu_s: float  # user + system, all photos together
    peak_mb: float  # resident-set high-water mark above the starting point
    stored: tuple[tuple[int, int], ...]  # each stored picture's width × height
    stored_bytes: int  # all stored files together (pictures and thumbnails)
    wall_s: float


# --- the measured process --------------------------------------------------------------------
def _rss_kb(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _child(paths: Sequence[str]) -> dict[str, object]:
    import datetime as dt

    from data_access.db import make_engine, make_session_factory
    from data_access.media.photos import store_photo
    from data_access.models import Base

    uploads = [Path(p).read_bytes() for p in paths]
    engine = make_engine("sqlite://")
    Base.metadata.create_all(engine)
    now = dt.datetime(2026, 11, 20, 12, 0)
    with tempfile.TemporaryDirectory() as tmp, make_session_factory(engine)() as session:
        media = Path(tmp)
        reset = _reset_peak()
        before_kb = _rss_kb("VmRSS") if reset else None
        if before_kb is None:
            before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        usage = resource.getrusage(resource.RUSAGE_SELF)
        wall = time.perf_counter()
        photos = [
            store_photo(session=session, data=data, media_dir=media, uploaded_at=now)
            for data in uploads
        ]
        wall = time.perf_counter() - wall
        after = resource.getrusage(resource.RUSAGE_SELF)
        peak_kb = (_rss_kb("VmHWM") if reset else None) or after.ru_maxrss
        stored_bytes = sum(p.stat().st_size for p in media.rglob("*") if p.is_file())
        result: dict[str, object] = {
            "photos": len(photos),
            "upload_bytes": sum(len(d) for d in uploads),
            "cpu_s": (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime),
            "peak_mb": max(0, peak_kb - before_kb) / 1024,
            "stored": [[p.width, p.height] for p in photos],
            "stored_bytes": stored_bytes,
            "wall_s": wall,
        }
    engine.dispose()
    return result


# --- the driver --------------------------------------------------------------------------------
def measure(uploads: Sequence[bytes]) -> Measurement:
    """Store ``uploads`` one after the other in a fresh process; what it cost."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, data in enumerate(uploads):
            path = Path(tmp) / f"upload-{i}"
            path.write_bytes(data)
            paths.append(str(path))
        done = subprocess.run(
            [sys.executable, "-m", "bench.photos", "--child", *paths],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    if done.returncode != 0:
        raise RuntimeError(f"the measured process failed:\n{done.stderr}")
    raw = json.loads(done.stdout.strip().splitlines()[-1])
    return Measurement(
        photos=raw["photos"],
        upload_bytes=raw["upload_bytes"],
        cpu_s=raw["cpu_s"],
        peak_mb=raw["peak_mb"],
        stored=tuple((w, h) for w, h in raw["stored"]),
        stored_bytes=raw["stored_bytes"],
        wall_s=raw["wall_s"],
    )


# --- the pictures ------------------------------------------------------------------------------
def flat_png(size: tuple[int, int] = MEGAPIXEL_40) -> bytes:
    """An RGB PNG of a few flat colour blocks: a tiny file for a huge number of pixels."""
    image = Image.new("RGB", size, (40, 120, 200))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle((w // 10, h // 10, w // 2, h // 2), fill=(230, 200, 40))
    draw.ellipse((w // 2, h // 3, w - w // 10, h - h // 10), fill=(20, 160, 90))
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def gradient_png(size: tuple[int, int] = MEGAPIXEL_40, shade: int = 0) -> bytes:
    """An RGBA PNG of smooth gradients (the reported case: ~160 KB for 40 megapixels)."""
    across = Image.linear_gradient("L").rotate(90).resize(size)
    down = Image.linear_gradient("L").resize(size)
    image = Image.merge("RGBA", (across, down, Image.new("L", size, 128 - shade), down))
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def photo_like_jpeg(
    size: tuple[int, int], *, grain: float = 0.3, exif: Image.Exif | None = None
) -> bytes:
    """A JPEG with smooth gradients and some sensor-like noise (compresses like a photo)."""
    small = (max(1, size[0] // 64), max(1, size[1] // 64))
    red = Image.linear_gradient("L").resize(small)
    green = Image.radial_gradient("L").resize(small)
    blue = Image.linear_gradient("L").rotate(90).resize(small)
    image = Image.merge("RGB", (red, green, blue)).resize(size, Image.Resampling.BICUBIC)
    noise = Image.effect_noise(size, 40).convert("RGB")
    image = Image.blend(image, noise, grain)
    out = BytesIO()
    image.save(out, "JPEG", quality=88, exif=exif or Image.Exif())
    return out.getvalue()


def phone_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = 6  # held upright: the sensor's picture is turned
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 14.0, 5.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 28.0, 9.0)
    return exif


CASES: dict[str, Callable[[], list[bytes]]] = {
    "40 MP PNG (RGBA gradients)": lambda: [gradient_png()],
    "40 MP PNG (RGB flat colours)": lambda: [flat_png()],
    # Less grain: a 40 MP JPEG must stay under the 10 MB upload limit.
    "40 MP JPEG": lambda: [photo_like_jpeg(MEGAPIXEL_40, grain=0.15)],
    "12 MP phone JPEG": lambda: [photo_like_jpeg(PHONE_12, exif=phone_exif())],
    "ticket: six 40 MP PNGs": lambda: [gradient_png(shade=10 * i) for i in range(6)],
    "the same 40 MP PNG uploaded twice": lambda: [gradient_png()] * 2,
}


def table(results: dict[str, Measurement]) -> str:
    lines = [
        "| case | upload | stored (px) | CPU s | CPU s / photo | peak MB increase | stored |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for name, m in results.items():
        sizes = sorted(set(m.stored))
        stored_px = ", ".join(f"{w}×{h}" for w, h in sizes)
        lines.append(
            f"| {name} | {m.upload_bytes / 1024:,.0f} KB | {stored_px} | {m.cpu_s:.2f} "
            f"| {m.cpu_s / m.photos:.2f} | {m.peak_mb:,.0f} | {m.stored_bytes / 1024:,.0f} KB |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--case", action="append", choices=list(CASES), help="only these cases")
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child)))
        return 0
    results = {}
    for name in args.case or list(CASES):
        uploads = CASES[name]()
        results[name] = measure(uploads)
        print(f"{name}: done", file=sys.stderr)
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
