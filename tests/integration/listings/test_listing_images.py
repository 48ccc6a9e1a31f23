"""Pictures of a listing: uploaded in the editor or the API, checked, shown with their
descriptions, served to whoever may see the listing; the details in both languages."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from core import storage
from core.extensions import db
from core.uow import unit_of_work
from listings import review
from listings.models import Listing, ListingImage
from tests import factories
from tests.integration.listings.test_pages_and_api import _sign_in

EN = {"Accept-Language": "en"}


def _png(size: tuple[int, int] = (800, 500)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#2b6cb0").save(out, "PNG")
    return out.getvalue()


def _draft(clock: Any, **overrides: object) -> tuple[Any, Listing]:
    seller = factories.seller(clock())
    values: dict[str, object] = {
        "title_en": "High-nickel cathode",
        "problem": "高镍正极循环寿命短。",
        "problem_en": "High-nickel cathodes fade fast.",
        "advantage": "容量保持率提高14个百分点。",
        **overrides,
    }
    return seller, factories.listing(seller, clock(), **values)


def _upload(client: FlaskClient, listing_id: int, body: bytes, **alts: str) -> Any:
    data = {"file": (io.BytesIO(body), "cell.png"), **alts}
    return client.post(
        f"/listings/{listing_id}/images",
        data=data,
        content_type="multipart/form-data",
        headers=EN,
        follow_redirects=True,
    )


def test_owner_adds_a_described_picture_and_buyers_see_it_once_published(
    app: Flask, client: FlaskClient, clock: Any, upload_folder: Path
) -> None:
    seller, listing = _draft(clock)
    _sign_in(client, seller.email)
    page = _upload(client, listing.id, _png(), alt_zh="正极颗粒截面", alt_en="Cathode particle")
    assert "Image added." in page.get_data(as_text=True)
    image = db.session.query(ListingImage).one()
    assert (image.width, image.height, image.content_type) == (800, 500, "image/png")
    assert image.thumb_width == 480 and image.thumb_height == 300

    stranger = app.test_client()
    assert stranger.get(f"/listings/{listing.id}/images/{image.id}").status_code == 404  # a draft

    with unit_of_work():
        reviewer = factories.platform_reviewer(clock())
    _publish(seller, reviewer, listing.id, clock, upload_folder)
    shown = stranger.get(f"/listings/{listing.id}", headers=EN).get_data(as_text=True)
    assert 'alt="Cathode particle"' in shown and "<figure" in shown
    zh = stranger.get(f"/listings/{listing.id}", headers={"Accept-Language": "zh-CN"})
    assert 'alt="正极颗粒截面"' in zh.get_data(as_text=True)
    thumb = stranger.get(f"/listings/{listing.id}/images/{image.id}/thumbnail")
    assert thumb.status_code == 200 and thumb.headers["Content-Type"] == "image/webp"
    assert thumb.headers["Cache-Control"].startswith("public")
    assert thumb.headers["Content-Disposition"].endswith(".webp")  # saved as what it is
    full = stranger.get(f"/listings/{listing.id}/images/{image.id}")
    assert full.get_data() == _png() and full.headers["X-Content-Type-Options"] == "nosniff"
    assert stranger.get(f"/listings/{listing.id + 1}/images/{image.id}").status_code == 404


def _phone_photo() -> bytes:
    """A JPEG as a phone writes it: held upright (EXIF orientation 6), with its position."""
    photo = Image.new("RGB", (800, 400), "#1040c0")
    exif = photo.getexif()
    exif[0x0112] = 6
    exif[0x013B] = "Wang Wei"
    exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 13.0, 5.5), 3: "E", 4: (121.0, 28.0, 1.2)})
    out = io.BytesIO()
    photo.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _stored(app: Flask, name: str) -> Image.Image:
    store, key = storage.locate(Path(app.config["UPLOAD_FOLDER"]) / "images", name)
    with store.open(key) as kept:
        return Image.open(io.BytesIO(kept.read()))


def test_a_phone_photo_is_kept_upright_and_without_where_it_was_taken(
    app: Flask, client: FlaskClient, clock: Any
) -> None:
    seller, listing = _draft(clock)
    _sign_in(client, seller.email)
    photo = _phone_photo()
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(0x8825)
    page = _upload(client, listing.id, photo, alt_zh="样机照片", alt_en="The prototype")
    assert "Image added." in page.get_data(as_text=True)
    image = db.session.query(ListingImage).one()
    assert (image.width, image.height) == (400, 800)
    for name in (image.stored_name, image.thumb_name):
        kept = _stored(app, name)
        assert not kept.getexif() and "exif" not in kept.info
        assert kept.height > kept.width  # turned upright, not merely told to turn
    served = client.get(f"/listings/{listing.id}/images/{image.id}").get_data()
    assert b"Wang Wei" not in served and Image.open(io.BytesIO(served)).size == (400, 800)


def _publish(seller: Any, reviewer: Any, listing_id: int, clock: Any, folder: Path) -> None:
    from listings import evidence

    with unit_of_work():
        evidence.add_evidence(
            seller,
            listing_id,
            kind="certificate",
            stream=io.BytesIO(factories.PDF_BYTES),
            filename="c.pdf",
            folder=folder,
            max_bytes=1_000_000,
            now=clock(),
        )
        review.submit(seller, listing_id, now=clock())
        review.confirm_ownership(reviewer, listing_id, now=clock())
        review.publish(seller, listing_id, now=clock())


def test_refused_pictures_leave_nothing_behind(app: Flask, client: FlaskClient, clock: Any) -> None:
    seller, listing = _draft(clock)
    _sign_in(client, seller.email)
    folder = Path(app.config["UPLOAD_FOLDER"]) / "images"
    before = set(folder.glob("*")) if folder.exists() else set()
    pdf = _upload(client, listing.id, factories.PDF_BYTES, alt_zh="图", alt_en="A picture")
    assert "Only PNG, JPEG or WebP images are accepted." in pdf.get_data(as_text=True)
    unsaid = _upload(client, listing.id, _png(), alt_zh="正极颗粒截面")
    assert "in each language of the listing" in unsaid.get_data(as_text=True)
    tiny = _upload(client, listing.id, _png((60, 60)), alt_zh="图", alt_en="A picture")
    assert "too small" in tiny.get_data(as_text=True)
    assert db.session.query(ListingImage).count() == 0
    assert (set(folder.glob("*")) if folder.exists() else set()) == before


def test_a_listing_holds_a_bounded_number_of_pictures(
    app: Flask, client: FlaskClient, clock: Any
) -> None:
    seller, listing = _draft(clock)
    _sign_in(client, seller.email)
    app.config["IMAGES_PER_LISTING"] = 2
    try:
        for _ in range(3):
            last = _upload(client, listing.id, _png(), alt_zh="图", alt_en="A picture")
    finally:
        app.config["IMAGES_PER_LISTING"] = 8
    assert "at most 2 images" in last.get_data(as_text=True)
    assert [i.position for i in db.session.query(ListingImage).order_by(ListingImage.id)] == [0, 1]


def test_api_uploads_lists_and_removes_pictures_with_their_urls(
    client: FlaskClient, clock: Any
) -> None:
    seller, listing = _draft(clock)
    auth = {"Authorization": f"Bearer {factories.api_token(seller, 'images', now=clock())}", **EN}
    added = client.post(
        f"/api/v1/listings/{listing.id}/images",
        data={"file": (io.BytesIO(_png()), "cell.png"), "alt_zh": "截面", "alt_en": "Section"},
        content_type="multipart/form-data",
        headers=auth,
    )
    assert added.status_code == 201, added.get_json()
    body = added.get_json()
    assert body["alt"] == "Section" and body["width"] == 800
    assert client.get(body["thumbnail_url"], headers=auth).status_code == 200

    refused = client.post(
        f"/api/v1/listings/{listing.id}/images",
        data={"file": (io.BytesIO(b"GIF89a" + b"\0" * 64), "x.gif"), "alt_zh": "图", "alt_en": "x"},
        content_type="multipart/form-data",
        headers=auth,
    )
    assert refused.status_code == 422 and refused.get_json()["code"]

    detail = client.get(f"/api/v1/listings/{listing.id}", headers=auth).get_json()
    assert [i["url"] for i in detail["images"]] == [body["url"]]
    mine = client.get("/api/v1/listings/mine", headers=auth).get_json()
    assert mine[0]["thumbnail_url"] == body["thumbnail_url"]
    assert mine[0]["problem_en"] == "High-nickel cathodes fade fast."

    gone = client.delete(f"/api/v1/listings/{listing.id}/images/{body['id']}", headers=auth)
    assert gone.status_code == 200 and gone.get_json()["id"] == body["id"]
    assert client.get(f"/api/v1/listings/{listing.id}/images", headers=auth).get_json() == []


def test_english_page_reads_english_details_and_marks_the_chinese_fallback(
    client: FlaskClient, clock: Any
) -> None:
    seller, listing = _draft(clock)
    _sign_in(client, seller.email)
    english = client.get(f"/listings/{listing.id}", headers=EN).get_data(as_text=True)
    assert "<p>High-nickel cathodes fade fast.</p>" in english
    assert '<p lang="zh-CN">容量保持率提高14个百分点。</p>' in english  # no English given
    chinese = client.get(f"/listings/{listing.id}", headers={"Accept-Language": "zh-CN"})
    assert "<p>高镍正极循环寿命短。</p>" in chinese.get_data(as_text=True)
