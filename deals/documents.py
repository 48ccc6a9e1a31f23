"""Documents of a deal (the contract, receipts, the patent office's registration notice) and the
registration of an offline deal together with its contract.

Files are kept like listing evidence (`core.storage`): the type is sniffed from the
content, the name on disk is random, and a file whose unit of work rolls back is removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path

from sqlalchemy import select

from accounts.models import Organisation, User
from accounts.rules import normalise_credit_code
from accounts.services import is_signed_in
from core.clock import as_utc
from core.domain import N_, DomainError, NotFound, ValidationFailed
from core.extensions import db
from core.service_kit import (
    DocumentAudit,
    Upload,
    check_document_kind,
    keep_document,
)
from deals import services
from deals.models import Deal, DealDocument, DealStatus
from deals.registration import SHANGHAI
from listings import services as listings

DOCUMENT_KINDS: tuple[str, ...] = ("contract", "payment_receipt", "rights_registration", "other")


def _store(
    actor: User,
    deal: Deal,
    kind: str,
    upload: Upload,
    *,
    folder: Path,
    max_bytes: int,
    now: datetime,
) -> DealDocument:
    """Write the file and add its row and audit entry (flushes); refused files write nothing.

    The file is removed again if the unit of work rolls back.
    """
    check_document_kind(kind, DOCUMENT_KINDS)
    if not upload.filename:
        raise ValidationFailed(N_("Choose a file to upload."), field="file")
    return keep_document(
        DealDocument(deal_id=deal.id, kind=kind), upload, DocumentAudit("deal.document_add", deal.id),
        kinds=DOCUMENT_KINDS, by=actor.id, now=now, folder=folder, max_bytes=max_bytes,
    )  # fmt: skip


def attach_document(
    actor: User,
    deal_id: int,
    *,
    kind: str,
    upload: Upload,
    folder: Path,
    max_bytes: int,
    now: datetime,
) -> DealDocument:
    """A party or a reviewer attaches a document to a deal that has not been cancelled."""
    deal = services.visible_deal(actor, deal_id)
    if deal.status == DealStatus.CANCELLED:
        raise DomainError(N_("A cancelled deal takes no more documents."), code="deal_closed")
    return _store(actor, deal, kind, upload, folder=folder, max_bytes=max_bytes, now=now)


def document_for_download(actor: User | None, document_id: int) -> DealDocument:
    """A deal's document, for the parties and the reviewers only."""
    document = db.session.get(DealDocument, document_id)
    if document is None or not is_signed_in(actor):
        raise NotFound(N_("No such document."))
    services.visible_deal(actor, document.deal_id)  # NotFound for everyone else
    return document


# --- offline deals ------------------------------------------------------------------------


@dataclass(frozen=True)
class OfflineEntry(services.OfflineTerms):
    """An offline deal as a reviewer types it: parties by name and, if registered, credit code."""

    signed_on: date
    seller_credit_code: str | None = None
    buyer_credit_code: str | None = None
    listing_id: int | None = None


def _organisation_by_code(code: str | None, field: str) -> Organisation | None:
    if not (code or "").strip():
        return None
    try:
        normalised = normalise_credit_code(code or "")
    except ValidationFailed as error:
        error.field = field
        raise
    org = db.session.scalar(select(Organisation).where(Organisation.credit_code == normalised))
    if org is None:
        raise ValidationFailed(
            N_(
                "No registered organisation has this credit code; leave it empty "
                "for a party that is not on the platform."
            ),
            field=field,
        )
    return org


def offline_deal_from(
    actor: User, entry: OfflineEntry, *, now: datetime, tz: tzinfo = SHANGHAI
) -> services.OfflineDeal:
    """Resolve credit codes and the listing into the ledger's OfflineDeal (reviewers and
    accredited brokers).

    A party matched by credit code is linked to its organisation (it then sees the deal),
    and its registered name fills an empty name field; a listing names its seller.
    """
    services.require_offline_registrar(actor, now=now)
    if entry.signed_on > as_utc(now).astimezone(tz).date():
        raise ValidationFailed(N_("The signing date cannot be in the future."), field="signed_on")
    seller = _organisation_by_code(entry.seller_credit_code, "seller_credit_code")
    buyer = _organisation_by_code(entry.buyer_credit_code, "buyer_credit_code")
    title = entry.title.strip()
    if entry.listing_id is not None:
        try:
            listing = listings.get_listing(entry.listing_id)
        except NotFound as error:
            error.field = "listing_id"
            raise
        if seller is not None and seller.id != listing.organisation_id:
            raise ValidationFailed(
                N_("This listing belongs to another organisation than the seller."),
                field="listing_id",
            )
        seller = seller or listing.organisation
        title = title or listing.title("zh_CN")
    if seller is not None and buyer is not None and seller.id == buyer.id:
        raise ValidationFailed(
            N_("The seller and the buyer must be different organisations."),
            field="buyer_credit_code",
        )
    # The day the contract was signed, as midnight of that day in the market's time zone.
    signed_at = datetime.combine(entry.signed_on, time(0, 0), tzinfo=tz).astimezone(UTC)
    return services.OfflineDeal(
        seller_name=entry.seller_name.strip() or (seller.name if seller else ""),
        buyer_name=entry.buyer_name.strip() or (buyer.name if buyer else ""),
        title=title,
        method=entry.method,
        contract_type=entry.contract_type,
        price_minor=entry.price_minor,
        signed_on=signed_at,
        seller_org_id=seller.id if seller else None,
        buyer_org_id=buyer.id if buyer else None,
        listing_id=entry.listing_id,
    )


def register_offline_deal_with_contract(
    actor: User,
    entry: OfflineEntry,
    contract: Upload,
    *,
    folder: Path,
    max_bytes: int,
    now: datetime,
) -> Deal:
    """A reviewer or an accredited broker registers an offline deal with its signed
    contract, in one unit of work.

    If the entry or the contract is refused, the caller's unit of work rolls back and
    nothing is saved: no deal, no listing change, no file.
    """
    data = offline_deal_from(actor, entry, now=now)
    deal = services.register_offline_deal(actor, data, now=now)
    _store(actor, deal, "contract", contract, folder=folder, max_bytes=max_bytes, now=now)
    return deal
