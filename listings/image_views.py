"""Pictures of a listing on the pages: upload and removal in the editor, the files themselves.

Attached to the listings blueprint (imported by the shell before it registers it).
"""

from __future__ import annotations

from pathlib import Path

from flask import redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from core.clock import now
from core.files import send_document
from core.forms import attempt, uploaded_file
from core.storage import area_folder
from listings import images
from listings.image_files import THUMB_TYPE
from listings.models import ListingImage
from listings.rules import ListingStatus
from listings.views import bp, image_limits

# Stored names are random and a picture never changes under its name: a published
# listing's pictures may be cached anywhere; a draft's stay private.
PUBLIC_CACHE = "public, max-age=86400"
PRIVATE_CACHE = "private, no-store"


def image_folder() -> Path:
    """The document area of listing pictures (UPLOAD_FOLDER/images)."""
    return area_folder("images")


def send_image(image: ListingImage, *, thumbnail: bool) -> Response:
    """The picture or its thumbnail, cacheable once the listing is public."""
    public = image.listing.status == ListingStatus.PUBLISHED
    return send_document(
        image_folder(),
        image.thumb_name if thumbnail else image.stored_name,
        content_type=THUMB_TYPE if thumbnail else image.content_type,
        download_name=image.original_name,
        cache=PUBLIC_CACHE if public else PRIVATE_CACHE,
    )


@bp.post("/listings/<int:listing_id>/images")
@login_required
def upload_image(listing_id: int) -> Response:
    """Attach a picture to a draft, with its description in the listing's languages."""

    def attach() -> None:
        upload = uploaded_file("file")
        images.add_image(
            current_user,
            listing_id,
            stream=upload.stream,
            filename=upload.filename,
            alt_zh=request.form.get("alt_zh"),
            alt_en=request.form.get("alt_en"),
            folder=image_folder(),
            limits=image_limits(),
            now=now(),
        )

    attempt(attach, success=_("Image added."))
    return redirect(url_for("listings.edit", listing_id=listing_id) + "#images")


@bp.post("/listings/<int:listing_id>/images/<int:image_id>/delete")
@login_required
def delete_image(listing_id: int, image_id: int) -> Response:
    """Remove a picture from a draft."""
    images.visible_image(current_user, listing_id, image_id)
    attempt(
        lambda: images.remove_image(current_user, image_id, folder=image_folder(), now=now()),
        success=_("Image removed."),
        category="info",
    )
    return redirect(url_for("listings.edit", listing_id=listing_id) + "#images")


@bp.route("/listings/<int:listing_id>/images/<int:image_id>")
def image_file(listing_id: int, image_id: int) -> Response:
    """A listing's picture, to whoever may see the listing."""
    return send_image(images.visible_image(current_user, listing_id, image_id), thumbnail=False)


@bp.route("/listings/<int:listing_id>/images/<int:image_id>/thumbnail")
def image_thumbnail(listing_id: int, image_id: int) -> Response:
    """A listing's picture, small (cards and search results)."""
    return send_image(images.visible_image(current_user, listing_id, image_id), thumbnail=True)
