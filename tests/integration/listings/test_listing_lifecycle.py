"""A listing's life on a real database: draft, evidence, review, publication, withdrawal."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from core.audit import verify_ownership_chain
from core.audit_models import AuditEntry
from core.domain import DomainError, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.outbox import OutboxEvent
from listings import evidence as listing_evidence
from listings import review as listing_review
from listings import services as listings
from listings.models import Evidence, Listing
from listings.rules import IPKind, ListingStatus, TransitionNotAllowed
from tests import factories


def test_invalid_cn_check_character_is_refused_with_a_clear_message_and_nothing_saved(
    db_session, clock
) -> None:
    seller = factories.seller(clock())
    bad = factories.listing_input(
        ip_assets=(listings.IPAssetInput(IPKind.CN_APPLICATION, "201510123456.X"),)
    )
    with pytest.raises(ValidationFailed) as refused:
        listings.create_listing(seller, bad, now=clock())
    assert refused.value.field == "ip_assets.0.number"
    assert "check character" in refused.value.text()
    db.session.rollback()
    assert db.session.scalar(select(Listing.id)) is None


def test_numbers_are_stored_normalised(db_session, clock) -> None:
    seller = factories.seller(clock())
    item = listings.create_listing(
        seller,
        factories.listing_input(
            ip_assets=(listings.IPAssetInput(IPKind.CN_APPLICATION, "ZL 201510123456.1"),)
        ),
        now=clock(),
    )
    assert item.ip_assets[0].number == "201510123456.1"


def test_full_life_is_audited_and_ownership_decisions_are_chained(
    db_session, clock, upload_folder
) -> None:
    seller = factories.seller(clock())
    reviewer = factories.platform_reviewer(clock())
    item = factories.listing(
        seller, clock(), status=ListingStatus.PUBLISHED, reviewer=reviewer, folder=upload_folder
    )
    assert item.status == ListingStatus.PUBLISHED and item.published_at is not None
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.object_type == "listing", AuditEntry.object_id == item.id)
        .order_by(AuditEntry.id)
    ).all()
    assert actions == [
        "listing.create",
        "listing.evidence_add",
        "listing.submit",
        "listing.confirm",
        "listing.publish",
    ]
    checked, broken = verify_ownership_chain()
    assert checked == 1 and broken is None
    assert (
        db.session.query(OutboxEvent).filter_by(topic="search.listing", key=str(item.id)).count()
        >= 4
    )


def test_tampering_with_a_decision_breaks_the_chain(db_session, clock, upload_folder) -> None:
    seller = factories.seller(clock())
    reviewer = factories.platform_reviewer(clock())
    first = factories.listing(seller, clock(), status=ListingStatus.SUBMITTED, folder=upload_folder)
    second = factories.listing(
        seller, clock(), status=ListingStatus.SUBMITTED, folder=upload_folder
    )
    listing_review.confirm_ownership(reviewer, first.id, now=clock())
    listing_review.reject_ownership(reviewer, second.id, "证书与权利人不一致", now=clock())
    assert verify_ownership_chain() == (2, None)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.chain_seq == 1))
    entry.reason = "edited afterwards"
    db.session.commit()
    _checked, broken = verify_ownership_chain()
    assert broken is not None and broken.seq == 1 and "altered" in broken.problem


def test_unverified_organisation_cannot_submit(db_session, clock, upload_folder) -> None:
    seller = factories.seller(clock(), verified=False)
    item = listings.create_listing(seller, factories.listing_input(), now=clock())
    listing_evidence.add_evidence(
        seller,
        item.id,
        kind="certificate",
        stream=io.BytesIO(factories.PDF_BYTES),
        filename="c.pdf",
        folder=upload_folder,
        max_bytes=100_000,
        now=clock(),
    )
    with pytest.raises(DomainError, match="verified"):
        listing_review.submit(seller, item.id, now=clock())
    assert item.status == ListingStatus.DRAFT


def test_submission_needs_evidence(db_session, clock) -> None:
    seller = factories.seller(clock())
    item = listings.create_listing(seller, factories.listing_input(), now=clock())
    with pytest.raises(DomainError, match="evidence"):
        listing_review.submit(seller, item.id, now=clock())


def test_only_the_owner_edits_and_only_reviewers_confirm(db_session, clock, upload_folder) -> None:
    seller = factories.seller(clock())
    other = factories.seller(clock())
    item = factories.listing(seller, clock(), status=ListingStatus.SUBMITTED, folder=upload_folder)
    with pytest.raises(PermissionDenied):
        listings.update_listing(other, item.id, factories.listing_input(), now=clock())
    with pytest.raises(PermissionDenied):
        listing_review.confirm_ownership(seller, item.id, now=clock())
    with pytest.raises(DomainError):
        listings.update_listing(seller, item.id, factories.listing_input(), now=clock())


def test_rejection_returns_to_draft_with_the_reason(db_session, clock, upload_folder) -> None:
    seller = factories.seller(clock())
    item = factories.listing(seller, clock(), status=ListingStatus.SUBMITTED, folder=upload_folder)
    listing_review.reject_ownership(
        factories.platform_reviewer(clock()), item.id, "缺少转让记录", now=clock()
    )
    assert (item.status, item.rejection_reason) == (ListingStatus.DRAFT, "缺少转让记录")


def test_cannot_publish_before_ownership_is_confirmed(db_session, clock, upload_folder) -> None:
    seller = factories.seller(clock())
    item = factories.listing(seller, clock(), status=ListingStatus.SUBMITTED, folder=upload_folder)
    with pytest.raises(TransitionNotAllowed):
        listing_review.publish(seller, item.id, now=clock())


def test_unpublished_listing_is_hidden_from_strangers(db_session, clock, upload_folder) -> None:
    seller = factories.seller(clock())
    stranger = factories.seller(clock())
    item = factories.listing(seller, clock(), status=ListingStatus.CONFIRMED, folder=upload_folder)
    with pytest.raises(NotFound):
        listings.visible_listing(stranger, item.id)
    assert listings.visible_listing(seller, item.id) is item


def test_evidence_with_a_disguised_type_is_refused_and_no_file_is_left(
    db_session, clock, upload_folder
) -> None:
    seller = factories.seller(clock())
    item = listings.create_listing(seller, factories.listing_input(), now=clock())
    before = set(upload_folder.glob("*")) if upload_folder.exists() else set()
    with pytest.raises(ValidationFailed, match="PDF"):
        listing_evidence.add_evidence(
            seller,
            item.id,
            kind="certificate",
            stream=io.BytesIO(b"<script>alert(1)</script>"),
            filename="../../etc/passwd.pdf",
            folder=upload_folder,
            max_bytes=100_000,
            now=clock(),
        )
    assert db.session.query(Evidence).count() == 0
    assert (set(upload_folder.glob("*")) if upload_folder.exists() else set()) == before


def test_evidence_name_cannot_escape_the_folder(db_session, clock, upload_folder) -> None:
    seller = factories.seller(clock())
    item = listings.create_listing(seller, factories.listing_input(), now=clock())
    evidence = listing_evidence.add_evidence(
        seller,
        item.id,
        kind="certificate",
        stream=io.BytesIO(factories.PDF_BYTES),
        filename="..\\..\\evil/证书.pdf",
        folder=upload_folder,
        max_bytes=100_000,
        now=clock(),
    )
    assert evidence.original_name == "证书.pdf"
    assert (upload_folder / evidence.stored_name).is_file()


def test_oversized_evidence_is_refused(db_session, clock, upload_folder) -> None:
    seller = factories.seller(clock())
    item = listings.create_listing(seller, factories.listing_input(), now=clock())
    with pytest.raises(ValidationFailed, match="larger"):
        listing_evidence.add_evidence(
            seller,
            item.id,
            kind="certificate",
            stream=io.BytesIO(factories.PDF_BYTES + b" " * 2000),
            filename="big.pdf",
            folder=upload_folder,
            max_bytes=1000,
            now=clock(),
        )
