"""One small market whose relations are known for sure, for the authorisation matrix.

Seven people look at it (`ROLES`): nobody signed in; `other`, a member of a verified
enterprise that has nothing to do with anything here; `seller`, the administrator of the
university that owns every listing, auction, listed sale and deal; `buyer`, a member of
the enterprise that is the counterparty of all of them (bidder with a held deposit,
intending buyer with a held deposit, negotiation party, deal buyer, owner of the need,
requester of the valuations); `broker`, the accredited broker with the seller's mandate
and the introduction of the buyer; `reviewer`; `admin`.

Everything is built through the services (tests.factories and the domains' use cases),
one unit of work per step, as the pages would.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from accounts import services as accounts
from accounts.models import ApiToken, User
from accounts.signup_checks import TERMS_VERSION
from auctions import services as auctions
from brokers import accreditation, introductions, mandates
from brokers import broker_access as shared
from brokers.rules import CommissionKind, MandateSide, Payer
from core.extensions import db
from core.uow import unit_of_work
from core.workdays import WorkCalendar
from deals import cancellation
from deals import services as deals
from deals.cancellation_rules import Grounds
from deals.documents import Upload, attach_document
from deals.models import Deal, SaleMethod
from listings import portfolio
from listings import services as listings
from listings.models import Evidence, ListingImage
from listings.portfolio_files import template_csv
from listings.rules import ListingStatus, SaleState
from notifications.mail import unsubscribe_token
from notifications.models import Notification
from payments import deposits, offline, payouts
from payments.bank_rules import deal_reference, deposit_reference
from payments.bank_transfer import deposit_reference as reference_of
from tests import factories
from tests.integration.auctions.conftest import announce
from tests.integration.valuation.inputs import income_inputs
from trading import listed_sales, negotiations, notices
from valuation import requests as valuation_requests
from valuation import services as valuation_services
from webhooks import endpoints as webhook_endpoints
from webhooks import events as webhook_events
from webhooks.models import WebhookDelivery

ROLES = ("anonymous", "other", "seller", "buyer", "broker", "reviewer", "admin")
PRICE = 50_000_000


@dataclass
class World:
    """The people (by role) and the ids a route's parameters are filled with."""

    users: dict[str, User | None]
    ids: dict[str, int | str] = field(default_factory=dict)
    # endpoint -> {parameter: value}, where one name means different objects on different routes
    by_endpoint: dict[str, dict[str, int | str]] = field(default_factory=dict)
    # endpoint -> the query string a page needs to know what it is about
    query: dict[str, dict[str, int | str]] = field(default_factory=dict)

    def value(self, endpoint: str, parameter: str) -> int | str:
        """The value of `parameter` on the route `endpoint`."""
        own = self.by_endpoint.get(endpoint, {})
        if parameter in own:
            return own[parameter]
        if parameter not in self.ids:
            raise LookupError(
                f"no value for <{parameter}> of {endpoint}: add it to tests/authorisation_world.py"
            )
        return self.ids[parameter]


