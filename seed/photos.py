"""Demo photos: simple drawn scenes, "before" broken or dirty, "after" fixed and clean.

Each picture is drawn deterministically from its subject (code, time, kind) and labelled in
Chinese with what and where, then stored through ``data_access.media.photos`` like any upload.
Without the CJK font (a fresh machine) the label falls back to ASCII instead of failing.
"""

from __future__ import annotations

import datetime as dt
import random
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy.orm import Session

from data_access.media.photos import attach_photo, store_photo
from seed.core import SeedContext

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
SIZE = (640, 480)
KIND_LABELS = {
    "before": ("处理前", (200, 50, 40)),
    "during": ("处理中", (230, 140, 20)),
    "after": ("处理后", (40, 150, 70)),
    "evidence": ("作业留痕", (40, 100, 190)),
}
SCENES = {
    "plumbing": "water",
    "electrical": "light",
    "elevator": "doors",
    "access_control": "doors",
    "greening": "garden",
    "facilities": "structure",
    "events": "event",
    "engineering": "structure",
    "security": "floor",
    "customer_service": "event",
}
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=8)
def _font(size: int) -> Font | None:
    if not CJK_FONT.exists():
        return None
    return ImageFont.truetype(str(CJK_FONT), size)


def draw_photo(
    *, kind: str, category: str, title: str, place: str, local_time: dt.datetime, code: str
) -> bytes:
    """A 640×480 JPEG of a scene for ``category``, looking broken/dirty when ``kind`` is before."""
    rng = random.Random(f"{code}|{kind}|{local_time.isoformat()}")
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    broken = kind in ("before", "during")
    scene = SCENES.get(category, "floor")
    {
        "water": _water,
        "light": _light,
        "doors": _doors,
        "garden": _garden,
        "structure": _structure,
        "event": _event,
        "floor": _floor,
    }[scene](draw, rng, broken)
    if kind == "during":
        _work_in_progress(draw, rng)
    _label(draw, kind, title, place, local_time, code)
    out = BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def add_photo(
    session: Session,
    ctx: SeedContext,
    *,
    kind: str,
    category: str,
    title: str,
    place: str,
    at: dt.datetime,
    code: str,
    caption: str = "",
    **subject: int | None,
) -> None:
    """Draw, store and attach one photo taken at ``at`` (naive UTC) to ``subject``."""
    data = draw_photo(
        kind=kind,
        category=category,
        title=title,
        place=place,
        local_time=ctx.local(at),
        code=code,
    )
    photo = store_photo(
        session=session,
        data=data,
        media_dir=ctx.media_dir,
        taken_at=at - dt.timedelta(minutes=2),
        uploaded_at=at,
    )
    attach_photo(
        session=session,
        photo=photo,
        kind=kind,
        attached_at=at,
        caption=caption or title,
        **subject,
    )


# --- scenes ------------------------------------------------------------------------------------
def _jitter(rng: random.Random, colour: tuple[int, int, int], amount: int = 12) -> tuple[int, ...]:
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in colour)


def _wall_and_floor(
    draw: ImageDraw.ImageDraw, rng: random.Random, wall: tuple[int, int, int]
) -> None:
    draw.rectangle((0, 0, 640, 300), fill=_jitter(rng, wall))
    draw.rectangle((0, 300, 640, 480), fill=_jitter(rng, (170, 160, 150)))
    for x in range(0, 640, 80):
        draw.line((x, 300, x - 60, 480), fill=(150, 140, 130), width=2)


def _stains(draw: ImageDraw.ImageDraw, rng: random.Random, colour: tuple[int, int, int]) -> None:
    for _ in range(rng.randint(5, 10)):
        x, y = rng.randint(20, 600), rng.randint(300, 420)
        w, h = rng.randint(20, 70), rng.randint(8, 25)
        draw.ellipse((x, y, x + w, y + h), fill=_jitter(rng, colour, 20))


