"""The demo's figures, drawn with Pillow from each result's own data (our own work, Apache-2.0).

Nothing is downloaded: charts take the listing's numbers, schematics its labels. Text
uses Pillow's bundled font, so every machine draws the same bytes. Kinds: a bar chart
(state of the art against this result), a cross-section of layers, a block diagram, a
molecule-like sketch and a field trial's plots.
"""

from __future__ import annotations

import functools
import io
import itertools
import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFont

from marketplace.demo.records import Picture

SIZE = (960, 600)
INK = "#1f2937"
MUTED = "#6b7280"
BASE = "#9ca3af"
OURS = "#1d4ed8"
PALETTE = ("#1d4ed8", "#0f766e", "#b45309", "#7c3aed", "#be123c", "#15803d")
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@functools.cache
def _font(size: int) -> Font:
    return ImageFont.load_default(size=size)


def _number(value: float, unit: str) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text}{unit}"


def _centred(
    draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, font: Font, fill: str = INK
) -> None:
    draw.text(xy, text, font=font, fill=fill, anchor="mm")


def _nice_step(rough: float) -> float:
    """The gridline step a person would choose: 1, 2, 2.5, 3, 4 or 5 times a power of ten."""
    power = 10 ** math.floor(math.log10(rough)) if rough > 0 else 1
    return next(m * power for m in (1, 2, 2.5, 3, 4, 5, 10) if m * power >= rough)


def _chart(draw: ImageDraw.ImageDraw, picture: Picture, rng: random.Random) -> None:
    before, after = picture.values
    step = _nice_step(max(before, after) * 1.1 / 4)
    top = step * 4
    floor_y, height = 500, 360
    _centred(draw, (480, 50), picture.labels[0].capitalize(), _font(30))
    draw.line((120, floor_y, 860, floor_y), fill=INK, width=3)
    for n in range(1, 5):
        y = floor_y - height * n / 4
        draw.line((120, y, 860, y), fill="#e5e7eb", width=1)
        draw.text((110, y), _number(top * n / 4, ""), font=_font(16), fill=MUTED, anchor="rm")
    bars = (("State of the art", before, BASE), ("This result", after, OURS))
    for n, (label, value, colour) in enumerate(bars):
        left = 230 + n * 300
        y = floor_y - height * value / top
        draw.rectangle((left, y, left + 200, floor_y), fill=colour)
        _centred(draw, (left + 100, y - 22), _number(value, picture.unit), _font(26))
        _centred(draw, (left + 100, floor_y + 30), label, _font(22), MUTED if n == 0 else OURS)


def _layers(draw: ImageDraw.ImageDraw, picture: Picture, rng: random.Random) -> None:
    _centred(draw, (480, 45), "Cross-section (not to scale)", _font(26), MUTED)
    count = len(picture.labels)
    y = 90
    for n, label in enumerate(picture.labels):
        thickness = rng.randint(50, 110) if count > 3 else 130
        colour = PALETTE[n % len(PALETTE)]
        draw.rectangle((90, y, 560, y + thickness), fill=colour, outline="white", width=2)
        if n % 2:  # a texture, so neighbouring layers differ without colour too
            for x in range(90, 560, 18):
                draw.line((x, y, x + 12, y + thickness), fill="white", width=1)
        draw.line((560, y + thickness / 2, 610, y + thickness / 2), fill=INK, width=2)
        draw.text((620, y + thickness / 2), label, font=_font(24), fill=INK, anchor="lm")
        y += thickness
        if y > 540:
            break


def _blocks(draw: ImageDraw.ImageDraw, picture: Picture, rng: random.Random) -> None:
    labels = picture.labels
    columns = min(len(labels), 3)
    rows = math.ceil(len(labels) / columns)
    width, height = 230, 90
    gap_x = (SIZE[0] - columns * width) / (columns + 1)
    gap_y = (SIZE[1] - rows * height) / (rows + 1)
    centres = []
    for n, label in enumerate(labels):
        row, column = divmod(n, columns)
        if row % 2:  # a snake: the second row runs back, so each arrow stays short
            column = columns - 1 - column
        left = gap_x + column * (width + gap_x)
        top = gap_y + row * (height + gap_y)
        colour = PALETTE[n % len(PALETTE)]
        draw.rounded_rectangle(
            (left, top, left + width, top + height), 14, outline=colour, width=4, fill="#f8fafc"
        )
        _centred(draw, (left + width / 2, top + height / 2), label, _font(22))
        centres.append((left + width / 2, top + height / 2))
    for (x1, y1), (x2, y2) in itertools.pairwise(centres):
        _arrow(draw, (x1, y1), (x2, y2), width / 2 + 6, height / 2 + 6)