def build(now: datetime, upload_folder: Path) -> World:
    """The whole market, committed (inside the test's outer transaction)."""
    reviewer = factories.platform_reviewer(now)
    with unit_of_work():
        admin = accounts.create_platform_user(
            "matrix-admin@market.example", "管理员", factories.PASSWORD, now=now, admin=True
        )
    seller = factories.seller(now, reviewer=reviewer, name="矩阵测试大学")
    buyer = factories.enterprise(now, name="矩阵测试科技有限公司")
    other = factories.enterprise(now, name="无关测试有限公司")
    objector = factories.enterprise(now, name="异议测试有限公司")
    pending_org = factories.seller(now, verified=False, name="待审核测试大学")
    with unit_of_work():
        member = accounts.sign_up(
            accounts.SignUp(
                email="matrix-member@example.edu.cn",
                name="待批准成员",
                password=factories.PASSWORD,
                join_credit_code=seller.organisation.credit_code,  # type: ignore[union-attr]
                terms_version=TERMS_VERSION,
            ),
            now=now,
        )
    broker_user = factories.broker(now, reviewer=reviewer, accredited=False, name="矩阵经纪事务所")
    broker = shared.broker_of(broker_user)
    assert broker is not None
    with unit_of_work():
        document = accreditation.add_document(
            broker_user,
            kind="certificate",
            stream=io.BytesIO(factories.PDF_BYTES),
            filename="证书.pdf",
            folder=upload_folder.parent / "brokers",
            max_bytes=1_000_000,
            now=now,
        )
        accreditation.accredit(reviewer, broker.id, now=now)
    applicant = factories.broker(now, reviewer=reviewer, accredited=False, name="申请中经纪事务所")
    pending_broker = shared.broker_of(applicant)
    assert pending_broker is not None

    def published(title: str) -> int:
        return factories.listing(
            seller,
            now,
            status=ListingStatus.PUBLISHED,
            reviewer=reviewer,
            folder=upload_folder,
            title_zh=title,
            asking_price_minor=PRICE,
        ).id

    listing_id = factories.listing(  # with a picture, attached while it was a draft
        seller,
        now,
        status=ListingStatus.PUBLISHED,
        reviewer=reviewer,
        folder=upload_folder,
        title_zh="矩阵测试成果：挂在市场上",
        asking_price_minor=PRICE,
        pictures=upload_folder.parent / "images",
    ).id
    image_id = db.session.scalar(
        select(ListingImage.id).where(ListingImage.listing_id == listing_id)
    )
    auctioned_id = published("矩阵测试成果：拍卖中")
    listed_id = published("矩阵测试成果：挂牌中")
    negotiated_id = published("矩阵测试成果：协议定价")
    sold_id = published("矩阵测试成果：已成交")
    submitted = factories.listing(
        seller, now, status=ListingStatus.SUBMITTED, folder=upload_folder, title_zh="待审核成果"
    )
    evidence_id = db.session.scalar(select(Evidence.id).where(Evidence.listing_id == listing_id))
    need = factories.need(buyer, now)

    # An auction running now; the buyer's deposit is held.
    auction = announce(  # announced in time, published by the reviewer
        seller,
        reviewer,
        auctioned_id,
        auctions.AuctionInput(
            starting_price_minor=1_000_000,
            increment_minor=50_000,
            starts_at=now,
            ends_at=now + timedelta(hours=48),
            reserve_price_minor=None,
            deposit_bps=1000,
        ),
    )
    deposit_id = _held_deposit(buyer, "auction", auction.id, reviewer, upload_folder, now)
    # A third party's deposit whose receipt waits for a reviewer (to confirm or reject).
    with unit_of_work():
        owed = auctions.join_auction(objector, auction.id, now=now)
        waiting = deposits.submit_receipt(
            objector,
            owed.id,
            stream=io.BytesIO(factories.PDF_BYTES),
            filename="回单.pdf",
            bank_reference=deposit_reference("auction", auction.id, objector.acting_org_id or 0),
            folder=deposits.receipt_folder(upload_folder.parent),
            max_bytes=1_000_000,
            now=now,
        )

    # A listed sale in its period; the buyer registered intent and its deposit is held.
    with unit_of_work():
        sale = listed_sales.start_listed_sale(
            seller,
            listed_id,
            asking_price_minor=PRICE,
            working_days=20,
            now=now,
            calendar=WorkCalendar(),
        )
        listed_sales.register_intent(buyer, sale.id, now=now)
    _held_deposit(buyer, "listed_sale", sale.id, reviewer, upload_folder, now)

    # A negotiation agreed: its public notice runs, with an objection of a third party.
    with unit_of_work():
        negotiation = negotiations.open_negotiation(
            buyer, negotiated_id, amount_minor=40_000_000, message="我们有意受让。", now=now
        )
        negotiations.make_offer(seller, negotiation.id, 45_000_000, now=now)
        notice = negotiations.accept(buyer, negotiation.id, now=now, publicity_days=15)
        objection = notices.lodge_objection(objector, notice.id, "发明人奖励方案未公示。", now=now)
    # A second negotiation still open (for offer, message, accept, withdraw).
    with unit_of_work():
        open_negotiation = negotiations.open_negotiation(
            buyer, listing_id, amount_minor=30_000_000, message="可否议价？", now=now
        )

    # The broker: the seller's mandate on the listing, and its introduction of the buyer.
    with unit_of_work():
        mandate = mandates.propose_mandate(
            seller,
            mandates.MandateInput(
                broker_id=broker.id,
                side=MandateSide.SELLER,
                listing_id=listing_id,
                starts_at=now,
                ends_at=now + timedelta(days=180),
                commission_kind=CommissionKind.PERCENTAGE,
                rate_bps=200,
                min_minor=1_000_000,
                max_minor=10_000_000,
                payer=Payer.SELLER,
                notice_days=30,
            ),
            now=now,
        )
        mandates.accept_mandate(broker_user, mandate.id, now=now)
        introduction = introductions.introduce(
            broker_user, listing_id=listing_id, buyer_org_id=buyer.acting_org_id, now=now
        )

    # Deals of two listings to the buyer: one unpaid (with the seller's contract), one
    # paid by bank with its payouts released (for the payment and payout routes).
    deal = _sale(sold_id, buyer, auction.id, now)
    paid_deal = _sale(published("矩阵测试成果：已付款"), buyer, auction.id, now)
    with unit_of_work():
        deal_document = attach_document(
            seller,
            deal.id,
            kind="contract",
            upload=Upload(io.BytesIO(factories.PDF_BYTES), "合同.pdf"),
            folder=upload_folder.parent / "deals",
            max_bytes=1_000_000,
            now=now,
        )
    with unit_of_work():
        payment = offline.submit_receipt(
            buyer,
            paid_deal.id,
            amount_minor=PRICE,
            stream=io.BytesIO(factories.PDF_BYTES),
            filename="回单.pdf",
            bank_reference=deal_reference(paid_deal.id),
            folder=offline.receipt_folder(upload_folder.parent),
            max_bytes=1_000_000,
            now=now,
        )
        offline.confirm(reviewer, payment.id, now=now)
    with unit_of_work():
        payout = payouts.release_payouts(reviewer, paid_deal.id, now=now)[0]
    with unit_of_work():  # part of the unpaid deal's price, waiting for a reviewer
        waiting_payment = offline.submit_receipt(
            buyer,
            deal.id,
            amount_minor=PRICE // 10,
            stream=io.BytesIO(factories.PDF_BYTES),
            filename="回单.pdf",
            bank_reference=deal_reference(deal.id),
            folder=offline.receipt_folder(upload_folder.parent),
            max_bytes=1_000_000,
            now=now,
        )

    # The buyer proposes to end the unpaid deal; on a third deal it asks for a ruling.
    ruled_deal = _sale(published("矩阵测试成果：待裁决"), buyer, auction.id, now)
    with unit_of_work():
        proposal = cancellation.propose(buyer, deal.id, "双方协商解除。", now=now)
        ruling = cancellation.request_ruling(
            buyer, ruled_deal.id, Grounds.DEFAULT, "卖方未履行。", now=now
        )
    factories.api_token(seller, "matrix-revocable", now=now)
    revocable = db.session.scalar(select(ApiToken.id).where(ApiToken.name == "matrix-revocable"))

    # Valuations: the seller's indicative one; the buyer's formal report issued by the
    # broker; a request waiting for a valuer; a request the broker has taken.
    with unit_of_work():
        valuation_services.save_indicative(seller, listing_id, income_inputs(), now=now)
        issued = valuation_requests.request_valuation(buyer, listing_id, "受让前评估", now=now)
        valuation_requests.take_request(broker_user, issued.id, now=now)
        report = valuation_requests.issue_report(
            broker_user, issued.id, income_inputs(), "评估意见：价格合理。", now=now
        )
        request = valuation_requests.request_valuation(buyer, listed_id, "挂牌前评估", now=now)
        taken = valuation_requests.request_valuation(buyer, auctioned_id, "竞买前评估", now=now)
        valuation_requests.take_request(broker_user, taken.id, now=now)

    # The seller's webhook endpoint (nothing listens on port 9) and one delivery to it.
    with unit_of_work():
        hook = webhook_endpoints.register(
            seller,
            webhook_endpoints.NewEndpoint("http://127.0.0.1:9/matrix", ["listing.published"]),
            now=now,
            allow_local_http=True,
        ).endpoint
        event = webhook_events.publish(
            seller.acting_org_id, "listing.published", data={}, link=None, now=now
        )
    assert event is not None
    delivery_id = db.session.scalar(
        select(WebhookDelivery.id).where(WebhookDelivery.event_id == event.id)
    )

    with unit_of_work():  # an import of the seller's, left queued
        portfolio_import = portfolio.start_import(
            seller, "portfolio.csv", template_csv(), now=now, today=now.date(), queue=False
        )
    notification_id = db.session.scalar(
        select(Notification.id).where(Notification.user_id == buyer.id).limit(1)
    )
    assert notification_id is not None, "the buyer has been told something by now"
    users: dict[str, User | None] = {
        "anonymous": None,
        "other": other,
        "seller": seller,
        "buyer": buyer,
        "broker": broker_user,
        "reviewer": reviewer,
        "admin": admin,
    }
    return World(
        users=users,
        ids={
            "user_id": member.id,
            "org_id": pending_org.organisation_id,  # type: ignore[dict-item]
            "listing_id": listing_id,
            "evidence_id": evidence_id,  # type: ignore[dict-item]
            "image_id": image_id,  # type: ignore[dict-item]
            "auction_id": auction.id,
            "deposit_id": deposit_id,
            "sale_id": sale.id,
            "negotiation_id": open_negotiation.id,
            "notice_id": notice.id,
            "objection_id": objection.id,
            "mandate_id": mandate.id,
            "introduction_id": introduction.id,
            "broker_id": broker.id,
            "deal_id": deal.id,
            "payment_id": waiting_payment.id,
            "payout_id": payout.id,
            "need_id": need.id,
            "notification_id": notification_id,
            "request_id": request.id,
            "valuation_id": report.id,
            "cancellation_id": proposal.id,
            "deal_reference": deal_reference(deal.id),
            "token_id": revocable,  # type: ignore[dict-item]
            "endpoint_id": hook.id,
            "delivery_id": delivery_id,  # type: ignore[dict-item]
            "import_id": portfolio_import.id,
            "code": "en",
            "topic": "auction",  # a help page
            "buyer_org_id": buyer.acting_org_id,  # type: ignore[dict-item]
            "other_org_id": other.acting_org_id,  # type: ignore[dict-item]
            "pdf_base64": base64.b64encode(factories.PDF_BYTES).decode(),
            "token": unsubscribe_token(buyer.id, "auction.outbid"),
        },
        by_endpoint={
            "review.cancellation_request": {"cancellation_id": ruling.id},
            "review.rule": {"cancellation_id": ruling.id},
            "deals_api.rule_cancellation": {"deal_id": ruled_deal.id, "cancellation_id": ruling.id},
            "brokers.document_file": {"document_id": document.id},
            "deals.document_file": {"document_id": deal_document.id},
            "deals_api.document_file": {"document_id": deal_document.id},
            # a listing waiting for the reviewers' decision; an application waiting too
            "auctions.decide_deposit": {"deposit_id": waiting.id},
            "payments.receipt_file": {"payment_id": payment.id},
            "payments_api.receipt_file": {"payment_id": payment.id},
            "payments.deal": {"deal_id": paid_deal.id},
            "payments.release_payouts": {"deal_id": paid_deal.id},
            "payments_api.money_flow": {"deal_id": paid_deal.id},
            "payments_api.release_payouts": {"deal_id": paid_deal.id},
            # the request the broker has taken: only the assigned valuer issues or declines
            "valuation.act": {"request_id": taken.id},
            "valuation.issue": {"request_id": taken.id},
            "valuation_api.decline": {"request_id": taken.id},
            "valuation_api.issue": {"request_id": taken.id},
            "review.listing": {"listing_id": submitted.id},
            "review.decide_listing": {"listing_id": submitted.id},
            "listings_api.decide": {"listing_id": submitted.id},
            "review.broker": {"broker_id": pending_broker.id},
            "review.decide_broker": {"broker_id": pending_broker.id},
            "brokers_api.decide": {"broker_id": pending_broker.id},
        },
        query={
            "deals.registration_batch": {"from": "2026-01-01", "to": "2026-12-31"},
            "deals_api.registration_batch": {"from": "2026-01-01", "to": "2026-12-31"},
            "deals_api.registration_batch_file": {"from": "2026-01-01", "to": "2026-12-31"},
            "brokers.new_introduction": {
                "listing_id": listing_id,
                "buyer_org_id": buyer.acting_org_id,  # type: ignore[dict-item]
            },
        },
    )