def _sparkles(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    for _ in range(rng.randint(3, 6)):
        x, y = rng.randint(40, 600), rng.randint(40, 380)
        draw.line((x - 8, y, x + 8, y), fill=(255, 255, 230), width=2)
        draw.line((x, y - 8, x, y + 8), fill=(255, 255, 230), width=2)


def _water(draw: ImageDraw.ImageDraw, rng: random.Random, broken: bool) -> None:
    _wall_and_floor(draw, rng, (225, 220, 205))
    pipe = (140, 140, 145) if broken else (190, 195, 200)
    y = rng.randint(120, 180)
    draw.rectangle((60, y, 580, y + 28), fill=pipe, outline=(90, 90, 95), width=2)
    x = rng.randint(200, 440)
    draw.rectangle((x, y + 28, x + 28, 300), fill=pipe, outline=(90, 90, 95), width=2)
    if broken:
        for _ in range(rng.randint(4, 8)):
            dx, dy = rng.randint(-12, 40), rng.randint(40, 160)
            draw.ellipse((x + dx, y + dy, x + dx + 8, y + dy + 14), fill=(70, 130, 210))
        draw.ellipse((x - 120, 330, x + 160, 400), fill=(90, 140, 200))
        _stains(draw, rng, (120, 90, 60))
    else:
        _sparkles(draw, rng)


def _light(draw: ImageDraw.ImageDraw, rng: random.Random, broken: bool) -> None:
    dark = (40, 40, 55) if broken else (90, 90, 110)
    draw.rectangle((0, 0, 640, 480), fill=_jitter(rng, dark))
    draw.rectangle((0, 330, 640, 480), fill=_jitter(rng, (70, 70, 80)))
    for x in (rng.randint(100, 200), rng.randint(400, 540)):
        draw.line((x, 0, x, 90), fill=(160, 160, 160), width=4)
        if broken:
            draw.ellipse((x - 30, 90, x + 30, 150), fill=(110, 110, 110), outline=(60, 60, 60))
        else:
            draw.ellipse((x - 90, 50, x + 90, 200), fill=(150, 140, 90))
            draw.ellipse((x - 30, 90, x + 30, 150), fill=(255, 240, 150))


def _doors(draw: ImageDraw.ImageDraw, rng: random.Random, broken: bool) -> None:
    _wall_and_floor(draw, rng, (200, 205, 210))
    gap = rng.randint(25, 60) if broken else 2
    draw.rectangle(
        (180, 60, 320 - gap // 2, 330), fill=(175, 180, 185), outline=(100, 100, 100), width=3
    )
    draw.rectangle(
        (320 + gap // 2, 60, 460, 330), fill=(175, 180, 185), outline=(100, 100, 100), width=3
    )
    draw.rectangle((490, 160, 530, 230), fill=(60, 60, 60))
    light = (220, 40, 40) if broken else (40, 200, 80)
    draw.ellipse((500, 170, 520, 190), fill=light)
    if broken:
        draw.line((200, 80, 440, 310), fill=(200, 30, 30), width=8)
        draw.line((440, 80, 200, 310), fill=(200, 30, 30), width=8)


def _garden(draw: ImageDraw.ImageDraw, rng: random.Random, broken: bool) -> None:
    draw.rectangle((0, 0, 640, 200), fill=_jitter(rng, (150, 200, 235)))
    draw.rectangle((0, 200, 640, 480), fill=_jitter(rng, (80, 160, 70)))
    for _ in range(rng.randint(2, 4)):
        x = rng.randint(40, 600)
        draw.rectangle((x - 6, 120, x + 6, 220), fill=(110, 80, 50))
        draw.ellipse((x - 45, 60, x + 45, 150), fill=_jitter(rng, (50, 130, 60)))
    if broken:
        for _ in range(rng.randint(4, 8)):
            x, y = rng.randint(0, 600), rng.randint(230, 440)
            draw.ellipse(
                (x, y, x + rng.randint(40, 110), y + rng.randint(20, 45)), fill=(150, 120, 70)
            )
    else:
        for _ in range(rng.randint(8, 14)):
            x, y = rng.randint(10, 630), rng.randint(240, 450)
            colour = rng.choice(((230, 80, 90), (250, 210, 60), (250, 250, 250)))
            draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=colour)


def _structure(draw: ImageDraw.ImageDraw, rng: random.Random, broken: bool) -> None:
    _wall_and_floor(draw, rng, (215, 225, 230))
    colour = (150, 110, 80) if broken else (90, 150, 200)
    draw.rectangle((120, 180, 520, 220), fill=colour, outline=(60, 60, 60), width=2)
    for x in (150, 490):
        draw.rectangle((x - 8, 220, x + 8, 330), fill=(90, 90, 90))
    if broken:
        x, y = rng.randint(200, 400), 180
        points = [(x, y)]
        for _ in range(6):
            x, y = x + rng.randint(-15, 25), y + rng.randint(5, 20)
            points.append((x, y))
        draw.line(points, fill=(40, 30, 20), width=4)
        _stains(draw, rng, (140, 90, 50))
    else:
        _sparkles(draw, rng)


def _event(draw: ImageDraw.ImageDraw, rng: random.Random, broken: bool) -> None:
    draw.rectangle((0, 0, 640, 260), fill=_jitter(rng, (160, 210, 240)))
    draw.rectangle((0, 260, 640, 480), fill=_jitter(rng, (120, 175, 90)))
    for x in range(0, 640, 40):
        colour = rng.choice(((230, 60, 60), (250, 200, 50), (60, 140, 230), (80, 190, 90)))
        draw.polygon([(x, 40), (x + 40, 40), (x + 20, 75)], fill=colour)
    draw.rectangle((200, 150, 440, 300), fill=(240, 240, 235), outline=(150, 60, 40), width=4)
    for _ in range(rng.randint(5, 12)):
        x = rng.randint(30, 600)
        draw.ellipse((x, 300, x + 24, 324), fill=(60, 50, 40))
        draw.rectangle((x + 2, 324, x + 22, 380), fill=_jitter(rng, (70, 100, 160), 60))


def _floor(draw: ImageDraw.ImageDraw, rng: random.Random, broken: bool) -> None:
    _wall_and_floor(draw, rng, (230, 225, 215))
    if broken:
        for _ in range(rng.randint(6, 14)):
            x, y = rng.randint(20, 600), rng.randint(310, 440)
            size = rng.randint(10, 35)
            points = [
                (x + rng.randint(-size, size), y + rng.randint(-size, size)) for _ in range(5)
            ]
            draw.polygon(points, fill=_jitter(rng, (110, 95, 70), 30))
        _stains(draw, rng, (90, 80, 60))
    else:
        _sparkles(draw, rng)


def _work_in_progress(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """Traffic cones and a toolbox: someone is on it."""
    for _ in range(2):
        x = rng.randint(40, 580)
        draw.polygon([(x, 390), (x + 40, 390), (x + 20, 320)], fill=(245, 120, 20))
        draw.rectangle((x + 8, 355, x + 32, 362), fill="white")
    x = rng.randint(200, 420)
    draw.rectangle((x, 350, x + 90, 392), fill=(200, 40, 40), outline=(90, 20, 20), width=2)
    draw.rectangle((x + 30, 338, x + 60, 350), outline=(90, 20, 20), width=4)


# --- label ---------------------------------------------------------------------------------------
def _label(
    draw: ImageDraw.ImageDraw,
    kind: str,
    title: str,
    place: str,
    local_time: dt.datetime,
    code: str,
) -> None:
    tag, colour = KIND_LABELS[kind]
    stamp = local_time.strftime("%Y-%m-%d %H:%M")
    big, small = _font(26), _font(18)
    draw.rectangle((0, 400, 640, 480), fill=(25, 25, 30))
    draw.rectangle((0, 0, 150, 44), fill=colour)
    if big is None or small is None:
        # No CJK font on this machine: an ASCII label keeps the picture unique and readable.
        fallback = ImageFont.load_default()
        draw.text((10, 12), kind.upper(), fill="white", font=fallback)
        draw.text((12, 420), f"{code}  {stamp}", fill="white", font=fallback)
        return
    draw.text((12, 6), tag, fill="white", font=big)
    draw.text((12, 406), title[:24], fill="white", font=big)
    draw.text((12, 446), f"{place[:20]}  {stamp}  {code}", fill=(210, 210, 210), font=small)
