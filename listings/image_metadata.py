"""Pictures stored before uploads were drawn again: rewritten without their metadata.

Until uploads were kept drawn again (listings.image_files), a picture was stored as
uploaded, with the EXIF of a phone's photo: where it was taken, the camera's serial
number, the author. `strip_metadata` rewrites one such picture under a new name (the old
file goes after the commit, the new one if the work rolls back) and audits it; a picture
without metadata is left alone, so the command that runs it over every picture
(`flask listings strip-picture-metadata`) may be run again. Thumbnails never carried
any (Pillow writes a WebP's EXIF and XMP only when asked).
"""

from __future__ import annotations

import functools
import hashlib
import io
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from core import storage, uow
from core.extensions import db
from core.row_lists import all_of
from core.service_kit import audit_action
from listings.image_files import carries_metadata, redraw
from listings.models import ListingImage


def picture_ids() -> list[int]:
    """Every stored picture, oldest first."""
    return all_of(select(ListingImage.id).order_by(ListingImage.id))


def _read(folder: Path, stored_name: str) -> bytes:
    store, key = storage.locate(folder, stored_name)
    with store.open(key) as stream:
        return stream.read()


def strip_metadata(image_id: int, *, folder: Path, now: datetime) -> bool:
    """Rewrite a stored picture without its metadata; False when it has none (nothing done)."""
    image = db.session.get(ListingImage, image_id, with_for_update=True)
    if image is None:
        return False
    body = _read(folder, image.stored_name)
    if not carries_metadata(body):
        return False
    clean = redraw(body, image.content_type)
    digest = hashlib.sha256(clean).hexdigest()
    received = storage.Received(io.BytesIO(clean), image.content_type, len(clean), digest)
    stored = storage.store_received(folder, received, image.original_name)
    uow.on_rollback(functools.partial(storage.discard, folder, stored.stored_name))
    before = {"image_id": image.id, "sha256": image.sha256, "size": image.size}
    old_name = image.stored_name
    image.stored_name, image.size, image.sha256 = stored.stored_name, stored.size, stored.sha256
    db.session.flush()
    after = {"image_id": image.id, "sha256": image.sha256, "size": image.size}
    audit_action(
        "listing.image_strip_metadata", image.listing_id, None, now, before=before, after=after
    )
    uow.after_commit(functools.partial(storage.discard, folder, old_name))
    return True
