"""Pictures of a result: what an upload must be, and its thumbnail (Pillow, no Flask, no DB).

The type was sniffed from the first bytes by `core.storage.upload.receive`; here Pillow
reads the header and must agree, the dimensions are bounded before any pixel is decoded
(a small file may claim a huge canvas), and the thumbnail is drawn from the decoded image.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageOps, UnidentifiedImageError

from core.domain import N_, ValidationFailed

IMAGE_TYPES: dict[str, str] = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
THUMB_BOX = (480, 360)
THUMB_TYPE = "image/webp"
MAX_ALT_CHARS = 300
_ORIENTATION = 0x0112  # the EXIF tag; 5 to 8 turn the picture a quarter
_QUARTER_TURNS = frozenset({5, 6, 7, 8})


@dataclass(frozen=True)
class ImageLimits:
    """How large an image may be (config: MAX_IMAGE_BYTES, IMAGE_MIN_EDGE, IMAGE_MAX_EDGE…)."""

    max_bytes: int = 5 * 1024 * 1024
    min_edge: int = 120
    max_edge: int = 6000
    max_pixels: int = 24_000_000
    per_listing: int = 8


@dataclass(frozen=True)
class Thumbnail:
    """A small WebP of an image, for cards and search results."""

    body: bytes
    width: int
    height: int


def check_image_type(content_type: str) -> None:
    """ValidationFailed unless the sniffed type is a picture the pages can show."""
    if content_type not in IMAGE_TYPES:
        raise ValidationFailed(N_("Only PNG, JPEG or WebP images are accepted."), field="file")


def check_alt_texts(alt_zh: str | None, alt_en: str | None, *, zh: bool, en: bool) -> None:
    """A description is required in each language the listing is written in, bounded."""
    for text, wanted, name in ((alt_zh, zh, "alt_zh"), (alt_en, en, "alt_en")):
        if wanted and not (text or "").strip():
            raise ValidationFailed(
                N_(
                    "Describe the image for people who cannot see it, in each language of the listing."
                ),
                field=name,
            )
        if text and len(text) > MAX_ALT_CHARS:
            raise ValidationFailed(
                N_("A description has at most %(limit)s characters."),
                field=name,
                limit=MAX_ALT_CHARS,
            )


def check_dimensions(width: int, height: int, limits: ImageLimits) -> None:
    """ValidationFailed for an image too small to read or too large to show."""
    if min(width, height) < limits.min_edge:
        raise ValidationFailed(
            N_("The image is too small: each side needs at least %(edge)s pixels."),
            field="file",
            edge=limits.min_edge,
        )
    if max(width, height) > limits.max_edge or width * height > limits.max_pixels:
        raise ValidationFailed(
            N_("The image is too large: at most %(edge)s pixels a side."),
            field="file",
            edge=limits.max_edge,
        )


def _unreadable() -> ValidationFailed:
    return ValidationFailed(N_("The image cannot be read; is the file damaged?"), field="file")


def read_image(
    body: IO[bytes], content_type: str, limits: ImageLimits
) -> tuple[int, int, Thumbnail]:
    """The image's width and height and its thumbnail; ValidationFailed if it is not acceptable.

    `body` is rewound afterwards, to be stored as uploaded.
    """
    check_image_type(content_type)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(body) as image:
                if image.format != IMAGE_TYPES[content_type]:
                    raise _unreadable()
                width, height = image.size
                check_dimensions(width, height, limits)
                if image.getexif().get(_ORIENTATION, 1) in _QUARTER_TURNS:
                    width, height = height, width  # as browsers show it, upright
                thumbnail = _thumbnail(image)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise _unreadable() from error
    except Image.DecompressionBombWarning as error:
        raise _unreadable() from error
    finally:
        body.seek(0)
    return width, height, thumbnail


def _thumbnail(image: Image.Image) -> Thumbnail:
    """Upright (EXIF orientation applied), within THUMB_BOX, as WebP without metadata.

    The opened image is shrunk in place (no full-size copy); the box is applied again
    after turning, as a quarter turn swaps width and height.
    """
    image.thumbnail(THUMB_BOX)
    small = ImageOps.exif_transpose(image)
    small.thumbnail(THUMB_BOX)
    if small.mode not in ("RGB", "RGBA"):
        small = small.convert(
            "RGBA" if "A" in small.getbands() or "transparency" in small.info else "RGB"
        )
    out = io.BytesIO()
    small.save(out, "WEBP", quality=80, method=2)
    return Thumbnail(out.getvalue(), small.width, small.height)
