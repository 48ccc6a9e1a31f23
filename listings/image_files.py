"""Pictures of a result: what an upload must be, and its thumbnail (Pillow, no Flask, no DB).

The type was sniffed from the first bytes by `core.storage.upload.receive`; here Pillow
reads the header and must agree, the dimensions are bounded before any pixel is decoded
(a small file may claim a huge canvas), and the thumbnail is drawn from the decoded image.

What is kept is not the file as uploaded but the picture drawn again, upright: a phone's
photo carries EXIF (where it was taken, the camera's serial number, the author), XMP and
comments that a published listing must not give away. Only the colour profile stays.

Pillow is imported when a picture is read (its imaging library is 9 MB of a web
worker that may never see an upload).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from core.domain import N_, ValidationFailed

if TYPE_CHECKING:
    from PIL import Image

IMAGE_TYPES: dict[str, str] = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
# Pillow's name for a JPEG a phone wrote with more pictures after the first (MPF: a depth
# map, a gain map): it is a JPEG; its first picture is kept.
_READ_AS: dict[str, frozenset[str]] = {
    **{mime: frozenset({name}) for mime, name in IMAGE_TYPES.items()},
    "image/jpeg": frozenset({"JPEG", "MPO"}),
}
THUMB_BOX = (480, 360)
THUMB_TYPE = "image/webp"
MAX_ALT_CHARS = 300
# How the picture is written again, by format: good enough not to be seen, no metadata.
_SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "JPEG": {"quality": 90},
    "PNG": {},
    "WEBP": {"quality": 90, "method": 4},
}


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


@dataclass(frozen=True)
class Picture:
    """An accepted upload: the file to keep (upright, no metadata), its size, its thumbnail."""

    body: bytes
    width: int
    height: int
    thumbnail: Thumbnail


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


def read_image(body: IO[bytes], content_type: str, limits: ImageLimits) -> Picture:
    """The picture to keep and its thumbnail; ValidationFailed if it is not acceptable.

    The EXIF orientation is applied before the metadata goes, so a photo taken with the
    phone held upright is kept upright (its width and height as a browser shows them).
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    check_image_type(content_type)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(body) as image:
                if image.format not in _READ_AS[content_type]:
                    raise _unreadable()
                check_dimensions(*image.size, limits)
                ImageOps.exif_transpose(image, in_place=True)
                width, height = image.size
                clean = _without_metadata(image, IMAGE_TYPES[content_type])
                thumbnail = _thumbnail(image)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise _unreadable() from error
    except Image.DecompressionBombWarning as error:
        raise _unreadable() from error
    return Picture(clean, width, height, thumbnail)


# What a picture's header may hold that a published listing must not give away.
_METADATA_KEYS = frozenset(
    {"exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "mp", "mpoffset"}
)


def carries_metadata(body: bytes) -> bool:
    """Whether a stored picture still holds EXIF, XMP, comments, a PNG's text chunks or a
    phone's second picture (pictures stored before uploads were drawn again did)."""
    from PIL import Image

    with Image.open(io.BytesIO(body)) as image:
        text = getattr(image, "text", None)  # a PNG's chunks, those after the pixels too
        return (
            image.format == "MPO"
            or bool(_METADATA_KEYS & image.info.keys())
            or bool(text)
            or bool(image.getexif())
        )


def redraw(body: bytes, content_type: str) -> bytes:
    """A stored picture drawn again as uploads are kept now: upright, without metadata.

    Its width and height as a browser shows it do not change (they were measured upright).
    """
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(body)) as image:
        ImageOps.exif_transpose(image, in_place=True)
        return _without_metadata(image, IMAGE_TYPES[content_type])


def _without_metadata(image: Image.Image, image_format: str) -> bytes:
    """The decoded picture written again in its format: pixels, colour profile and (for a
    palette) its transparent colour only; no EXIF, XMP, comments or text chunks."""
    kept: dict[str | tuple[int, int], Any] = {
        key: image.info[key] for key in ("icc_profile", "transparency") if key in image.info
    }
    image.info = kept  # some writers copy what the image read (a JPEG's comment, a PNG's profile)
    options = dict(_SAVE_OPTIONS[image_format])
    if "icc_profile" in kept:
        options["icc_profile"] = kept["icc_profile"]
    out = io.BytesIO()
    image.save(out, image_format, **options)
    return out.getvalue()


def _thumbnail(image: Image.Image) -> Thumbnail:
    """Within THUMB_BOX, as WebP without metadata; the image (upright already) is shrunk
    in place, after its full-size copy was written."""
    image.thumbnail(THUMB_BOX)
    small = image
    if small.mode not in ("RGB", "RGBA"):
        small = small.convert(
            "RGBA" if "A" in small.getbands() or "transparency" in small.info else "RGB"
        )
    out = io.BytesIO()
    small.save(out, "WEBP", quality=80, method=2)
    return Thumbnail(out.getvalue(), small.width, small.height)