def _sale(listing_id: int, buyer: User, auction_id: int, now: datetime) -> Deal:
    """The listing sold to the buyer (as an auction would), at PRICE."""
    with unit_of_work():
        listings.set_sale_state(listing_id, SaleState.IN_AUCTION, now=now, actor_id=None)
        return deals.record_sale(
            listing_id=listing_id,
            buyer_org_id=buyer.acting_org_id,  # type: ignore[arg-type]
            price_minor=PRICE,
            method=SaleMethod.AUCTION,
            source_type="auction",
            source_id=auction_id,
            now=now,
        )


def _held_deposit(
    buyer: User, context: str, context_id: int, reviewer: User, folder: Path, now: datetime
) -> int:
    """The buyer's deposit of an auction or listed sale, paid by bank and confirmed."""
    with unit_of_work():
        if context == "auction":
            auctions.join_auction(buyer, context_id, now=now)
        deposit = deposits.deposit_of(context, context_id, buyer.acting_org_id)
        assert deposit is not None
        deposits.submit_receipt(
            buyer,
            deposit.id,
            stream=io.BytesIO(factories.PDF_BYTES),
            filename="回单.pdf",
            bank_reference=reference_of(deposit),
            folder=deposits.receipt_folder(folder.parent),
            max_bytes=1_000_000,
            now=now,
        )
        deposits.confirm_deposit(reviewer, deposit.id, now=now)
        return deposit.id
