"""Photo storage: content checks, metadata stripping, deduplication, limits."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from io import BytesIO
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

import pytest
from PIL import ExifTags, Image, ImageFile
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.errors import DomainError
from data_access.media.photos import (
    MAX_UPLOAD_BYTES,
    attach_photo,
    photo_path,
    store_photo,
    thumbnail_path,
)
from data_access.models import Photo

if TYPE_CHECKING:
    from _typeshed import StrOrBytesPath

NOW = dt.datetime(2026, 11, 20, 12, 0)


@pytest.fixture
def media(tmp_path: Path) -> Path:
    return tmp_path / "media"


def picture(fmt: str = "JPEG", size: tuple[int, int] = (640, 480), **save: object) -> bytes:
    image = Image.new("RGB", size, (40, 120, 200))
    image.paste((230, 200, 40), (50, 50, 300, 200))
    out = BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def red(image: Image.Image, xy: tuple[int, int]) -> int:
    """The red value of the pixel at ``xy`` of an RGB image."""
    pixel = image.getpixel(xy)
    assert isinstance(pixel, tuple)
    return pixel[0]


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 14.0, 5.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 28.0, 9.0)
    return picture("JPEG", exif=exif)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny real PNG whose IHDR says ``width`` × ``height`` (CRC fixed up)."""
    data = bytearray(picture("PNG", size=(8, 8)))
    ihdr = 8 + 8  # signature, then length + "IHDR"
    data[ihdr : ihdr + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr - 4 : ihdr + 13]))
    data[ihdr + 13 : ihdr + 17] = struct.pack(">I", crc)
    return bytes(data)


def store(session: Session, data: bytes, media_dir: Path) -> Photo:
    return store_photo(
        session=session, data=data, media_dir=media_dir, taken_at=None, uploaded_at=NOW
    )


def test_stored_copy_has_no_exif(session: Session, media: Path) -> None:
    data = jpeg_with_gps()
    assert Image.open(BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the input has GPS
    photo = store(session, data, media)
    stored = photo_path(photo.sha256, photo.mime_type, media).read_bytes()
    assert b"Exif" not in stored and b"PhoneMaker" not in stored
    with Image.open(BytesIO(stored)) as image:
        assert dict(image.getexif()) == {}
        assert (image.format, image.size) == ("JPEG", (640, 480))
    assert (photo.mime_type, photo.width, photo.height, photo.size_bytes) == (
        "image/jpeg",
        640,
        480,
        len(stored),
    )
    with Image.open(thumbnail_path(photo.sha256, media)) as thumb:
        assert (thumb.format, max(thumb.size)) == ("JPEG", 320)


def test_same_picture_is_stored_once(session: Session, media: Path) -> None:
    data = jpeg_with_gps()
    first = store(session, data, media)
    second = store(session, data, media)
    assert first.id == second.id
    assert session.scalar(select(func.count()).select_from(Photo)) == 1
    files = sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())
    sha = first.sha256
    assert files == [f"{sha[:2]}/{sha}.jpg", f"thumbs/{sha[:2]}/{sha}.jpg"]


def test_re_encoding_is_deterministic(session: Session, media: Path) -> None:
    data = picture("PNG")
    first = store(session, data, media / "a").sha256
    session.rollback()  # forget the row, so the second store writes its own files
    second = store(session, data, media / "b").sha256
    assert first == second
    assert (media / "a" / first[:2] / f"{first}.png").read_bytes() == (
        media / "b" / second[:2] / f"{second}.png"
    ).read_bytes()


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_keep_their_format(session: Session, media: Path, fmt: str) -> None:
    photo = store(session, picture(fmt), media)
    assert photo.mime_type == f"image/{fmt.lower()}"
    with Image.open(photo_path(photo.sha256, photo.mime_type, media)) as image:
        assert image.format == fmt


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)


