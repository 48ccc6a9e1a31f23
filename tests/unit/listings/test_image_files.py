"""What a listing picture must be: its type read by content, its size and its description."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms, PngImagePlugin

from core.domain import ValidationFailed
from listings.image_files import (
    THUMB_BOX,
    ImageLimits,
    carries_metadata,
    check_alt_texts,
    check_dimensions,
    read_image,
    redraw,
)

SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
LIMITS = ImageLimits(max_bytes=1_000_000, min_edge=120, max_edge=2000, max_pixels=3_000_000)


def _picture(size: tuple[int, int], fmt: str = "PNG", mode: str = "RGB") -> io.BytesIO:
    out = io.BytesIO()
    Image.new(mode, size, "#3a7").save(out, fmt)
    out.seek(0)
    return out


def _pixel(image: Image.Image, at: tuple[int, int]) -> tuple[int, ...]:
    value = image.getpixel(at)
    assert isinstance(value, tuple)
    return value


def test_a_photo_is_measured_and_gets_a_small_webp_thumbnail() -> None:
    picture = read_image(_picture((1600, 900), "JPEG"), "image/jpeg", LIMITS)
    assert (picture.width, picture.height) == (1600, 900)
    thumb = picture.thumbnail
    assert thumb.width <= THUMB_BOX[0] and thumb.height <= THUMB_BOX[1]
    assert thumb.width / thumb.height == pytest.approx(16 / 9, rel=0.02)
    assert Image.open(io.BytesIO(thumb.body)).format == "WEBP"
    assert Image.open(io.BytesIO(picture.body)).format == "JPEG"


@pytest.mark.parametrize("fmt,mime", [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_png_with_a_palette_and_webp_with_transparency_keep_their_see_through_parts(
    fmt: str, mime: str
) -> None:
    drawing = Image.new("RGBA", (300, 200), (51, 170, 119, 255))
    drawing.paste((0, 0, 0, 0), (0, 0, 150, 200))  # the left half transparent
    if fmt == "PNG":
        drawing = drawing.quantize(colors=4)  # a palette, one colour of it transparent
    body = io.BytesIO()
    drawing.save(body, fmt)
    body.seek(0)
    picture = read_image(body, mime, LIMITS)
    assert picture.width == 300 and picture.thumbnail.body
    kept = Image.open(io.BytesIO(picture.body)).convert("RGBA")
    assert _pixel(kept, (10, 10))[3] == 0 and _pixel(kept, (290, 10))[3] == 255


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


def _photo_with_metadata(fmt: str) -> io.BytesIO:
    """A photo as a phone writes it: held upright (orientation 6), with where it was taken,
    the camera's serial number, the author, a colour profile, and (JPEG) XMP and a comment.

    Its left half is red, its right half blue: shown upright, red is on top."""
    photo = Image.new("RGB", (800, 400), "#1040c0")
    photo.paste((200, 30, 30), (0, 0, 400, 400))
    exif = photo.getexif()
    exif[0x0112] = 6  # turn 90° clockwise to show it
    exif[0x013B] = "Wang Wei"  # Artist
    exif.get_ifd(0x8769)[0xA431] = "SN-4471-0099"  # Exif IFD: BodySerialNumber
    exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 13.0, 5.5), 3: "E", 4: (121.0, 28.0, 1.2)})
    extra: dict[str, object] = {"exif": exif, "icc_profile": SRGB}
    if fmt == "JPEG":
        extra |= {"xmp": b"<x:xmpmeta><dc:creator>Wang Wei</dc:creator></x:xmpmeta>"}
        extra |= {"comment": b"Lab 3, bench 2"}
    if fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", "Wang Wei")
        extra["pnginfo"] = text
    body = io.BytesIO()
    photo.save(body, fmt, **extra)
    body.seek(0)
    return body


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_photo_is_kept_upright_without_its_metadata_but_with_its_colours(fmt: str) -> None:
    uploaded = _photo_with_metadata(fmt)
    assert Image.open(uploaded).getexif().get_ifd(0x8825)  # it did carry a position
    picture = read_image(uploaded, f"image/{fmt.lower()}", LIMITS)
    kept = Image.open(io.BytesIO(picture.body))
    assert kept.format == fmt and kept.size == (400, 800) == (picture.width, picture.height)
    assert not kept.getexif() and "exif" not in kept.info
    assert not {"xmp", "XML:com.adobe.xmp", "comment", "Author"} & kept.info.keys()
    for text in (b"Wang Wei", b"SN-4471", b"bench"):
        assert text not in picture.body
    assert kept.info.get("icc_profile") == SRGB
    rgb = kept.convert("RGB")
    assert _pixel(rgb, (200, 100))[0] > 150 and _pixel(rgb, (200, 700))[2] > 150  # red on top
    thumb = Image.open(io.BytesIO(picture.thumbnail.body))
    assert thumb.size == (180, 360) and not thumb.getexif()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_stored_photo_with_metadata_is_seen_and_drawn_again_as_an_upload_is_kept(
    fmt: str,
) -> None:
    stored = _photo_with_metadata(fmt).getvalue()
    assert carries_metadata(stored)
    again = redraw(stored, f"image/{fmt.lower()}")
    assert not carries_metadata(again) and b"Wang Wei" not in again
    assert again == read_image(io.BytesIO(stored), f"image/{fmt.lower()}", LIMITS).body
    assert not carries_metadata(_picture((300, 200), fmt).getvalue())  # a plain picture


def test_a_photo_turned_by_its_exif_orientation_is_measured_and_thumbnailed_upright() -> None:
    photo = Image.new("RGB", (800, 400), "#a33")
    exif = photo.getexif()
    exif[0x0112] = 6  # the camera was held upright: turn 90° clockwise to show it
    body = io.BytesIO()
    photo.save(body, "JPEG", exif=exif)
    body.seek(0)
    picture = read_image(body, "image/jpeg", LIMITS)
    assert (picture.width, picture.height) == (400, 800)
    assert (picture.thumbnail.width, picture.thumbnail.height) == (180, 360)


def test_a_phone_jpeg_with_a_second_picture_is_kept_as_its_first_picture_without_metadata() -> None:
    first, depth_map = Image.new("RGB", (800, 400), "#a33"), Image.new("L", (800, 400), 90)
    exif = first.getexif()
    exif[0x0112], exif[0x013B] = 6, "Wang Wei"
    body = io.BytesIO()
    first.save(body, "MPO", save_all=True, append_images=[depth_map.convert("RGB")], exif=exif)
    body.seek(0)
    assert Image.open(body).format == "MPO"
    picture = read_image(body, "image/jpeg", LIMITS)
    kept = Image.open(io.BytesIO(picture.body))
    assert (kept.format, kept.size, getattr(kept, "n_frames", 1)) == ("JPEG", (400, 800), 1)
    assert not kept.getexif() and b"Wang Wei" not in picture.body
