"""Pictures of a listing: upload to a draft, removal from a draft, showing them.

An image and its thumbnail are kept in the document store's `images` area; both go
again if the unit of work rolls back, and after the commit when the image is removed.
What is kept is the picture drawn again without its metadata (listings.image_files):
the uploaded file, with the place a photo was taken, is never stored.
Whoever may see the listing may see its images.
"""

from __future__ import annotations

import functools
import hashlib
import io
from datetime import datetime
from pathlib import Path
from typing import IO

from sqlalchemy import func, select

from accounts.models import User
from core import storage, uow
from core.domain import N_, DomainError, NotFound, ValidationFailed
from core.extensions import db
from core.service_kit import audit_action, flush_new, get_or_not_found
from listings.image_files import THUMB_TYPE, ImageLimits, check_alt_texts, read_image
from listings.models import Listing, ListingImage
from listings.rules import ListingStatus
from listings.services import can_view, get_listing, require_owner


def _require_draft(listing: Listing, message: str) -> None:
    if listing.status != ListingStatus.DRAFT:
        raise DomainError(message, code="not_editable")


def _check_room(listing: Listing, limits: ImageLimits) -> int:
    """The next position, or ValidationFailed when the listing has its share of images."""
    count, last = db.session.execute(
        select(func.count(ListingImage.id), func.max(ListingImage.position)).where(
            ListingImage.listing_id == listing.id
        )
    ).one()
    if count >= limits.per_listing:
        raise ValidationFailed(
            N_("A listing has at most %(limit)s images."), field="file", limit=limits.per_listing
        )
    return (last or 0) + 1 if count else 0


def add_image(
    actor: User,
    listing_id: int,
    *,
    stream: IO[bytes],
    filename: str,
    alt_zh: str | None,
    alt_en: str | None,
    folder: Path,
    limits: ImageLimits,
    now: datetime,
) -> ListingImage:
    """Attach a picture to a draft: a PNG, JPEG or WebP within the limits, described in
    each language the listing is written in; its thumbnail is made here."""
    listing = get_listing(listing_id)
    require_owner(actor, listing)
    _require_draft(listing, N_("Images can be added to drafts only."))
    alt_zh, alt_en = (alt_zh or "").strip() or None, (alt_en or "").strip() or None
    check_alt_texts(alt_zh, alt_en, zh=bool(listing.title_zh), en=bool(listing.title_en))
    position = _check_room(listing, limits)
    received = storage.receive(stream, limits.max_bytes)
    with received.body:
        picture = read_image(received.body, received.content_type, limits)
    stored = storage.store_received(folder, _cleaned(picture.body, received), filename)
    uow.on_rollback(lambda: storage.discard(folder, stored.stored_name))
    width, height, thumb = picture.width, picture.height, picture.thumbnail
    thumb_name = storage.store_bytes(folder, thumb.body, content_type=THUMB_TYPE)
    uow.on_rollback(lambda: storage.discard(folder, thumb_name))
    image = ListingImage(
        listing_id=listing.id,
        position=position,
        alt_zh=alt_zh,
        alt_en=alt_en,
        width=width,
        height=height,
        thumb_name=thumb_name,
        thumb_width=thumb.width,
        thumb_height=thumb.height,
        uploaded_by_id=actor.id,
        uploaded_at=now,
        **stored.columns(),
    )
    flush_new(image)
    after = {"image_id": image.id, "sha256": image.sha256, "width": width, "height": height}
    audit_action("listing.image_add", listing.id, actor.id, now, after=after)
    db.session.expire(listing, ["images"])
    return image


def _cleaned(body: bytes, received: storage.Received) -> storage.Received:
    """The picture without its metadata, in place of the file as it was uploaded."""
    digest = hashlib.sha256(body).hexdigest()
    return storage.Received(io.BytesIO(body), received.content_type, len(body), digest)


def remove_image(actor: User, image_id: int, *, folder: Path, now: datetime) -> ListingImage:
    """Remove a picture from a draft (its files go after the commit); returns it."""
    image = get_or_not_found(ListingImage, image_id, N_("No such image."))
    require_owner(actor, image.listing)
    _require_draft(image.listing, N_("Images can be removed from drafts only."))
    before = {"image_id": image.id, "sha256": image.sha256}
    audit_action("listing.image_remove", image.listing_id, actor.id, now, before=before)
    names = (image.stored_name, image.thumb_name)
    db.session.delete(image)
    db.session.flush()
    for name in names:
        uow.after_commit(functools.partial(storage.discard, folder, name))
    return image


def visible_image(actor: User | None, listing_id: int, image_id: int) -> ListingImage:
    """An image of a listing the actor may see; any other looks like it does not exist."""
    image = db.session.get(ListingImage, image_id)
    if image is None or image.listing_id != listing_id or not can_view(actor, image.listing):
        raise NotFound(N_("No such image."))
    return image


def images_of(actor: User | None, listing_id: int) -> list[ListingImage]:
    """A listing's images in order, for whoever may see the listing (others: NotFound)."""
    listing = get_listing(listing_id)
    if not can_view(actor, listing):
        raise NotFound(N_("No such listing."))
    return list(listing.images)