@pytest.mark.parametrize(
    ("data", "key"),
    [
        pytest.param(
            "这不是图片,只是改了扩展名的文本。".encode(), "upload.bad_type", id="text-as-jpg"
        ),
        pytest.param(SVG, "upload.bad_type", id="svg"),
        pytest.param(picture("GIF"), "upload.bad_type", id="gif"),
        pytest.param(picture("JPEG")[:2000], "upload.corrupt", id="truncated-jpeg"),
        pytest.param(png_claiming(30000, 30000), "upload.too_many_pixels", id="png-30000x30000"),
        pytest.param(png_claiming(7000, 7000), "upload.too_many_pixels", id="png-49-megapixels"),
        pytest.param(b"\xff\xd8\xff" + bytes(MAX_UPLOAD_BYTES), "upload.too_large", id="over-10MB"),
        pytest.param(b"\xff\xd8\xff" + bytes(50 * 1024 * 1024), "upload.too_large", id="50MB"),
        pytest.param(picture("TIFF"), "upload.bad_type", id="tiff"),
        pytest.param(b"8BPS\x00\x01" + bytes(64), "upload.bad_type", id="psd"),
        pytest.param(
            b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "upload.bad_type", id="eps"
        ),
        pytest.param(b"MZ\x90\x00\x03" + bytes(256), "upload.bad_type", id="exe-as-jpg"),
        pytest.param(b"\x7fELF\x02\x01\x01" + bytes(256), "upload.bad_type", id="elf-as-jpg"),
    ],
)
def test_refused_uploads(session: Session, media: Path, data: bytes, key: str) -> None:
    with pytest.raises(DomainError) as refused:
        store(session, data, media)
    assert refused.value.key == key
    assert session.scalar(select(func.count()).select_from(Photo)) == 0
    assert not any(p.is_file() for p in media.rglob("*"))


def test_attach_needs_exactly_one_subject(session: Session, media: Path) -> None:
    photo = store(session, picture(), media)
    with pytest.raises(ValueError):
        attach_photo(session=session, photo=photo, kind="before", attached_at=NOW)
    with pytest.raises(ValueError):
        attach_photo(session=session, photo=photo, kind="sideways", attached_at=NOW, ticket_id=1)


# --- cost: decode once, at reduced size; store a bounded picture ------------------------------
STORED_MAX = 2560  # the stored picture's long side (media.STORED_MAX_PX)