def _arrow(
    draw: ImageDraw.ImageDraw,
    start: tuple[float, float],
    end: tuple[float, float],
    half_w: float,
    half_h: float,
) -> None:
    (x1, y1), (x2, y2) = start, end
    if abs(y2 - y1) < 1:  # side by side
        sign = 1 if x2 > x1 else -1
        a, b = (x1 + sign * half_w, y1), (x2 - sign * half_w, y2)
    else:  # one below the other
        a, b = (x1, y1 + half_h), (x2, y2 - half_h)
    draw.line((*a, *b), fill=INK, width=3)
    angle = math.atan2(b[1] - a[1], b[0] - a[0])
    head = [
        b,
        (b[0] - 14 * math.cos(angle - 0.4), b[1] - 14 * math.sin(angle - 0.4)),
        (b[0] - 14 * math.cos(angle + 0.4), b[1] - 14 * math.sin(angle + 0.4)),
    ]
    draw.polygon(head, fill=INK)


def _molecule(draw: ImageDraw.ImageDraw, picture: Picture, rng: random.Random) -> None:
    rings = max(2, len(picture.labels))
    centres = [(200 + n * (560 / (rings - 1)), 300 + rng.randint(-60, 60)) for n in range(rings)]
    for (x1, y1), (x2, y2) in itertools.pairwise(centres):
        draw.line((x1, y1, x2, y2), fill=INK, width=5)
    for n, (x, y) in enumerate(centres):
        points = [
            (x + 70 * math.cos(math.pi / 3 * k), y + 70 * math.sin(math.pi / 3 * k))
            for k in range(6)
        ]
        draw.polygon(points, outline=PALETTE[n % len(PALETTE)], width=6, fill="#f8fafc")
        for px, py in points[::2]:
            draw.ellipse((px - 9, py - 9, px + 9, py + 9), fill=PALETTE[(n + 1) % len(PALETTE)])
        if n < len(picture.labels):
            _centred(draw, (x, y), picture.labels[n], _font(26))
    _centred(draw, (480, 540), "Structure sketch", _font(22), MUTED)


def _plots(draw: ImageDraw.ImageDraw, picture: Picture, rng: random.Random) -> None:
    ours, theirs = picture.values
    _centred(draw, (480, 40), "Field trial plots", _font(28))
    for row in range(4):
        for column in range(6):
            treated = (row + column) % 2 == 0
            mean = ours if treated else theirs
            value = mean * rng.uniform(0.95, 1.05)
            shade = int(200 - 120 * value / max(ours, theirs))
            fill = (shade // 3, shade, shade // 2) if treated else (shade, shade, shade // 2)
            left, top = 90 + column * 130, 80 + row * 100
            draw.rectangle((left, top, left + 120, top + 90), fill=fill, outline="white", width=3)
            _centred(draw, (left + 60, top + 45), f"{value:,.0f}", _font(20), "white")
    for n, (label, value) in enumerate(zip(picture.labels, picture.values, strict=False)):
        swatch = (40, 140, 70) if n == 0 else (150, 150, 75)
        draw.rectangle((150 + n * 360, 500, 180 + n * 360, 530), fill=swatch)
        draw.text(
            (195 + n * 360, 515),
            f"{label}: {_number(value, picture.unit)}",
            font=_font(22),
            fill=INK,
            anchor="lm",
        )


_DRAW: dict[str, Callable[[ImageDraw.ImageDraw, Picture, random.Random], None]] = {
    "chart": _chart,
    "layers": _layers,
    "blocks": _blocks,
    "molecule": _molecule,
    "plots": _plots,
}


def draw_png(picture: Picture, seed: int) -> bytes:
    """The figure as a PNG of SIZE pixels; the same picture and seed give the same bytes."""
    image = Image.new("RGB", SIZE, "white")
    _DRAW[picture.kind](ImageDraw.Draw(image), picture, random.Random(seed))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)  # fast: the demo loads at start-up
    return out.getvalue()
