"""Photo storage: content-addressed files, stripped of metadata, with thumbnails (DESIGN §1.2).

An upload is identified by its bytes (never by its name or declared type), decoded with an
allowlist of formats, re-encoded without EXIF or any other metadata, and stored once under
``<media_dir>/<sha256[:2]>/<sha256>.<ext>``; its thumbnail lives under
``<media_dir>/thumbs/<sha256[:2]>/<sha256>.jpg``. The sha256 is that of the re-encoded bytes, so
the same upload always lands on the same file (re-encoding is deterministic).
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

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.errors import DomainError
from data_access.models import PHOTO_KINDS, Photo, PhotoAttachment

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MEDIA_DIR = Path(os.environ.get("MEDIA_DIR") or PROJECT_ROOT / "data" / "media")

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 85
WEBP_QUALITY = 85
THUMBNAIL_MAX_PX = 320
THUMBNAIL_QUALITY = 80


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

    Raises ``DomainError`` with ``upload.too_large``, ``upload.bad_type``,
    ``upload.too_many_pixels`` or ``upload.corrupt``.
    """
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
        return session.scalars(select(Photo).where(Photo.sha256 == sha256)).one()
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
def _decode(data: bytes) -> tuple[Image.Image, str]:
    """The decoded, upright image and its Pillow format, or a ``DomainError``."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(
            "upload.too_large",
            max_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
            size_mb=round(len(data) / (1024 * 1024), 1),
        )
    with warnings.catch_warnings():
        # Pillow only warns about decompression bombs below twice its limit; refuse them all.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(data), formats=list(FORMATS)) as probe:
                fmt = probe.format or ""
                _check_pixels(probe.width, probe.height)
                probe.verify()
            image: Image.Image = Image.open(BytesIO(data), formats=[fmt])
            image.load()
            image = ImageOps.exif_transpose(image)
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
    return image, fmt


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise DomainError("upload.too_many_pixels", max_megapixels=MAX_PIXELS // 1_000_000)


def _encode(image: Image.Image, fmt: str) -> bytes:
    """The image re-encoded in its own format, without EXIF, XMP, ICC or text chunks."""
    clean = image.copy()
    # Transparency is pixel data, not metadata: keep it; drop everything else.
    clean.info = {k: v for k, v in image.info.items() if k == "transparency"}
    out = BytesIO()
    if fmt == "JPEG":
        if clean.mode not in ("L", "RGB"):
            clean = clean.convert("RGB")
        clean.save(out, "JPEG", quality=JPEG_QUALITY)
    elif fmt == "PNG":
        clean.save(out, "PNG")
    else:
        if clean.mode not in ("RGB", "RGBA"):
            clean = clean.convert("RGBA" if _has_alpha(clean) else "RGB")
        clean.save(out, "WEBP", quality=WEBP_QUALITY)
    return out.getvalue()


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _thumbnail(image: Image.Image) -> bytes:
    thumb = image.copy()
    if _has_alpha(thumb):
        rgba = thumb.convert("RGBA")
        thumb = Image.new("RGB", rgba.size, "white")
        thumb.paste(rgba, mask=rgba.getchannel("A"))
    elif thumb.mode != "RGB":
        thumb = thumb.convert("RGB")
    thumb.thumbnail((THUMBNAIL_MAX_PX, THUMBNAIL_MAX_PX), Image.Resampling.LANCZOS)
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
