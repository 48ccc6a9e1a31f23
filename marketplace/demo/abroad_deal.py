"""The demo's international deal: the German institute's euro listing, negotiated by a
Chinese materials enterprise, agreed and publicly noticed, is a technology import (技术进口).

The buyer, the party in China, completes the import/export contract record (技术进出口合同登记: parties and
countries, a freely importable technology, the amount in euros and in US dollars at the
reference rate of the deal's day, the payment terms); a reviewer checks it, the contract
is signed, the registration certificate number is recorded once issued, the buyer pays
in euros by bank and the transfer is recorded in the European Patent Register. The
payments demo then pays the seller out, so the deal's ledger runs in euros end to end.
All through the services, with moments in the past.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from accounts.models import User
from core.dates import as_utc
from core.extensions import db
from deals import services as deals
from deals import trade_records
from deals.models import Deal, DealStatus
from deals.trade_rules import TechCategory, TradeDetails
from listings.models import Listing
from payments import bank_rules, ledger, offline
from trading import negotiations, notices
from trading.rules import MIN_PUBLICITY_DAYS

BUYER_EN = "Jinling Advanced Materials Co., Ltd."  # 金陵新材料股份有限公司, Nanjing
OFFER, AGREED = 220_000_00, 262_000_00  # euro cents; the listing asks €280,000
PAYMENT_TERMS = (
    "EUR 262,000 in one sum by bank transfer in euros to the market's settlement account "
    "within 30 days of the registration certificate's issue; the market pays the seller "
    "once the transfer is recorded in the European Patent Register."
)
CHECK_NOTE = (  # the reviewer writes for both parties
    "不属于《中国禁止进口限制进口技术目录》所列技术，属自由进口技术。"
    " Not in the catalogue of technologies prohibited or restricted from import: freely importable."
)
RIGHTS_REFERENCE = "European Patent Register, EP 99403122.7"


def certificate_number(deal: Deal, issued: datetime) -> str:
    """The number as the commerce department issues it: year, Jiangsu's division code, serial."""
    return f"{issued.year}320000{deal.id:06d}"


def load(
    *,
    listing: Listing,
    buyers: list[User],
    reviewer: User,
    now: datetime,
    upload_folder: Path,
    pdf: Callable[[str], bytes],
) -> dict[str, int]:
    """Negotiate, notice, record, check, sign, certify, pay and complete (returns the count)."""
    seller = db.session.get(User, listing.created_by_id)
    buyer = next((b for b in buyers if b.organisation and b.organisation.name_en == BUYER_EN), None)
    if seller is None or buyer is None:
        return {"deals_abroad": 0}
    deal = _agreed(listing, seller, buyer, now - timedelta(days=45))
    day = as_utc(deal.created_at)
    details = TradeDetails(TechCategory.FREE, "", None, PAYMENT_TERMS)
    trade_records.save(buyer, deal.id, details, now=day + timedelta(days=1))
    trade_records.check(reviewer, deal.id, CHECK_NOTE, now=day + timedelta(days=2))
    deals.advance(seller, deal.id, DealStatus.SIGNED, now=day + timedelta(days=4))
    issued = day + timedelta(days=7)
    trade_records.certify(reviewer, deal.id, certificate_number(deal, issued), now=issued)
    _pay(deal, buyer, reviewer, day + timedelta(days=12), upload_folder, pdf)
    registered = day + timedelta(days=20)
    deals.advance(
        seller, deal.id, DealStatus.RIGHTS_REGISTERED, now=registered, reference=RIGHTS_REFERENCE
    )
    deals.advance(seller, deal.id, DealStatus.COMPLETED, now=registered + timedelta(days=2))
    return {"deals_abroad": 1}


def _agreed(listing: Listing, seller: User, buyer: User, opened: datetime) -> Deal:
    """Offer, counter-offer, acceptance; the public notice (公示) runs clean and the deal is made."""
    opened = opened.replace(hour=2, minute=0, second=0, microsecond=0)  # 10:00 in Nanjing
    negotiation = negotiations.open_negotiation(
        buyer,
        listing.id,
        amount_minor=OFFER,
        message="We plan a pilot line for recyclable composite parts in Nanjing and offer "
        "EUR 220,000 for the patent with the process know-how.",
        now=opened,
    )
    negotiations.make_offer(
        seller,
        negotiation.id,
        AGREED,
        message="With the resin formulation, the process parameters and a week of training "
        "at your plant, we can agree at EUR 262,000.",
        now=opened + timedelta(days=1, hours=6),  # the morning in Munich
    )
    notice = negotiations.accept(buyer, negotiation.id, now=opened + timedelta(days=3))
    notices.close_notice(notice.id, now=opened + timedelta(days=3 + MIN_PUBLICITY_DAYS, hours=1))
    return db.session.query(Deal).filter_by(source_type="negotiation", source_id=negotiation.id).one()  # fmt: skip


def _pay(
    deal: Deal,
    buyer: User,
    reviewer: User,
    when: datetime,
    upload_folder: Path,
    pdf: Callable[[str], bytes],
) -> None:
    """The buyer wires the euros and uploads the bank's advice; a reviewer confirms it."""
    due = ledger.amount_due(deal)
    payment = offline.submit_receipt(
        buyer,
        deal.id,
        amount_minor=due,
        stream=io.BytesIO(pdf(f"Outward remittance advice / EUR {due // 100:,} / DEAL-{deal.id}")),
        filename="outward-remittance.pdf",
        bank_reference=bank_rules.deal_reference(deal.id),
        folder=offline.receipt_folder(upload_folder),
        max_bytes=2_000_000,
        now=when,
    )
    offline.confirm(reviewer, payment.id, now=when + timedelta(days=1))
