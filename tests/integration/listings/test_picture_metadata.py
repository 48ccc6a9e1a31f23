"""`flask listings strip-picture-metadata`: pictures stored before uploads were drawn again
lose their EXIF (the place a photo was taken, the camera, the author), once, audited, on
the local document store; a clean picture is left as it is."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from flask import Flask
from PIL import Image

from core import storage
from core.audit import history
from core.extensions import db
from core.uow import unit_of_work
from listings import images
from listings.image_files import ImageLimits
from listings.models import ListingImage
from tests import factories
from tests.integration.listings.test_pages_and_api import _sign_in


def _phone_photo() -> bytes:
    """A phone's JPEG held upright (orientation 6) with its position and the author;
    the left half red, the right half blue: shown upright, red is on top."""
    photo = Image.new("RGB", (800, 400), "#1040c0")
    photo.paste((200, 30, 30), (0, 0, 400, 400))
    exif = photo.getexif()
    exif[0x0112], exif[0x013B] = 6, "Wang Wei"
    exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 13.0, 5.5), 3: "E", 4: (121.0, 28.0, 1.2)})
    out = io.BytesIO()
    photo.save(out, "JPEG", exif=exif, comment=b"Lab 3, bench 2")
    return out.getvalue()


def _stored_as_uploaded(seller: Any, listing_id: int, body: bytes, now: Any, folder: Path) -> int:
    """A picture as uploads were kept before: the file itself, measured upright."""
    digest = hashlib.sha256(body).hexdigest()
    received = storage.Received(io.BytesIO(body), "image/jpeg", len(body), digest)
    stored = storage.store_received(folder, received, "IMG_0042.jpg")
    thumb = storage.store_bytes(folder, b"RIFF\x00\x00\x00\x00WEBP", content_type="image/webp")
    image = ListingImage(
        listing_id=listing_id, position=0, alt_zh="样机", width=400, height=800,
        thumb_name=thumb, thumb_width=180, thumb_height=360,
        uploaded_by_id=seller.id, uploaded_at=now, **stored.columns(),
    )  # fmt: skip
    db.session.add(image)
    db.session.flush()
    return image.id


def test_old_pictures_lose_their_metadata_once_and_new_ones_are_left_alone(
    app: Flask, db_session: object, clock: Any
) -> None:
    folder = Path(app.config["UPLOAD_FOLDER"]) / "images"
    seller = factories.seller(clock())
    listing = factories.listing(seller, clock())
    with unit_of_work():
        old_id = _stored_as_uploaded(seller, listing.id, _phone_photo(), clock(), folder)
        new = images.add_image(
            seller, listing.id, stream=io.BytesIO(_phone_photo()), filename="new.jpg",
            alt_zh="截面", alt_en=None, folder=folder, limits=ImageLimits(), now=clock(),
        )  # fmt: skip
    old = db.session.get(ListingImage, old_id)
    assert old is not None
    old_name, new_name, old_sha256 = old.stored_name, new.stored_name, old.sha256

    result = app.test_cli_runner().invoke(args=["listings", "strip-picture-metadata"])
    assert result.exit_code == 0, result.output
    assert "2 pictures: 1 rewritten without metadata, 1 clean already, 0 failed" in result.output

    db.session.expire_all()
    old = db.session.get(ListingImage, old_id)
    assert old is not None and old.stored_name != old_name
    assert not (folder / old_name).exists(), "the file with the metadata is gone"
    client = app.test_client()
    _sign_in(client, seller.email)
    served = client.get(f"/listings/{listing.id}/images/{old_id}").get_data()
    assert len(served) == old.size and b"Wang Wei" not in served and b"Lab 3" not in served
    picture = Image.open(io.BytesIO(served))
    assert not picture.getexif() and "comment" not in picture.info
    assert picture.size == (400, 800) and picture.getpixel((200, 100))[0] > 150  # upright
    assert db.session.get(ListingImage, new.id).stored_name == new_name  # type: ignore[union-attr]
    stripped = [e for e in history("listing", listing.id) if e.action.endswith("strip_metadata")]
    assert [(e.before["sha256"], e.after["sha256"]) for e in stripped] == [(old_sha256, old.sha256)]

    again = app.test_cli_runner().invoke(args=["listings", "strip-picture-metadata"])
    assert "2 pictures: 0 rewritten without metadata, 2 clean already" in again.output
    db.session.expire_all()
    assert db.session.get(ListingImage, old_id).stored_name == old.stored_name  # type: ignore[union-attr]
