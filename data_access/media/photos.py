"""Photo storage: content-addressed files, stripped of metadata, with thumbnails.

An upload is identified by its bytes (never by its name or declared type), decoded with an
allowlist of formats, turned upright (EXIF orientation), shrunk to at most ``STORED_MAX_PX`` on
its long side (never enlarged), re-encoded without EXIF or any other metadata, and stored once
under ``<media_dir>/<sha256[:2]>/<sha256>.<ext>``; its thumbnail lives under
``<media_dir>/thumbs/<sha256[:2]>/<sha256>.jpg``. The sha256 is that of the stored (re-encoded)
bytes, so the same upload always lands on the same file (re-encoding is deterministic), and so
does the same picture with other metadata.

Decoding is the expensive part (a 150 KB PNG can hold 40 megapixels), so it is done once per
upload: the row also records ``source_sha256``, the hash of the uploaded bytes, and the same bytes
again are looked up by it before any decoding. JPEGs are decoded at reduced size (draft mode, a
power-of-two scale that still covers the stored size); other formats are decoded at full size and
reduced straight away, without full-size copies, before anything else is done with them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from PIL import ExifTags, Image, UnidentifiedImageError
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.errors import DomainError
from data_access.models import PHOTO_KINDS, Photo, PhotoAttachment

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MEDIA_DIR = Path(os.environ.get("MEDIA_DIR") or PROJECT_ROOT / "data" / "media")

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 85
WEBP_QUALITY = 85
THUMBNAIL_MAX_PX = 320
THUMBNAIL_QUALITY = 80
# The stored picture's long side: enough for a full-screen view, a fraction of a 40 MP original.
STORED_MAX_PX = 2560
# Shrinking first averages blocks of pixels (``Image.reduce``, cheap) down to at least this many
# times the final size, then resamples properly (Lanczos) from there.
REDUCING_GAP = 1.5
_REDUCE_BAND_ROWS = 128  # output rows per band when reducing an image with alpha
# EXIF orientation → the transposition that turns the stored pixels upright.
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class _Format:
    mime_type: str
    ext: str


# Pillow format name → what we store. Anything else (SVG, GIF, TIFF, HEIC…) is refused.
FORMATS: dict[str, _Format] = {
    "JPEG": _Format("image/jpeg", "jpg"),
    "PNG": _Format("image/png", "png"),
    "WEBP": _Format("image/webp", "webp"),
}
_EXT_BY_MIME = {f.mime_type: f.ext for f in FORMATS.values()}
# Exceptions Pillow raises on truncated or malformed image data.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError)


def current_media_dir() -> Path:
    """The media folder now: ``MEDIA_DIR`` from the environment, else data/media."""
    return Path(os.environ.get("MEDIA_DIR") or PROJECT_ROOT / "data" / "media")


def photo_path(sha256: str, mime_type: str, media_dir: Path = MEDIA_DIR) -> Path:
    try:
        ext = _EXT_BY_MIME[mime_type]
    except KeyError:
        raise ValueError(f"unsupported photo type: {mime_type!r}") from None
    return Path(media_dir) / sha256[:2] / f"{sha256}.{ext}"


def thumbnail_path(sha256: str, media_dir: Path = MEDIA_DIR) -> Path:
    return Path(media_dir) / "thumbs" / sha256[:2] / f"{sha256}.jpg"


def store_photo(
    *,
    session: Session,
    data: bytes,
    media_dir: Path = MEDIA_DIR,
    taken_at: dt.datetime | None = None,
    uploaded_at: dt.datetime,
) -> Photo:
    """The ``Photo`` for these uploaded bytes, stored (file, thumbnail, row) unless it exists.

    Bytes uploaded before are found by their hash without being decoded again; a new upload of a
    picture already stored (the same pixels with other metadata) finds that picture's row.

    Raises ``DomainError`` with ``upload.too_large``, ``upload.bad_type``,
    ``upload.too_many_pixels`` or ``upload.corrupt``.
    """
    _check_size(data)
    source_sha256 = hashlib.sha256(data).hexdigest()
    known = session.scalar(select(Photo).where(Photo.source_sha256 == source_sha256))
    if known is not None:
        return known

    image, fmt = _decode(data)
    encoded = _encode(image, fmt)
    sha256 = hashlib.sha256(encoded).hexdigest()
    existing = session.scalar(select(Photo).where(Photo.sha256 == sha256))
    if existing is not None:
        return existing

    media_dir = Path(media_dir)
    path = photo_path(sha256, FORMATS[fmt].mime_type, media_dir)
    if not path.exists():
        _write_atomically(path, encoded)
    thumb = thumbnail_path(sha256, media_dir)
    if not thumb.exists():
        _write_atomically(thumb, _thumbnail(image))

    photo = Photo(
        sha256=sha256,
        source_sha256=source_sha256,
        mime_type=FORMATS[fmt].mime_type,
        size_bytes=len(encoded),
        width=image.width,
        height=image.height,
        taken_at=taken_at,
        uploaded_at=uploaded_at,
    )
    # Files first, row second: a row never points at a missing file. A concurrent upload of the
    # same picture may win the race for the row; then we use theirs.
    try:
        with session.begin_nested():
            session.add(photo)
            session.flush()
    except IntegrityError:
        theirs = session.scalar(
            select(Photo)
            .where(or_(Photo.sha256 == sha256, Photo.source_sha256 == source_sha256))
            .order_by(Photo.id)
            .limit(1)
        )
        if theirs is None:
            raise
        return theirs
    return photo


def attach_photo(
    *,
    session: Session,
    photo: Photo,
    kind: str,
    attached_at: dt.datetime,
    work_order_id: int | None = None,
    work_order_event_id: int | None = None,
    ticket_id: int | None = None,
    ticket_event_id: int | None = None,
    rating_id: int | None = None,
    plan_task_id: int | None = None,
    checkin_id: int | None = None,
    caption: str = "",
) -> PhotoAttachment:
    """Show ``photo`` on exactly one subject (work order, ticket, rating, plan task, check-in)."""
    if kind not in PHOTO_KINDS:
        raise ValueError(f"unknown photo kind: {kind!r}")
    subjects = (work_order_id, ticket_id, rating_id, plan_task_id, checkin_id)
    if sum(s is not None for s in subjects) != 1:
        raise ValueError("a photo attachment needs exactly one subject")
    attachment = PhotoAttachment(
        photo_id=photo.id,
        kind=kind,
        work_order_id=work_order_id,
        work_order_event_id=work_order_event_id,
        ticket_id=ticket_id,
        ticket_event_id=ticket_event_id,
        rating_id=rating_id,
        plan_task_id=plan_task_id,
        checkin_id=checkin_id,
        caption=caption,
        attached_at=attached_at,
    )
    session.add(attachment)
    session.flush()
    return attachment


# --- decoding and encoding --------------------------------------------------------------------
def _check_size(data: bytes) -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(
            "upload.too_large",
            max_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
            size_mb=round(len(data) / (1024 * 1024), 1),
        )


def _decode(data: bytes) -> tuple[Image.Image, str]:
    """The decoded image, upright and at most ``STORED_MAX_PX`` on its long side, and its Pillow
    format; or a ``DomainError``. The image is ours: callers may change it (``_encode`` does)."""
    _check_size(data)
    with warnings.catch_warnings():
        # Pillow only warns about decompression bombs below twice its limit; refuse them all.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(data), formats=list(FORMATS)) as probe:
                fmt = probe.format or ""
                _check_pixels(probe.width, probe.height)
                probe.verify()
            opened = Image.open(BytesIO(data), formats=[fmt])
            size = _fit(opened.size, STORED_MAX_PX)
            if size != opened.size:
                # JPEG only: decode at 1/2, 1/4 or 1/8 scale, still at least ``size``.
                opened.draft(None, size)
            opened.load()
            orientation = opened.getexif().get(ExifTags.Base.Orientation)
            image = _shrink(opened, size)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise DomainError(
                "upload.too_many_pixels", max_megapixels=MAX_PIXELS // 1_000_000
            ) from None
        except UnidentifiedImageError:
            raise DomainError("upload.bad_type", allowed="JPEG, PNG, WebP") from None
        except DomainError:
            raise
        except _DECODE_ERRORS:
            raise DomainError("upload.corrupt") from None
    method = _UPRIGHT.get(orientation) if isinstance(orientation, int) else None
    if method is not None:
        image = image.transpose(method)
    return image, fmt


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise DomainError("upload.too_many_pixels", max_megapixels=MAX_PIXELS // 1_000_000)


def _fit(size: tuple[int, int], bound: int) -> tuple[int, int]:
    """``size`` scaled down (never up) so that its long side is at most ``bound``."""
    width, height = size
    if max(width, height) <= bound:
        return size
    if width >= height:
        return bound, max(1, round(height * bound / width))
    return max(1, round(width * bound / height)), bound


def _shrink(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """``image`` (loaded) resized to ``size``, or ``image`` itself when it is that size already.

    Consumes ``image``: its full-size pixels are released (``close``) as soon as a smaller copy
    exists, so at most one full-size picture is in memory at a time.
    """
    if image.size == size:
        return image
    original = image
    if image.mode in ("1", "P", "PA") or "transparency" in image.info:
        # Palette indices (or a transparent colour key) cannot be averaged: pick pixels (cheap)
        # down to twice the final size, then give the small image real colours to resample.
        twice = (min(image.width, 2 * size[0]), min(image.height, 2 * size[1]))
        if twice != image.size:
            image = image.resize(twice, Image.Resampling.NEAREST)
            original.close()
        image = image.convert("RGBA" if _has_alpha(image) else "L" if image.mode == "1" else "RGB")
    factor = int(min(image.width / size[0], image.height / size[1]) / REDUCING_GAP)
    if factor > 1 and image.mode in ("L", "LA", "RGB", "RGBA", "CMYK", "I", "F"):
        reduced = _reduce(image, factor)
        image.close()
        image = reduced
    resized = image.resize(size, Image.Resampling.LANCZOS)
    image.close()
    if original is not image:
        original.close()
    return resized


def _reduce(image: Image.Image, factor: int) -> Image.Image:
    """``image.reduce(factor)`` without a full-size copy.

    With alpha, Pillow averages premultiplied colours and converts the whole image to do so; a
    band of rows at a time gives the same result (each output row depends on its own ``factor``
    input rows only) at a fraction of the memory.
    """
    if image.mode not in ("LA", "RGBA"):
        return image.reduce(factor)
    width, height = image.size
    reduced = Image.new(image.mode, (-(-width // factor), -(-height // factor)))
    band = factor * _REDUCE_BAND_ROWS
    for top in range(0, height, band):
        rows = image.crop((0, top, width, min(height, top + band)))
        reduced.paste(rows.reduce(factor), (0, top // factor))
    return reduced


def _encode(image: Image.Image, fmt: str) -> bytes:
    """The image re-encoded in its own format, without EXIF, XMP, ICC or text chunks.

    Drops ``image``'s metadata in place (the image is ``_decode``'s, made for this).
    """
    # Transparency is pixel data, not metadata: keep it; drop everything else.
    image.info = {k: v for k, v in image.info.items() if k == "transparency"}
    out = BytesIO()
    if fmt == "JPEG":
        clean = image if image.mode in ("L", "RGB") else image.convert("RGB")
        clean.save(out, "JPEG", quality=JPEG_QUALITY)
    elif fmt == "PNG":
        image.save(out, "PNG")
    else:
        clean = (
            image
            if image.mode in ("RGB", "RGBA")
            else image.convert("RGBA" if _has_alpha(image) else "RGB")
        )
        clean.save(out, "WEBP", quality=WEBP_QUALITY)
    return out.getvalue()


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _thumbnail(image: Image.Image) -> bytes:
    """A JPEG at most ``THUMBNAIL_MAX_PX`` on its long side, transparency on white."""
    thumb = image
    if thumb.mode not in ("L", "LA", "RGB", "RGBA") or "transparency" in thumb.info:
        thumb = thumb.convert("RGBA" if _has_alpha(thumb) else "RGB")
    size = _fit(thumb.size, THUMBNAIL_MAX_PX)
    if size != thumb.size:
        thumb = thumb.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    if _has_alpha(thumb):
        rgba = thumb.convert("RGBA")
        thumb = Image.new("RGB", rgba.size, "white")
        thumb.paste(rgba, mask=rgba.getchannel("A"))
    elif thumb.mode != "RGB":
        thumb = thumb.convert("RGB")
    out = BytesIO()
    thumb.save(out, "JPEG", quality=THUMBNAIL_QUALITY)
    return out.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
