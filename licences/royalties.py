"""Royalties of licence deals: the licensee reports a period's net sales, the market
computes the royalty and posts it on the deal's ledger; the sweep reminds and flags.

Periods are reported in order, once each, after they end: the period that closes a
licence year tops the year up to the minimum, which needs the year's earlier royalties.
Each use case flushes; the caller's unit of work commits.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from accounts.models import User
from core.domain import N_, DomainError, PermissionDenied
from core.extensions import db
from core.row_lists import all_of
from core.service_kit import audit_action, flush_new, get_or_not_found
from deals.models import Deal, DealStatus
from licences import deal_rules, signals
from licences.deal_models import LicenceDeal, RoyaltyReport
from licences.deal_rules import Period
from listings.need_rules import market_today
from notifications.services import notify_org
from payments import accruals, ledger, proceeds, rules
from payments.rules import Account, EntryKind

IN_FORCE = (DealStatus.SIGNED, DealStatus.PAID, DealStatus.RIGHTS_REGISTERED, DealStatus.COMPLETED)


class RoyaltyRefused(DomainError):
    code = "royalty_refused"


def periods_of(licence: LicenceDeal) -> list[Period]:
    return deal_rules.periods(licence.starts_on, licence.ends_on, licence.period_months)


def next_unreported(licence: LicenceDeal) -> Period | None:
    """The first period the licensee has not reported."""
    done = {r.period_index for r in licence.reports}
    return next((p for p in periods_of(licence) if p.index not in done), None)


def _locked_licence(actor: User, deal_id: int) -> LicenceDeal:
    deal = get_or_not_found(Deal, deal_id, N_("No such deal."), lock=True)
    licence = db.session.get(LicenceDeal, deal_id)
    if licence is None or actor.acting_org_id != deal.buyer_org_id:
        raise PermissionDenied(N_("Only the licensee reports its net sales."))
    if deal.status not in IN_FORCE:
        raise RoyaltyRefused(N_("Royalties are reported once the licence is signed."), code="not_signed")  # fmt: skip
    return licence


def report(actor: User, deal_id: int, period_index: int, net_sales_minor: int, *, now: datetime) -> RoyaltyReport:  # fmt: skip
    """The licensee reports a period's net sales; the royalty is computed and posted."""
    licence = _locked_licence(actor, deal_id)
    today = market_today(now)
    upcoming = next_unreported(licence)
    if upcoming is None or upcoming.index != period_index:
        raise RoyaltyRefused(
            N_("Report the periods in order: the next one to report is period %(period)s."),
            code="period_out_of_order", period=(upcoming.index + 1) if upcoming else "—",
        )  # fmt: skip
    period = deal_rules.check_period_open(upcoming, today)
    year = deal_rules.year_of(period.index, licence.period_months)
    earlier = [r.royalty_minor for r in licence.reports if deal_rules.year_of(r.period_index, licence.period_months) == year]  # fmt: skip
    due = deal_rules.royalty_for(licence.terms, period.index, net_sales_minor, earlier)
    row = flush_new(
        RoyaltyReport(
            deal_id=licence.deal_id, period_index=period.index, period_starts_on=period.starts_on,
            period_ends_on=period.ends_on, due_on=period.due_on, net_sales_minor=net_sales_minor,
            rate_part_minor=due.rate_part_minor, top_up_minor=due.top_up_minor,
            royalty_minor=due.total_minor, late=deal_rules.is_late(period, today, today),
            reported_at=now, reported_by_id=actor.id,
        )
    )  # fmt: skip
    db.session.refresh(licence, ["reports"])
    _post(licence, row, now=now, actor_id=actor.id)
    audit_action("royalty.report", licence.deal_id, actor.id, now, after={"period": period.index, "net_sales_minor": net_sales_minor, "royalty_minor": row.royalty_minor, "top_up_minor": row.top_up_minor, "late": row.late}, object_type="deal")  # fmt: skip
    params = {**_about(licence, period), "amount_minor": row.royalty_minor, "currency": licence.deal.currency}  # fmt: skip
    notify_org(licence.deal.seller_org_id, "royalty.reported", params=params, link=_link(licence), now=now)  # fmt: skip
    return row


