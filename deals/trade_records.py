"""Technology import/export contract records (技术进出口合同登记): prepare, check, certify, export.

The party in China (the seller of an export, the buyer of an import: the one who registers
the contract) or a reviewer fills the record of a deal whose parties are in different
countries; a reviewer checks the technology's category against the catalogues (the
outcome is audited: cleared, licence required, prohibited) and records the registration
certificate number once issued. They flush; the caller's unit of work commits.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from accounts.models import Organisation, User
from accounts.services import can_review, is_signed_in, require_reviewer
from core import rates
from core.currencies import exponent
from core.dates import as_utc
from core.domain import N_, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.i18n import market_tz
from core.service_kit import audit_action, get_or_not_found
from core.spreadsheet_cells import formula_safe
from deals.models import Deal, DealStatus
from deals.trade_models import TradeRecord
from deals.trade_rules import (
    TechCategory,
    TradeDetails,
    TradeDirection,
    TradeRuleBroken,
    UsdFigure,
    check_details,
    check_may_sign,
    check_outcome,
    country_of,
    direction,
    usd_figure,
)

CSV_FIELDS = (
    "deal_id", "direction", "seller", "seller_country", "buyer", "buyer_country", "title",
    "category", "catalogue_ref", "amount", "currency", "usd_amount", "usd_basis", "usd_rate_day",
    "payment_terms",
    "licence_number", "check_outcome", "checked_at", "certificate_number",
)  # fmt: skip


@dataclass(frozen=True)
class TradeView:
    """A deal and its record as the page and the export show them."""

    deal: Deal
    direction: TradeDirection | None
    seller_country: str
    buyer_country: str
    record: TradeRecord | None


def _deal_for(actor: User | None, deal_id: int) -> Deal:
    deal = get_or_not_found(Deal, deal_id, N_("No such deal."))
    org_id = actor.acting_org_id if is_signed_in(actor) else None
    if not (can_review(actor) or (org_id and org_id in (deal.seller_org_id, deal.buyer_org_id))):
        raise NotFound(N_("No such deal."))
    return deal


def _countries(deal: Deal) -> tuple[str, str]:
    seller = db.session.get(Organisation, deal.seller_org_id)
    buyer = db.session.get(Organisation, deal.buyer_org_id) if deal.buyer_org_id else None
    return country_of(seller.country if seller else None), country_of(buyer.country if buyer else None)  # fmt: skip


def direction_of(deal: Deal) -> TradeDirection | None:
    """Whether the deal is a technology export or import (None: domestic)."""
    return direction(*_countries(deal))


def deal_day(deal: Deal) -> date:
    """The deal's day in the market's zone: its amount is converted at that day's rate."""
    return as_utc(deal.created_at).astimezone(market_tz()).date()


def usd_of(deal: Deal, manual: int | None = None) -> UsdFigure:
    """The deal's amount in US dollars at the reference rate of its day (`manual` only
    when no rate covers the day; ValidationFailed when neither is there)."""
    day = deal_day(deal)
    return usd_figure(deal.price_minor, deal.currency, rates.table(day), day, manual)


def usd_preview(deal: Deal) -> UsdFigure | None:
    """What the record's dollar figure would be now; None when it must be entered by hand."""
    try:
        return usd_of(deal)
    except ValidationFailed:
        return None


def view_for(actor: User | None, deal_id: int) -> TradeView:
    """The deal's record for its parties and the reviewers (NotFound for anyone else)."""
    deal = _deal_for(actor, deal_id)
    seller, buyer = _countries(deal)
    return TradeView(
        deal, direction(seller, buyer), seller, buyer, db.session.get(TradeRecord, deal.id)
    )


def registrant_org_id(view: TradeView) -> int | None:
    """The party in China, who registers the contract: the exporter, or the importer."""
    if view.direction is None:
        return None
    deal = view.deal
    return deal.seller_org_id if view.direction == TradeDirection.EXPORT else deal.buyer_org_id


def may_complete(actor: User, view: TradeView) -> bool:
    """A reviewer, or the party in China acting for its organisation."""
    if view.direction is None:
        return False
    return can_review(actor) or (
        actor.acting_org_id is not None and actor.acting_org_id == registrant_org_id(view)
    )


