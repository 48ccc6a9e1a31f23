"""REST endpoints of a listing's pictures: list them, upload (multipart), fetch, remove.

Attached to the listings API blueprint (imported by the shell before it registers it).
Reads are for whoever may see the listing; writes are the owner's, on a draft.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Response

from accounts.auth import api_actor, api_writer
from core.api_kit import View, upload_args
from core.clock import now
from core.uow import unit_of_work
from listings import images
from listings.api import NOT_DRAFT, NOT_OWNER, blp, removal_from_draft, removed_copy
from listings.api_schemas import ImageFileSchema, ImageFormSchema, ImageOutSchema
from listings.image_files import IMAGE_TYPES, THUMB_TYPE
from listings.image_views import image_folder, image_limits, send_image


@blp.read("/<int:listing_id>/images", ImageOutSchema(many=True), 404)
def list_images(listing_id: int) -> Any:
    """The listing's pictures in order, with their descriptions and URLs."""
    return images.images_of(api_actor(), listing_id)


@blp.write(
    "/<int:listing_id>/images",
    201,
    ImageOutSchema,
    NOT_OWNER,
    404,
    NOT_DRAFT,
    (413, "Larger than MAX_IMAGE_BYTES"),
    (
        422,
        "Not a PNG, JPEG or WebP image; too small or too large; no description in a "
        "language of the listing; the listing has its IMAGES_PER_LISTING",
    ),
    args=ImageFormSchema,
    files=ImageFileSchema,
)
def add_image(form: dict[str, Any], files: dict[str, Any], listing_id: int) -> Any:
    """Attach a picture to a draft (multipart: `file`, `alt_zh`, `alt_en`)."""
    with unit_of_work():
        return images.add_image(
            api_writer(),
            listing_id,
            **upload_args(files),
            alt_zh=form.get("alt_zh"),
            alt_en=form.get("alt_en"),
            folder=image_folder(),
            limits=image_limits(),
            now=now(),
        )


def _file_route(suffix: str, types: Iterable[str], what: str) -> Callable[[View], View]:
    """The declaration of a picture's download (the image itself or its thumbnail)."""
    rule = f"/<int:listing_id>/images/<int:image_id>{suffix}"
    return blp.download(rule, types, what, (404, "No such image"))


@_file_route("/file", IMAGE_TYPES, "The picture as uploaded")
def image_file(listing_id: int, image_id: int) -> Response:
    """Download a picture (whoever may see the listing)."""
    return send_image(images.visible_image(api_actor(), listing_id, image_id), thumbnail=False)


@_file_route("/thumbnail", [THUMB_TYPE], "The picture within 480 × 360 pixels, as WebP")
def image_thumbnail(listing_id: int, image_id: int) -> Response:
    """Download a picture's thumbnail (whoever may see the listing)."""
    return send_image(images.visible_image(api_actor(), listing_id, image_id), thumbnail=True)


@removal_from_draft("/<int:listing_id>/images/<int:image_id>", ImageOutSchema)
def remove_image(listing_id: int, image_id: int) -> Any:
    """Remove a picture from a draft; the removed picture is returned."""
    actor = api_writer()
    with unit_of_work():
        found = images.visible_image(actor, listing_id, image_id)
        gone = removed_copy(
            found,
            ImageOutSchema(),
            alt=lambda locale, zh=found.alt_zh, en=found.alt_en: (
                (en if locale.startswith("en") else zh) or zh or en or ""
            ),
        )
        images.remove_image(actor, image_id, folder=image_folder(), now=now())
    return gone