def royalty_key(deal_id: int, period_index: int) -> str:
    return f"deal-{deal_id}-royalty-{period_index}"


def _post(licence: LicenceDeal, row: RoyaltyReport, *, now: datetime, actor_id: int) -> None:
    """The royalty on the deal's ledger: the licensee owes it; the licensor and the market
    (its fee, as on the price) are owed. A period with nothing due posts nothing."""
    if row.royalty_minor == 0:
        return
    deal = licence.deal
    settlement = rules.settlement(row.royalty_minor, accruals.fee_bps(), [])
    legs = rules.accrual_legs(settlement, currency=deal.currency, buyer_org_id=deal.buyer_org_id, seller_org_id=deal.seller_org_id)  # fmt: skip
    memo = f"royalty of period {row.period_index + 1} (net sales {row.net_sales_minor})"
    key = royalty_key(deal.id, row.period_index)
    ledger.post(key, EntryKind.ROYALTY, legs, now=now, deal_id=deal.id, memo=memo, actor_id=actor_id)  # fmt: skip
    shares = proceeds.split_proceeds(deal, key, now=now, actor_id=actor_id)
    co_owners = -sum(leg.amount_minor for t in shares for leg in t.legs if leg.account == Account.CO_OWNER_PAYABLE)  # fmt: skip
    signals.royalty_posted.send(row, deal=deal, fee_minor=settlement.platform_fee, co_owners_minor=co_owners, now=now, actor_id=actor_id)  # fmt: skip


def _about(licence: LicenceDeal, period: Period) -> dict[str, str]:
    return {"title": licence.deal.title, "period": str(period.index + 1), "day": period.due_on.isoformat()}  # fmt: skip


def _link(licence: LicenceDeal) -> str:
    return f"/deals/{licence.deal_id}#royalties"


def _in_force() -> list[LicenceDeal]:
    return all_of(
        select(LicenceDeal)
        .join(Deal, Deal.id == LicenceDeal.deal_id)
        .where(Deal.status.in_(IN_FORCE))
        .order_by(LicenceDeal.deal_id)
    )


def sweep(*, now: datetime) -> int:
    """Remind each licensee a week before a report is due, and flag a report past its due
    day to both parties: once per period each (`reminded_for`, `late_told_for`)."""
    today = market_today(now)
    told = 0
    for licence in _in_force():
        period = next_unreported(licence)
        if period is None:
            continue
        told += _remind(licence, period, today, now) + _flag(licence, period, today, now)
    db.session.flush()
    return told


def _told(mark: int | None, period: Period) -> bool:
    return mark is not None and mark >= period.index


def _remind(licence: LicenceDeal, period: Period, today: date, now: datetime) -> int:
    if _told(licence.reminded_for, period) or today < period.due_on - timedelta(days=deal_rules.REMIND_DAYS) or today > period.due_on:  # fmt: skip
        return 0
    licence.reminded_for = period.index
    audit_action("royalty.remind", licence.deal_id, None, now, after={"period": period.index}, object_type="deal")  # fmt: skip
    notify_org(licence.deal.buyer_org_id, "royalty.reminder", params=_about(licence, period), link=_link(licence), now=now)  # fmt: skip
    return 1


def _flag(licence: LicenceDeal, period: Period, today: date, now: datetime) -> int:
    if _told(licence.late_told_for, period) or not deal_rules.is_late(period, None, today):  # fmt: skip
        return 0
    licence.late_told_for = period.index
    audit_action("royalty.late", licence.deal_id, None, now, after={"period": period.index}, object_type="deal")  # fmt: skip
    for org_id in (licence.deal.seller_org_id, licence.deal.buyer_org_id):
        notify_org(org_id, "royalty.late", params=_about(licence, period), link=_link(licence), now=now)  # fmt: skip
    return 1


def late_periods(licence: LicenceDeal, today: date) -> list[Period]:
    """Periods past their due day and still unreported (the deal page flags them)."""
    done = {r.period_index for r in licence.reports}
    return [p for p in periods_of(licence) if p.index not in done and deal_rules.is_late(p, None, today)]  # fmt: skip
