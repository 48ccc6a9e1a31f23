"""What a listing picture must be: its type read by content, its size and its description."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from core.domain import ValidationFailed
from listings.image_files import (
    THUMB_BOX,
    ImageLimits,
    check_alt_texts,
    check_dimensions,
    read_image,
)

LIMITS = ImageLimits(max_bytes=1_000_000, min_edge=120, max_edge=2000, max_pixels=3_000_000)


def _picture(size: tuple[int, int], fmt: str = "PNG", mode: str = "RGB") -> io.BytesIO:
    out = io.BytesIO()
    Image.new(mode, size, "#3a7").save(out, fmt)
    out.seek(0)
    return out


def test_a_photo_is_measured_and_gets_a_small_webp_thumbnail() -> None:
    body = _picture((1600, 900), "JPEG")
    width, height, thumb = read_image(body, "image/jpeg", LIMITS)
    assert (width, height) == (1600, 900)
    assert thumb.width <= THUMB_BOX[0] and thumb.height <= THUMB_BOX[1]
    assert thumb.width / thumb.height == pytest.approx(16 / 9, rel=0.02)
    assert Image.open(io.BytesIO(thumb.body)).format == "WEBP"
    assert body.tell() == 0  # rewound: stored as uploaded


@pytest.mark.parametrize(
    "fmt,mime,mode", [("PNG", "image/png", "P"), ("WEBP", "image/webp", "RGBA")]
)
def test_png_with_a_palette_and_webp_with_transparency_are_accepted(
    fmt: str, mime: str, mode: str
) -> None:
    width, _, thumb = read_image(_picture((300, 200), fmt, mode), mime, LIMITS)
    assert width == 300 and thumb.body


def test_a_pdf_is_no_picture() -> None:
    with pytest.raises(ValidationFailed, match="PNG, JPEG or WebP"):
        read_image(io.BytesIO(b"%PDF-1.4"), "application/pdf", LIMITS)


def test_a_file_whose_content_is_not_the_type_sniffed_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="cannot be read"):
        read_image(_picture((300, 200), "PNG"), "image/jpeg", LIMITS)


def test_a_truncated_picture_is_refused() -> None:
    damaged = io.BytesIO(_picture((600, 400), "JPEG").getvalue()[:400])
    with pytest.raises(ValidationFailed, match="cannot be read"):
        read_image(damaged, "image/jpeg", LIMITS)


@pytest.mark.parametrize(
    "size,message",
    [((100, 400), "too small"), ((2001, 300), "too large"), ((1900, 1900), "too large")],
)
def test_dimensions_are_bounded_on_each_side_and_in_area(
    size: tuple[int, int], message: str
) -> None:
    with pytest.raises(ValidationFailed, match=message):
        check_dimensions(*size, LIMITS)


def test_a_small_file_claiming_a_huge_canvas_is_refused_before_decoding() -> None:
    body = _picture((8000, 8000), "PNG", "1")  # a few kB of PNG, 64 megapixels
    assert len(body.getvalue()) < 30_000
    with pytest.raises(ValidationFailed, match="too large"):
        read_image(body, "image/png", LIMITS)


def test_the_description_is_required_in_each_language_of_the_listing() -> None:
    check_alt_texts("电池截面示意图", None, zh=True, en=False)
    check_alt_texts("电池截面示意图", "Cross-section of the cell", zh=True, en=True)
    with pytest.raises(ValidationFailed) as missing:
        check_alt_texts("电池截面示意图", " ", zh=True, en=True)
    assert missing.value.field == "alt_en"
    with pytest.raises(ValidationFailed) as long:
        check_alt_texts("图" * 301, None, zh=True, en=False)
    assert long.value.field == "alt_zh"


def test_a_photo_turned_by_its_exif_orientation_is_measured_and_thumbnailed_upright() -> None:
    photo = Image.new("RGB", (800, 400), "#a33")
    exif = photo.getexif()
    exif[0x0112] = 6  # the camera was held upright: turn 90° clockwise to show it
    body = io.BytesIO()
    photo.save(body, "JPEG", exif=exif)
    body.seek(0)
    width, height, thumb = read_image(body, "image/jpeg", LIMITS)
    assert (width, height) == (400, 800)
    assert (thumb.width, thumb.height) == (180, 360)
