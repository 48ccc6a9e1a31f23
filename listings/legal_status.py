"""Patents' legal status and pledgees' consents: reviewers record them from the register;
publishing, selling and licensing ask them first.

Each use case flushes; the caller's unit of work commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from accounts.models import User
from accounts.services import require_reviewer
from core.domain import N_, ValidationFailed
from core.row_lists import all_of
from core.service_kit import audit_action, flush_new, get_or_not_found
from listings import legal_rules
from listings.legal_rules import LegalStatus, Purpose, StatusRecord
from listings.models import IPAsset, Listing, PatentStatusRecord, PledgeeConsent

MAX_TEXT = 300


@dataclass(frozen=True)
class NewStatus:
    """What a reviewer read in the register."""

    status: LegalStatus
    effective_on: date
    source: str
    pledgee: str | None = None


def _text(value: str | None, field: str, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationFailed(N_("At most %(limit)s characters."), field=field, limit=limit)
    return text


def record_status(
    reviewer: User, ip_asset_id: int, data: NewStatus, *, now: datetime
) -> PatentStatusRecord:
    """A reviewer records a patent's legal status as of a date, with its source."""
    require_reviewer(reviewer)
    asset = get_or_not_found(IPAsset, ip_asset_id, N_("No such patent."))
    source, pledgee = _text(data.source, "source"), _text(data.pledgee, "pledgee", 200)
    legal_rules.check_record(data.status, pledgee, source)
    record = flush_new(
        PatentStatusRecord(
            patent_number=asset.number, status=data.status, effective_on=data.effective_on,
            source=source, pledgee=pledgee if data.status == LegalStatus.PLEDGED else None,
            recorded_by_id=reviewer.id, recorded_at=now,
        )
    )  # fmt: skip
    after = {"patent_number": asset.number, "status": data.status.value, "effective_on": data.effective_on.isoformat(), "source": source, "pledgee": record.pledgee}  # fmt: skip
    audit_action("patent_status.record", record.id, reviewer.id, now, after=after)
    return record


def record_consent(
    reviewer: User, ip_asset_id: int, purpose: Purpose, reference: str, *, now: datetime
) -> PledgeeConsent:
    """A reviewer records the pledgee's written consent to transfer or license the patent."""
    require_reviewer(reviewer)
    asset = get_or_not_found(IPAsset, ip_asset_id, N_("No such patent."))
    reference = _text(reference, "reference")
    if not reference:
        raise ValidationFailed(N_("Name the pledgee's letter of consent."), field="reference")
    record = status_of(asset.number)
    if record is None or record.status != LegalStatus.PLEDGED:
        raise legal_rules.LegalStatusRefused(N_("This patent is not pledged."), code="not_pledged")
    consent = flush_new(
        PledgeeConsent(
            patent_number=asset.number, pledgee=record.pledgee or "", purpose=purpose,
            reference=reference, recorded_by_id=reviewer.id, recorded_at=now,
        )
    )  # fmt: skip
    after = {"patent_number": asset.number, "pledgee": consent.pledgee, "purpose": purpose.value, "reference": reference}  # fmt: skip
    audit_action("pledgee_consent.record", consent.id, reviewer.id, now, after=after)
    return consent


def records_of(number: str) -> list[PatentStatusRecord]:
    """A patent's recorded statuses, latest first."""
    query = select(PatentStatusRecord).where(PatentStatusRecord.patent_number == number)
    rows = all_of(query)
    return sorted(rows, key=lambda r: (r.effective_on, r.id), reverse=True)


def status_of(number: str) -> StatusRecord | None:
    """The status in force of a patent, None when nothing is recorded."""
    return legal_rules.current(
        StatusRecord(r.status, r.effective_on, r.id, r.pledgee) for r in records_of(number)
    )


def consents_of(number: str) -> list[PledgeeConsent]:
    """The pledgees' consents recorded for a patent, oldest first."""
    query = select(PledgeeConsent).where(PledgeeConsent.patent_number == number)
    return all_of(query.order_by(PledgeeConsent.id))


def check_may_publish(listing: Listing) -> None:
    """Refuse to offer a listing with a lapsed or invalidated patent."""
    for asset in listing.ip_assets:
        legal_rules.check_may_publish(asset.number, status_of(asset.number))


def purpose_of(transfer_modes: list[str]) -> Purpose:
    """A sale transfers the patent when the listing offers assignment, else licenses it."""
    return Purpose.TRANSFER if "assignment" in transfer_modes else Purpose.LICENCE


def check_may_dispose(number: str, purpose: Purpose) -> None:
    """Refuse a sale or licence of a dead patent, or of a pledged one without consent."""
    consents = [(c.pledgee, c.purpose) for c in consents_of(number)]
    legal_rules.check_may_dispose(number, status_of(number), purpose, consents)


def check_listing_may_be_sold(listing: Listing) -> None:
    """Every patent of the listing may be disposed of as the listing offers it."""
    purpose = purpose_of(listing.transfer_modes or [])
    for asset in listing.ip_assets:
        check_may_dispose(asset.number, purpose)