def save(actor: User, deal_id: int, details: TradeDetails, *, now: datetime) -> TradeRecord:
    """The party in China (or a reviewer) completes or corrects the record of a cross-border deal."""
    view = view_for(actor, deal_id)
    deal = view.deal
    if view.direction is None:
        raise TradeRuleBroken(N_("This deal has no party abroad."), code="domestic")
    if not may_complete(actor, view):
        raise PermissionDenied(
            N_(
                "Only the party in China, who registers the contract, or a reviewer may complete the record."
            )
        )
    if deal.status == DealStatus.CANCELLED:
        raise TradeRuleBroken(N_("This deal was cancelled."), code="deal_closed")
    if view.record is not None and view.record.certificate_number:
        # The office registered what the record says: a change is a new registration.
        raise TradeRuleBroken(
            N_(
                "The record is registered (its certificate is issued): it can no longer be changed."
            ),
            code="registered",
        )
    check_details(details)
    usd = usd_of(deal, details.usd_minor)
    record = view.record or TradeRecord(deal_id=deal.id)
    changed = (
        record.category != details.category
        or (record.licence_number or "") != details.licence_number.strip()
    )
    values = {
        "direction": view.direction, "seller_country": view.seller_country,
        "buyer_country": view.buyer_country, "category": details.category,
        "catalogue_ref": details.catalogue_ref.strip() or None, "amount_minor": deal.price_minor,
        "currency": deal.currency, "usd_minor": usd.minor, "usd_rate_on": usd.rate_on,
        "usd_manual": usd.manual,
        "payment_terms": details.payment_terms.strip(),
        "licence_number": details.licence_number.strip() or None, "updated_at": now,
    }  # fmt: skip
    for name, value in values.items():
        setattr(record, name, value)
    if changed:  # a check stands for what it checked
        record.check_outcome, record.checked_at, record.checked_by_id = None, None, None
    db.session.add(record)
    db.session.flush()
    after = {k: str(v) if v is not None else None for k, v in values.items() if k != "updated_at"}
    audit_action("deal.trade_record", deal.id, actor.id, now, after=after)
    return record


def check(actor: User, deal_id: int, note: str, *, now: datetime) -> TradeRecord:
    """A reviewer checks the category against the catalogues; the outcome is audited."""
    require_reviewer(actor)
    record = _record(actor, deal_id)
    if len(note) > 2000:
        raise ValidationFailed(N_("The text is too long."), field="note")
    outcome = check_outcome(record.category, record.licence_number)
    before = {"check_outcome": str(record.check_outcome) if record.check_outcome else None}
    record.check_outcome, record.check_note = outcome, note.strip() or None
    record.checked_at, record.checked_by_id = now, actor.id
    db.session.flush()
    audit_action("deal.trade_check", deal_id, actor.id, now, before=before,
                 after={"check_outcome": str(outcome), "category": str(record.category)})  # fmt: skip
    return record


def certify(actor: User, deal_id: int, number: str, *, now: datetime) -> TradeRecord:
    """A reviewer records the registration certificate number once the office issued it."""
    require_reviewer(actor)
    record = _record(actor, deal_id)
    text = number.strip()
    if not text or len(text) > 64:
        raise ValidationFailed(N_("Give the certificate number as issued."), field="certificate_number")  # fmt: skip
    if record.check_outcome is None or record.check_outcome.value != "cleared":
        raise TradeRuleBroken(N_("Only a record the check cleared is registered."), code="not_cleared")  # fmt: skip
    before = {"certificate_number": record.certificate_number}
    record.certificate_number, record.certified_at, record.certified_by_id = text, now, actor.id
    db.session.flush()
    audit_action("deal.trade_certificate", deal_id, actor.id, now, before=before,
                 after={"certificate_number": text})  # fmt: skip
    return record


def _record(actor: User, deal_id: int) -> TradeRecord:
    _deal_for(actor, deal_id)
    record = db.session.get(TradeRecord, deal_id)
    if record is None:
        raise NotFound(N_("The import/export record has not been completed yet."))
    return record


def check_signing(deal: Deal) -> None:
    """Refuse to sign a cross-border deal whose record says it may not be (deals.services)."""
    record = db.session.get(TradeRecord, deal.id)
    if record is not None:
        check_may_sign(record.category, record.licence_number)


def _major(minor: int, currency: str) -> str:
    """An amount in major units with its currency's decimals (the yen has none)."""
    places = exponent(currency)
    return str(Decimal(minor).scaleb(-places))


def _basis(record: TradeRecord) -> str:
    """How the dollar figure was found: "reference_rate", "manual" or "usd" (not converted)."""
    if record.usd_manual:
        return "manual"
    return "reference_rate" if record.usd_rate_on else "usd"


def csv_name(deal_id: int) -> str:
    """The name of a deal's record as a CSV file."""
    return f"tech-trade-record-{deal_id}.csv"


def record_csv(view: TradeView) -> str:
    """The record as one CSV row under its header (formula-looking cells neutralised)."""
    deal, record = view.deal, view.record
    row = {
        "deal_id": deal.id, "direction": view.direction, "seller": deal.seller_name,
        "seller_country": view.seller_country, "buyer": deal.buyer_name,
        "buyer_country": view.buyer_country, "title": deal.title,
        "amount": _major(deal.price_minor, deal.currency), "currency": deal.currency,
    }  # fmt: skip
    if record is not None:
        row |= {
            "category": record.category, "catalogue_ref": record.catalogue_ref,
            "usd_amount": f"{record.usd_minor / 100:.2f}", "usd_basis": _basis(record),
            "usd_rate_day": record.usd_rate_on.isoformat() if record.usd_rate_on else None,
            "payment_terms": record.payment_terms,
            "licence_number": record.licence_number, "check_outcome": record.check_outcome,
            "checked_at": record.checked_at.isoformat() if record.checked_at else None,
            "certificate_number": record.certificate_number,
        }  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    writer.writerow([formula_safe(row.get(name)) for name in CSV_FIELDS])
    return out.getvalue()


CATEGORIES = list(TechCategory)