def photo_with(
    size: tuple[int, int], fmt: str = "JPEG", mode: str = "RGB", **save: object
) -> bytes:
    """A ``size`` picture with a red block in its top-left corner (to see which way is up)."""
    image = Image.new("RGB", size, (40, 120, 200))
    w, h = size
    image.paste((220, 20, 20), (0, 0, w // 4, h // 4))
    image.paste((230, 200, 40), (w // 2, h // 2, w - 10, h - 10))
    if mode == "RGBA":
        image.putalpha(Image.linear_gradient("L").resize(size))
    elif mode != "RGB":
        image = image.convert(mode)
    out = BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def stored_image(photo: Photo, media: Path) -> Image.Image:
    image = Image.open(photo_path(photo.sha256, photo.mime_type, media))
    image.load()
    return image


def test_a_repeated_upload_is_not_decoded_again(
    session: Session, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[object] = []
    real_open = Image.open

    def counting_open(
        fp: StrOrBytesPath | IO[bytes],
        mode: Literal["r"] = "r",
        formats: list[str] | tuple[str, ...] | None = None,
    ) -> ImageFile.ImageFile:
        opened.append(fp)
        return real_open(fp, mode, formats)

    monkeypatch.setattr(Image, "open", counting_open)
    data = jpeg_with_gps()
    first = store(session, data, media)
    assert opened  # the first upload is decoded
    session.commit()
    opened.clear()

    assert store(session, data, media).id == first.id
    assert opened == []  # the same bytes again: found by their hash, not decoded
    # The same picture with other metadata is a different upload: decoded, same stored photo.
    assert store(session, picture("JPEG"), media).id == first.id
    assert opened
    assert session.scalar(select(func.count()).select_from(Photo)) == 1


@pytest.mark.parametrize(
    ("fmt", "mode", "size", "stored_size"),
    [
        ("JPEG", "RGB", (3000, 2000), (2560, 1707)),
        ("JPEG", "L", (1500, 3600), (1067, 2560)),
        ("PNG", "RGB", (2000, 3000), (1707, 2560)),
        ("PNG", "RGBA", (3000, 2000), (2560, 1707)),
        ("PNG", "P", (5200, 2600), (2560, 1280)),
        ("WEBP", "RGB", (2600, 2600), (2560, 2560)),
    ],
)
def test_a_large_photo_is_stored_bounded_with_a_thumbnail(
    session: Session,
    media: Path,
    fmt: str,
    mode: str,
    size: tuple[int, int],
    stored_size: tuple[int, int],
) -> None:
    photo = store(session, photo_with(size, fmt, mode), media)
    with stored_image(photo, media) as image:
        assert (image.format, image.size) == (fmt, stored_size)
        assert (photo.width, photo.height) == stored_size
        assert max(image.size) == STORED_MAX
        if mode == "RGBA":  # transparency is pixel data: kept
            lowest_alpha, _ = image.getchannel("A").getextrema()
            assert image.mode == "RGBA" and isinstance(lowest_alpha, int) and lowest_alpha < 10
        # Still the same picture: red top-left, blue top-right (in grey: darker, lighter).
        w, h = image.size
        rgb = image.convert("RGB")
        top_left = rgb.getpixel((w // 20, h // 20))
        top_right = rgb.getpixel((w - w // 20, h // 20))
        assert isinstance(top_left, tuple) and isinstance(top_right, tuple)
        if mode == "L":
            assert top_left[0] < top_right[0] - 15
        else:
            assert top_left[0] > 150 and top_left[2] < 80 and top_right[2] > 150
    with Image.open(thumbnail_path(photo.sha256, media)) as thumb:
        assert (thumb.format, max(thumb.size)) == ("JPEG", 320)


def test_a_40_megapixel_png_is_accepted_and_stored_bounded(session: Session, media: Path) -> None:
    size = (8000, 5000)  # exactly the pixel cap
    across = Image.linear_gradient("L").rotate(90).resize(size)
    down = Image.linear_gradient("L").resize(size)
    out = BytesIO()
    Image.merge("RGBA", (across, down, Image.new("L", size, 128), down)).save(out, "PNG")
    del across, down
    data = out.getvalue()
    assert len(data) < 1024 * 1024  # a small file…

    photo = store(session, data, media)  # …of 40 megapixels

    assert (photo.mime_type, photo.width, photo.height) == ("image/png", 2560, 1600)
    with stored_image(photo, media) as image:
        assert (image.mode, image.size) == ("RGBA", (2560, 1600))
    assert photo.size_bytes < 10 * 1024 * 1024
    with Image.open(thumbnail_path(photo.sha256, media)) as thumb:
        assert thumb.size == (320, 200)


def test_a_large_jpeg_is_decoded_at_reduced_size(
    session: Session, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import JpegImagePlugin

    loaded: list[tuple[int, int]] = []
    real_load = JpegImagePlugin.JpegImageFile.load

    def spying_load(self: JpegImagePlugin.JpegImageFile) -> object:
        if self.tile:  # about to decode: the size it decodes at
            loaded.append(self.size)
        return real_load(self)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", spying_load)
    photo = store(session, photo_with((6400, 4800)), media)

    assert loaded == [(3200, 2400)]  # JPEG draft mode: decoded at half size, never full size
    assert (photo.width, photo.height) == (2560, 1920)


def turned_phone_photo(size: tuple[int, int]) -> bytes:
    """A JPEG as a phone held upright saves it: sensor-wise pixels plus Orientation 6, and GPS."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = 6  # shown turned 90° clockwise
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 14.0, 5.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 28.0, 9.0)
    return photo_with(size, exif=exif)


@pytest.mark.parametrize(
    ("size", "upright"), [((640, 480), (480, 640)), ((4032, 3024), (1920, 2560))]
)
def test_a_turned_phone_photo_is_stored_upright_and_bounded_without_exif(
    session: Session, media: Path, size: tuple[int, int], upright: tuple[int, int]
) -> None:
    data = turned_phone_photo(size)
    assert Image.open(BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the input has GPS

    photo = store(session, data, media)

    stored = photo_path(photo.sha256, photo.mime_type, media).read_bytes()
    assert b"Exif" not in stored and b"PhoneMaker" not in stored
    with Image.open(BytesIO(stored)) as image:
        assert dict(image.getexif()) == {}
        assert image.size == upright == (photo.width, photo.height)
        # The sensor's top-left (red) is the upright picture's top-right.
        w, h = image.size
        assert red(image, (w - w // 20, h // 20)) > 150
        assert red(image, (w // 20, h // 20)) < 80
    with Image.open(thumbnail_path(photo.sha256, media)) as thumb:
        assert thumb.size == (240, 320)
        assert dict(thumb.getexif()) == {}


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_exif_is_applied_then_dropped(session: Session, media: Path, fmt: str) -> None:
    exif = Image.open(BytesIO(turned_phone_photo((64, 48)))).getexif()
    data = photo_with((640, 480), fmt, exif=exif)
    assert b"PhoneMaker" in data

    photo = store(session, data, media)

    stored = photo_path(photo.sha256, photo.mime_type, media).read_bytes()
    assert b"Exif" not in stored and b"PhoneMaker" not in stored
    with Image.open(BytesIO(stored)) as image:
        assert (image.format, image.size) == (fmt, (480, 640))
        assert dict(image.getexif()) == {}
        top_right = image.convert("RGB").getpixel((470, 10))
        assert isinstance(top_right, tuple) and top_right[0] > 150
