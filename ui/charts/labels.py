"""Where a point's text label goes on a scatter (the patrol site plan), so that labels neither
overlap each other nor sit on another point.

Vega-Lite draws a text mark at a fixed pixel offset from its point and has no collision
avoidance; Vega's own ``label`` transform is not reachable from Vega-Lite. So the labels are
placed here, in pixels of the smallest plot the chart is drawn at (a phone's column): each label
tries above, below, right and left of its point in turn and takes the first place that is free
and inside the plot; with none free it falls back to the point's number (short) in the least
crowded place. On a wider screen the same pixel offsets only move the points further apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Side = Literal["above", "below", "right", "left"]
SIDES: tuple[Side, ...] = ("above", "below", "right", "left")

# The pixel offset of a label from its point, and how the text is anchored there (Vega-Lite's
# dx, dy, align and baseline), one text layer per side.
SIDE_MARK: dict[Side, dict[str, object]] = {
    "above": {"dx": 0, "dy": -10, "align": "center", "baseline": "bottom"},
    "below": {"dx": 0, "dy": 10, "align": "center", "baseline": "top"},
    "right": {"dx": 10, "dy": 0, "align": "left", "baseline": "middle"},
    "left": {"dx": -10, "dy": 0, "align": "right", "baseline": "middle"},
}

FONT_SIZE = 11
DOT_RADIUS = 8  # a point of size 170 with its white ring


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlap(self, other: Box) -> float:
        width = min(self.right, other.right) - max(self.left, other.left)
        height = min(self.bottom, other.bottom) - max(self.top, other.top)
        return width * height if width > 0 and height > 0 else 0.0

    def inside(self, width: float, height: float) -> bool:
        return self.left >= 0 and self.top >= 0 and self.right <= width and self.bottom <= height


@dataclass(frozen=True)
class PlacedLabel:
    text: str
    side: Side
    box: Box  # in plot pixels, for tests and for the next label


def text_width(text: str) -> float:
    """Pixels at FONT_SIZE: a CJK character is about one em, Latin and digits about 0.6."""
    return sum(FONT_SIZE if ord(ch) > 0x2E7F else 0.6 * FONT_SIZE for ch in text)


def label_box(x: float, y: float, text: str, side: Side) -> Box:
    width, height = text_width(text), FONT_SIZE + 2
    mark = SIDE_MARK[side]
    ax, ay = x + float(mark["dx"]), y + float(mark["dy"])  # type: ignore[arg-type]
    left = {"center": ax - width / 2, "left": ax, "right": ax - width}[str(mark["align"])]
    top = {"bottom": ay - height, "top": ay, "middle": ay - height / 2}[str(mark["baseline"])]
    return Box(left, top, left + width, top + height)


def place_labels(
    points: list[tuple[float, float]],
    texts: list[str],
    short_texts: list[str],
    *,
    width: float,
    height: float,
) -> list[PlacedLabel]:
    """A place for each point's label; ``points`` in plot pixels (x right, y down)."""
    dots = [Box(x - DOT_RADIUS, y - DOT_RADIUS, x + DOT_RADIUS, y + DOT_RADIUS) for x, y in points]
    placed: list[PlacedLabel] = []

    def crowding(box: Box, own: int) -> float:
        on_dots = sum(box.overlap(dot) for i, dot in enumerate(dots) if i != own)
        return on_dots + sum(box.overlap(label.box) for label in placed)

    for i, ((x, y), text, short) in enumerate(zip(points, texts, short_texts, strict=True)):
        choice: PlacedLabel | None = None
        for candidate_text in (text, short):
            for side in SIDES:
                box = label_box(x, y, candidate_text, side)
                if box.inside(width, height) and crowding(box, i) == 0:
                    choice = PlacedLabel(candidate_text, side, box)
                    break
            if choice is not None:
                break
        if choice is None:
            side = min(SIDES, key=lambda s: crowding(label_box(x, y, short, s), i))
            choice = PlacedLabel(short, side, label_box(x, y, short, side))
        placed.append(choice)
    return placed
