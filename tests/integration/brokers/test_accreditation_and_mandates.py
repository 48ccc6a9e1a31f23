"""Accreditation, expiry, mandates (both accept, exclusivity, notice), permissions."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from accounts.models import OrganisationKind
from brokers import accreditation, mandates, profiles
from brokers import broker_access as shared
from brokers.rules import AccreditationStatus, BrokerLevel, MandateSide, MandateStatus
from core.audit_models import AuditEntry
from core.domain import DomainError, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from tests import factories
from tests.integration.brokers.conftest import mandate_input


def _application(**overrides):
    values = {
        "level": BrokerLevel.INTERMEDIATE,
        "certificate_number": "沪技经字2025-0188",
        "issuing_body": "上海市科学技术委员会",
        "expires_on": None,
        "region": "上海市",
        "expertise_fields": ("energy", "materials"),
        "languages": ("zh", "en"),
    }
    values.update(overrides)
    return accreditation.Application(**values)


def test_reviewer_accredits_an_application_with_its_documents(db_session, clock, upload_folder):
    now = clock()
    reviewer = factories.platform_reviewer(now)
    user = factories.seller(now, reviewer=reviewer, kind=OrganisationKind.BROKER_AGENCY)
    broker = accreditation.apply(
        user, _application(expires_on=(now + timedelta(days=400)).date()), now=now
    )
    assert broker.status == AccreditationStatus.PENDING
    assert not shared.is_accredited(user, now=now)
    accreditation.add_document(
        user,
        kind="certificate",
        stream=io.BytesIO(factories.PDF_BYTES),
        filename="证书.pdf",
        folder=upload_folder.parent / "brokers",
        max_bytes=1_000_000,
        now=now,
    )
    assert [d.kind for d in broker.documents] == ["certificate"]
    assert accreditation.broker_queue(reviewer) == [broker]
    accreditation.accredit(reviewer, broker.id, now=now)
    assert shared.is_accredited(user, now=now)
    assert accreditation.broker_queue(reviewer) == []
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.object_type == "broker", AuditEntry.object_id == broker.id)
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["broker.apply", "broker.document_add", "broker.accredited"]


def test_refusal_needs_a_reason_and_the_applicant_may_apply_again(db_session, clock):
    now = clock()
    reviewer = factories.platform_reviewer(now)
    user = factories.broker(now, reviewer=reviewer, accredited=False)
    broker = shared.broker_of(user)
    with pytest.raises(ValidationFailed):
        accreditation.refuse(reviewer, broker.id, "  ", now=now)
    accreditation.refuse(reviewer, broker.id, "证书编号无法核实", now=now)
    assert broker.status == AccreditationStatus.REFUSED
    assert broker.decision_reason == "证书编号无法核实"
    with pytest.raises(DomainError):
        accreditation.accredit(reviewer, broker.id, now=now)  # already decided
    accreditation.apply(user, _application(expires_on=(now + timedelta(days=300)).date()), now=now)
    assert broker.status == AccreditationStatus.PENDING
    assert broker.decision_reason is None


def test_only_reviewers_decide_and_nobody_their_own(db_session, clock):
    now = clock()
    user = factories.broker(now, accredited=False)
    broker = shared.broker_of(user)
    with pytest.raises(PermissionDenied):
        accreditation.accredit(factories.enterprise(now), broker.id, now=now)
    reviewer = factories.platform_reviewer(now)
    with pytest.raises(PermissionDenied):
        accreditation.broker_queue(user)
    accreditation.accredit(reviewer, broker.id, now=now)


def test_applicants_need_a_verified_organisation_and_a_valid_certificate(db_session, clock):
    now = clock()
    unverified = factories.seller(now, verified=False)
    with pytest.raises(PermissionDenied):
        accreditation.apply(
            unverified, _application(expires_on=(now + timedelta(days=30)).date()), now=now
        )
    user = factories.seller(now, kind=OrganisationKind.BROKER_AGENCY)
    with pytest.raises(ValidationFailed) as error:
        accreditation.apply(user, _application(expires_on=now.date()), now=now)
    assert error.value.field == "expires_on"
    with pytest.raises(ValidationFailed) as error:
        accreditation.apply(
            user,
            _application(
                expires_on=(now + timedelta(days=30)).date(), expertise_fields=("astrology",)
            ),
            now=now,
        )
    assert error.value.field == "expertise_fields"
    assert shared.broker_of(user) is None


def test_expired_accreditation_stops_new_mandates_but_not_the_profile(db_session, clock, market):
    soon = factories.broker(clock(), reviewer=market.reviewer, expires_in_days=10)
    broker = shared.broker_of(soon)
    clock.advance(days=11)
    assert not shared.is_accredited(soon, now=clock())
    with pytest.raises(DomainError) as error:
        mandates.propose_mandate(
            market.seller, mandate_input(market, clock(), broker_id=broker.id), now=clock()
        )
    assert error.value.code == "not_accredited"
    assert broker not in profiles.directory(now=clock())
    assert profiles.public_broker(broker.id) is broker  # still shown, marked expired


def test_expiry_accepted_after_proposal_blocks_the_binding(db_session, clock, market):
    soon = factories.broker(clock(), reviewer=market.reviewer, expires_in_days=5)
    mandate = mandates.propose_mandate(
        market.seller,
        mandate_input(market, clock(), broker_id=shared.broker_of(soon).id),
        now=clock(),
    )
    clock.advance(days=6)
    with pytest.raises(DomainError):
        mandates.accept_mandate(soon, mandate.id, now=clock())
    assert mandate.status == MandateStatus.PROPOSED


def test_a_mandate_binds_only_when_both_sides_accept(db_session, clock, market):
    mandate = mandates.propose_mandate(market.seller, mandate_input(market, clock()), now=clock())
    assert mandate.status == MandateStatus.PROPOSED
    assert mandate.principal_accepted_at is not None and mandate.broker_accepted_at is None
    assert not shared.acts_for(market.broker_user, listing_id=market.listing.id, now=clock())
    with pytest.raises(DomainError):
        mandates.accept_mandate(market.seller, mandate.id, now=clock())  # already accepted
    with pytest.raises(NotFound):
        mandates.accept_mandate(market.stranger, mandate.id, now=clock())
    mandates.accept_mandate(market.broker_user, mandate.id, now=clock())
    assert mandate.status == MandateStatus.ACTIVE
    assert shared.acts_for(market.broker_user, listing_id=market.listing.id, now=clock())
    assert not shared.acts_for(market.stranger, listing_id=market.listing.id, now=clock())
    assert not shared.acts_for(market.broker_user, need_id=market.need.id, now=clock())


def test_a_broker_may_propose_and_the_buyer_accepts_a_mandate_on_its_need(
    db_session, clock, market
):
    mandate = mandates.propose_mandate(
        market.broker_user,
        mandate_input(
            market, clock(), side=MandateSide.BUYER, listing_id=None, need_id=market.need.id
        ),
        now=clock(),
    )
    assert mandate.principal_org_id == market.buyer.acting_org_id
    mandates.accept_mandate(market.buyer, mandate.id, now=clock())
    assert shared.acts_for(market.broker_user, need_id=market.need.id, now=clock())


def test_only_the_owner_of_the_scope_or_the_broker_proposes(db_session, clock, market):
    with pytest.raises(PermissionDenied):
        mandates.propose_mandate(market.stranger, mandate_input(market, clock()), now=clock())
    with pytest.raises(ValidationFailed):
        mandates.propose_mandate(
            market.seller, mandate_input(market, clock(), side=MandateSide.BUYER), now=clock()
        )


def test_a_broker_cannot_propose_a_mandate_on_a_listing_it_cannot_see(
    db_session, clock, market, upload_folder
):
    draft = factories.listing(market.seller, clock(), folder=upload_folder)
    with pytest.raises(NotFound):
        mandates.propose_mandate(
            market.broker_user, mandate_input(market, clock(), listing_id=draft.id), now=clock()
        )
    # its owner may still give a mandate on it
    mandate = mandates.propose_mandate(
        market.seller, mandate_input(market, clock(), listing_id=draft.id), now=clock()
    )
    assert mandate.listing_id == draft.id


def test_a_rate_above_five_percent_needs_the_agreement_box(db_session, clock, market):
    with pytest.raises(ValidationFailed) as error:
        mandates.propose_mandate(
            market.seller, mandate_input(market, clock(), rate_bps=800), now=clock()
        )
    assert error.value.code == "above_statutory_cap"
    mandate = mandates.propose_mandate(
        market.seller,
        mandate_input(market, clock(), rate_bps=800, above_cap_agreed=True),
        now=clock(),
    )
    assert mandate.rate_bps == 800


def test_no_second_exclusive_mandate_on_the_same_listing(db_session, clock, market, bound_mandate):
    bound_mandate(exclusive=True)
    rival = factories.broker(clock(), reviewer=market.reviewer)
    rival_id = shared.broker_of(rival).id
    with pytest.raises(DomainError) as error:
        mandates.propose_mandate(
            market.seller,
            mandate_input(market, clock(), broker_id=rival_id, exclusive=True),
            now=clock(),
        )
    assert error.value.code == "exclusive_conflict"
    with pytest.raises(DomainError):  # not even a non-exclusive one beside it
        mandates.propose_mandate(
            market.seller, mandate_input(market, clock(), broker_id=rival_id), now=clock()
        )


def test_two_exclusive_proposals_cannot_both_bind(db_session, clock, market):
    rival = factories.broker(clock(), reviewer=market.reviewer)
    first = mandates.propose_mandate(
        market.seller, mandate_input(market, clock(), exclusive=True), now=clock()
    )
    second = mandates.propose_mandate(
        market.seller,
        mandate_input(market, clock(), broker_id=shared.broker_of(rival).id, exclusive=True),
        now=clock(),
    )
    mandates.accept_mandate(market.broker_user, first.id, now=clock())
    with pytest.raises(DomainError) as error:
        mandates.accept_mandate(rival, second.id, now=clock())
    assert error.value.code == "exclusive_conflict"
    assert second.status == MandateStatus.PROPOSED


def test_either_side_ends_a_mandate_by_notice_and_it_is_audited(
    db_session, clock, market, bound_mandate
):
    mandate = bound_mandate(exclusive=True, notice_days=30)
    with pytest.raises(ValidationFailed):
        mandates.terminate_mandate(market.seller, mandate.id, "", now=clock())
    with pytest.raises(NotFound):
        mandates.terminate_mandate(market.stranger, mandate.id, "不再需要", now=clock())
    mandates.terminate_mandate(market.seller, mandate.id, "已自行找到买家", now=clock())
    assert mandate.status == MandateStatus.TERMINATED
    assert mandate.in_force(clock() + timedelta(days=29))
    assert not mandate.in_force(clock() + timedelta(days=30))
    assert shared.acts_for(market.broker_user, listing_id=market.listing.id, now=clock())
    with pytest.raises(DomainError):
        mandates.terminate_mandate(market.broker_user, mandate.id, "again", now=clock())
    entry = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.object_type == "mandate", AuditEntry.action == "mandate.terminate"
        )
    )
    assert entry is not None and entry.reason == "已自行找到买家"
    clock.advance(days=31)
    assert not shared.acts_for(market.broker_user, listing_id=market.listing.id, now=clock())
    # after the notice, the listing is free for another exclusive broker
    rival = factories.broker(clock(), reviewer=market.reviewer)
    mandates.propose_mandate(
        market.seller,
        mandate_input(market, clock(), broker_id=shared.broker_of(rival).id, exclusive=True),
        now=clock(),
    )


def test_a_proposal_is_declined_by_the_other_side_or_withdrawn_by_its_proposer(
    db_session, clock, market
):
    first = mandates.propose_mandate(market.seller, mandate_input(market, clock()), now=clock())
    mandates.decline_mandate(market.broker_user, first.id, now=clock(), reason="档期已满")
    assert first.status == MandateStatus.DECLINED
    second = mandates.propose_mandate(market.seller, mandate_input(market, clock()), now=clock())
    mandates.decline_mandate(market.seller, second.id, now=clock())
    assert second.status == MandateStatus.WITHDRAWN
    with pytest.raises(DomainError):
        mandates.accept_mandate(market.broker_user, second.id, now=clock())
