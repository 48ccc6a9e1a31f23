"""Demo payments: the paid demo deals get their price paid by bank and the completed ones paid out.

Deposits and accruals are already on the ledger (the trading demo goes through the
services, which post them); this adds the cash movements, through the same services.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from accounts.models import User
from core.extensions import db
from core.row_lists import all_of
from deals.models import Deal, DealStatus
from payments import bank_rules, ledger, offline, payouts

_PAID = (DealStatus.PAID, DealStatus.RIGHTS_REGISTERED, DealStatus.COMPLETED)


def load(*, reviewer: User, now: datetime, upload_folder: Path, pdf: bytes) -> dict[str, int]:
    """Pay the paid deals by bank (receipt + reviewer's confirmation); pay out the completed ones."""
    paid = paid_out = 0
    when = now - timedelta(days=9)
    for deal in all_of(
        select(Deal).where(Deal.status.in_(_PAID), Deal.buyer_org_id.is_not(None)).order_by(Deal.id)
    ):
        buyer = db.session.scalar(
            select(User).where(User.organisation_id == deal.buyer_org_id).order_by(User.id).limit(1)
        )
        if buyer is None:
            continue
        due = ledger.amount_due(deal)
        if due > 0:
            payment = offline.submit_receipt(
                buyer,
                deal.id,
                amount_minor=due,
                stream=io.BytesIO(pdf),
                filename="付款回单.pdf",
                bank_reference=bank_rules.deal_reference(deal.id),
                folder=offline.receipt_folder(upload_folder),
                max_bytes=2_000_000,
                now=when,
            )
            offline.confirm(reviewer, payment.id, now=when)
            paid += 1
        if deal.status == DealStatus.COMPLETED:
            for payout in payouts.release_payouts(reviewer, deal.id, now=when):
                offline.record_bank_payout(
                    reviewer, payout.id, f"DEMO-OUT-{payout.id:05d}", now=when
                )
                paid_out += 1
    return {"payments": paid, "payouts": paid_out}
