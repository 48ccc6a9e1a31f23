"""The inventors' pool of each royalty of a licence (促进科技成果转化法 Art. 45).

A licence's income keeps coming after the deal is signed: each royalty the licensee reports
is income of the licensing institution, and its pool is set as it is posted, with no one
to ask. The income is the royalty less the other rights holders' shares (not the
institution's); the costs deducted are the market's fee on the royalty, if the institution's
policy (or the statute's default) allows fees; the pool is the policy's share, never below
the statutory 50%, split among the inventors by their shares. An institution that has named
no inventors yet gets no pool for that royalty (nothing to split): the /rewards page says so.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from accounts.models import User
from accounts.services import get_organisation
from core.extensions import db
from core.row_lists import all_of
from core.service_kit import audit_action, flush_new
from deals.models import Deal
from licences.deal_models import RoyaltyReport
from licences.signals import royalty_posted
from rewards import rules
from rewards.models import DealReward, RewardLine
from rewards.rules import CostCategory, InventorShare
from rewards.services import (
    REWARDING_KINDS,
    inventors_of,
    post,
    require_institution_admin,
    tell_inventors,
    terms_of,
)


def reward_of(report_id: int) -> DealReward | None:
    return db.session.scalar(select(DealReward).where(DealReward.royalty_report_id == report_id))


def reward_royalty(report: RoyaltyReport, deal: Deal, *, fee_minor: int, co_owners_minor: int, now: datetime) -> DealReward | None:  # fmt: skip
    """The royalty's pool, split and posted (once per report); None when there is none to set."""
    if get_organisation(deal.seller_org_id).kind not in REWARDING_KINDS or report.royalty_minor <= 0:  # fmt: skip
        return None
    existing = reward_of(report.id)
    inventors = inventors_of(deal.listing_id) if deal.listing_id else []
    if existing is not None or not inventors:
        return existing
    share_bp, allowed = terms_of(deal.seller_org_id)
    income = max(0, report.royalty_minor - co_owners_minor)
    costs = {CostCategory.FEES: fee_minor} if fee_minor else {}
    net = rules.net_income(income, costs, allowed)
    pool = rules.reward_pool(net, share_bp)
    amounts = rules.split(pool, [InventorShare(i.id, i.share_bp) for i in inventors])
    reward = flush_new(
        DealReward(
            deal_id=deal.id, royalty_report_id=report.id, org_id=deal.seller_org_id,
            price_minor=income, costs={c.value: a for c, a in costs.items()}, net_minor=net,
            share_bp=share_bp, pool_minor=pool, currency=deal.currency, awarded_by_id=None,
            awarded_at=now,
            lines=[
                RewardLine(inventor_id=i.id, share_bp=i.share_bp, amount_minor=amount)
                for i, amount in zip(inventors, amounts, strict=True)
            ],
        )
    )  # fmt: skip
    period = report.period_index + 1
    memo = f"促进科技成果转化法第四十五条 inventors' reward of deal {deal.id}, royalty of period {period}"  # fmt: skip
    post(reward, deal, f"inventor_reward:{deal.id}:royalty:{report.period_index}", memo, None, now)
    after = {"deal_id": deal.id, "period": report.period_index, "income_minor": income, "net_minor": net, "share_bp": share_bp, "pool_minor": pool, "lines": amounts}  # fmt: skip
    audit_action("deal_reward.royalty", reward.id, None, now, after=after)
    tell_inventors(inventors, amounts, deal, now)
    return reward


def on_royalty_posted(report: RoyaltyReport, *, deal: Deal, fee_minor: int, co_owners_minor: int, now: datetime, **_: Any) -> DealReward | None:  # fmt: skip
    return reward_royalty(report, deal, fee_minor=fee_minor, co_owners_minor=co_owners_minor, now=now)  # fmt: skip


def royalty_rewards(actor: User) -> list[DealReward]:
    """The institution's royalty pools, newest first: the /rewards page's table and the API's
    list (the administrators of a university or institute; PermissionDenied else)."""
    org_id = actor.acting_org_id or 0
    require_institution_admin(actor, org_id)
    query = (
        select(DealReward)
        .where(DealReward.org_id == org_id, DealReward.royalty_report_id.is_not(None))
        .order_by(DealReward.awarded_at.desc(), DealReward.id.desc())
        .limit(200)
    )
    return all_of(query)


def connect() -> None:
    """Connect the receivers (blinker ignores a receiver connected twice)."""
    royalty_posted.connect(on_royalty_posted, weak=False)
