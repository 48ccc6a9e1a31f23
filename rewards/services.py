"""Inventors' rewards (促进科技成果转化法 Art. 45): the use cases.

An institution's administrators name a listing's inventors with their shares, set the
institution's reward policy and, for each completed transfer or licence, record the deal's
costs: the net income, the pool and each inventor's part are written once and posted on
the deal's ledger (the institution's own accounts: no money moves through the market).
Each use case flushes; the caller's unit of work commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, func, or_, select

from accounts.models import OrganisationKind, User
from accounts.services import is_signed_in
from core.domain import N_, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.row_lists import all_of
from core.service_kit import audit_action, flush_new, get_or_not_found
from deals.models import Deal
from deals.rules import ContractType, DealStatus
from listings.services import get_listing
from notifications.services import notify
from payments import ledger
from payments.rules import Account, EntryKind, Leg
from rewards import rules
from rewards.models import DealReward, ListingInventor, RewardLine, RewardPolicy
from rewards.rules import CostCategory, InventorShare, RewardRefused

_PRICE_REWARD = DealReward.royalty_report_id.is_(None)  # not a royalty's
REWARDED_CONTRACTS = (ContractType.TRANSFER, ContractType.LICENCE)
COMPLETED_SHOWN = 200  # the /rewards page's list of completed deals
# Art. 45 binds the state's research institutes and universities (研究开发机构、高等院校).
REWARDING_KINDS = (OrganisationKind.UNIVERSITY, OrganisationKind.INSTITUTE)
# Without a policy of its own, the law's floor applies with the costs DOMAIN.md names.
STATUTORY = (rules.STATUTORY_FLOOR_BP, frozenset(CostCategory))


@dataclass(frozen=True)
class NewInventor:
    """An inventor as the institution names them; `email` links an account if there is one."""

    name: str
    share_bp: int
    email: str | None = None


def require_admin_of(actor: User | None, org_id: int) -> User:
    """The actor, an administrator of the organisation; else PermissionDenied."""
    if not is_signed_in(actor) or not actor.is_org_admin or actor.acting_org_id != org_id:
        raise PermissionDenied(N_("Only the institution's administrators may do this."))
    return actor


def require_institution_admin(actor: User | None, org_id: int) -> User:
    """An administrator of a university or research institute (whom Art. 45 binds)."""
    admin = require_admin_of(actor, org_id)
    if admin.organisation is None or admin.organisation.kind not in REWARDING_KINDS:
        raise PermissionDenied(N_("Inventors' rewards are for universities and research institutes."))  # fmt: skip
    return admin


def policy_of(org_id: int) -> RewardPolicy | None:
    """The institution's own reward policy, None when the statutory floor applies."""
    return db.session.scalar(select(RewardPolicy).where(RewardPolicy.org_id == org_id))


def terms_of(org_id: int) -> tuple[int, frozenset[CostCategory]]:
    """The share and deductible costs that apply: the policy's, else the statute's."""
    policy = policy_of(org_id)
    if policy is None:
        return STATUTORY
    return policy.share_bp, frozenset(CostCategory(c) for c in policy.allowed_costs)


def set_policy(actor: User, share_bp: int, allowed: frozenset[CostCategory], *, now: datetime) -> RewardPolicy:  # fmt: skip
    """An administrator sets the institution's reward policy (never below the floor)."""
    org_id = actor.acting_org_id
    require_institution_admin(actor, org_id or 0)
    assert org_id is not None
    rules.check_policy_share(share_bp)
    policy = policy_of(org_id)
    before = None if policy is None else {"share_bp": policy.share_bp, "allowed_costs": policy.allowed_costs}  # fmt: skip
    if policy is None:
        policy = RewardPolicy(org_id=org_id)
        db.session.add(policy)
    policy.share_bp, policy.allowed_costs = share_bp, sorted(c.value for c in allowed)
    policy.updated_by_id, policy.updated_at = actor.id, now
    db.session.flush()
    after = {"share_bp": share_bp, "allowed_costs": policy.allowed_costs}
    audit_action("reward_policy.set", policy.id, actor.id, now, before=before, after=after)
    return policy


def inventors_of(listing_id: int) -> list[ListingInventor]:
    """A listing's inventors in the order named."""
    query = select(ListingInventor).where(ListingInventor.listing_id == listing_id)
    return all_of(query.order_by(ListingInventor.position))


def _user_by_email(email: str) -> int:
    user_id = db.session.scalar(select(User.id).where(func.lower(User.email) == email.lower()))
    if user_id is None:
        raise ValidationFailed(
            N_("No one on the market has the e-mail %(email)s."), field="inventors", email=email
        )
    return user_id


def set_inventors(actor: User, listing_id: int, named: Sequence[NewInventor], *, now: datetime) -> list[ListingInventor]:  # fmt: skip
    """The institution names a listing's inventors and their shares (100% together)."""
    listing = get_listing(listing_id)
    require_admin_of(actor, listing.organisation_id)
    rules.check_shares([i.share_bp for i in named])
    if any(not i.name.strip() or len(i.name) > 100 for i in named):
        raise ValidationFailed(N_("Give each inventor's name."), field="inventors")
    old = inventors_of(listing_id)
    rewarded = select(RewardLine.id).where(RewardLine.inventor_id.in_([i.id for i in old]))
    if old and db.session.scalar(rewarded.limit(1)) is not None:
        raise RewardRefused(
            N_("Rewards were paid to these inventors: their shares can no longer change."),
            code="inventors_rewarded",
        )
    before = [{"name": i.name, "share_bp": i.share_bp, "user_id": i.user_id} for i in old]
    for row in old:
        db.session.delete(row)
    db.session.flush()
    rows = [
        flush_new(
            ListingInventor(
                listing_id=listing_id, position=n, name=i.name.strip(), share_bp=i.share_bp,
                user_id=_user_by_email(i.email) if i.email else None,
            )
        )
        for n, i in enumerate(named)
    ]  # fmt: skip
    after = [{"name": i.name, "share_bp": i.share_bp, "user_id": i.user_id} for i in rows]
    audit_action("listing.inventors_set", listing_id, actor.id, now, before={"inventors": before}, after={"inventors": after})  # fmt: skip
    return rows


def check_award(actor: User | None, deal: Deal) -> list[ListingInventor]:
    """Whether the actor may set this deal's reward now (writes nothing): the inventors to
    split it among, else the refusal. The award and the API's `allowed_actions` ask it."""
    require_institution_admin(actor, deal.seller_org_id)
    if deal.status != DealStatus.COMPLETED or deal.contract_type not in REWARDED_CONTRACTS:
        raise RewardRefused(
            N_("Rewards are set for completed transfers and licences."), code="not_rewardable"
        )
    if db.session.scalar(select(DealReward.id).where(DealReward.deal_id == deal.id, _PRICE_REWARD)):  # fmt: skip
        raise RewardRefused(N_("This deal's reward is already set."), code="already_awarded")
    inventors = inventors_of(deal.listing_id) if deal.listing_id else []
    if not inventors:
        raise RewardRefused(N_("Name the result's inventors and their shares first."), code="no_inventors")  # fmt: skip
    return inventors


def award(actor: User, deal_id: int, costs: Mapping[CostCategory, int], *, now: datetime) -> DealReward:  # fmt: skip
    """The institution records a completed deal's costs: net income, pool, split, ledger."""
    deal = get_or_not_found(Deal, deal_id, N_("No such deal."), lock=True)
    inventors = check_award(actor, deal)
    share_bp, allowed = terms_of(deal.seller_org_id)
    net = rules.net_income(deal.price_minor, costs, allowed)
    pool = rules.reward_pool(net, share_bp)
    amounts = rules.split(pool, [InventorShare(i.id, i.share_bp) for i in inventors])
    reward = flush_new(
        DealReward(
            deal_id=deal.id, org_id=deal.seller_org_id, price_minor=deal.price_minor,
            costs={c.value: amount for c, amount in costs.items() if amount},
            net_minor=net, share_bp=share_bp, pool_minor=pool, currency=deal.currency,
            awarded_by_id=actor.id, awarded_at=now,
            lines=[
                RewardLine(inventor_id=i.id, share_bp=i.share_bp, amount_minor=amount)
                for i, amount in zip(inventors, amounts, strict=True)
            ],
        )
    )  # fmt: skip
    memo = f"促进科技成果转化法第四十五条 inventors' reward of deal {deal.id}"
    post(reward, deal, f"inventor_reward:{deal.id}", memo, actor.id, now)
    after = {"deal_id": deal.id, "net_minor": net, "share_bp": share_bp, "pool_minor": pool, "costs": reward.costs, "lines": amounts}  # fmt: skip
    audit_action("deal_reward.award", reward.id, actor.id, now, after=after)
    tell_inventors(inventors, amounts, deal, now)
    return reward


def tell_inventors(inventors: Sequence[ListingInventor], amounts: Sequence[int], deal: Deal, now: datetime) -> None:  # fmt: skip
    """Each inventor with an account learns their share of a pool just set (a zero share, nothing)."""
    listing = get_listing(deal.listing_id) if deal.listing_id else None
    titles = listing.titles() if listing else {"title": deal.title}
    for inventor, amount in zip(inventors, amounts, strict=True):
        if inventor.user_id is not None and amount > 0:
            params = {**titles, "amount_minor": amount, "currency": deal.currency}
            notify([inventor.user_id], "reward.set", params=params, link=f"/rewards/inventors/{inventor.id}", now=now)  # fmt: skip


def post(reward: DealReward, deal: Deal, key: str, memo: str, actor_id: int | None, now: datetime) -> None:  # fmt: skip
    """The pool on the deal's ledger: set aside from the institution's inventors' rewards."""
    if reward.pool_minor == 0:
        return  # nothing to set aside: a zero posting says nothing
    legs = [
        Leg(Account.REWARD_POOL, reward.pool_minor, reward.currency, deal.seller_org_id),
        Leg(Account.INVENTOR_REWARDS, -reward.pool_minor, reward.currency, deal.seller_org_id),
    ]
    ledger.post(key, EntryKind.INVENTOR_REWARD, legs, now=now, deal_id=deal.id, memo=memo, actor_id=actor_id)  # fmt: skip


class CompletedDeal(NamedTuple):
    """A completed transfer or licence and its reward (None until set)."""

    deal: Deal
    reward: DealReward | None


def _older_than(deal_id: int) -> ColumnElement[bool]:
    """The deals after `deal_id` in the list's order (completion, newest first; then id)."""
    at = db.session.scalar(select(Deal.completed_at).where(Deal.id == deal_id))
    if at is None:  # no completion time (sorted last) or no such deal
        return and_(Deal.completed_at.is_(None), Deal.id < deal_id)
    same_time_older = and_(Deal.completed_at == at, Deal.id < deal_id)
    return or_(Deal.completed_at < at, same_time_older, Deal.completed_at.is_(None))


def completed_deals(actor: User, *, after: int | None = None, limit: int = COMPLETED_SHOWN) -> list[CompletedDeal]:  # fmt: skip
    """The institution's completed transfers and licences with their reward, newest
    completion first: the `/rewards` page's list, and a page of the API's after deal `after`."""
    org_id = actor.acting_org_id
    require_institution_admin(actor, org_id or 0)
    query = (
        select(Deal, DealReward)
        .outerjoin(DealReward, and_(DealReward.deal_id == Deal.id, _PRICE_REWARD))
        .where(
            Deal.seller_org_id == org_id,
            Deal.status == DealStatus.COMPLETED,
            Deal.contract_type.in_(REWARDED_CONTRACTS),
        )
        .order_by(Deal.completed_at.desc().nulls_last(), Deal.id.desc())
        .limit(limit)
    )
    if after is not None:
        query = query.where(_older_than(after))
    return [CompletedDeal(deal, reward) for deal, reward in db.session.execute(query)]


def visible_inventor(actor: User | None, inventor_id: int) -> ListingInventor:
    """An inventor's row, for the institution's administrators and the inventor themself."""
    inventor = db.session.get(ListingInventor, inventor_id)
    if inventor is None or not is_signed_in(actor):
        raise NotFound(N_("No such inventor."))
    if inventor.user_id == actor.id:
        return inventor
    listing = get_listing(inventor.listing_id)
    if actor.is_org_admin and actor.acting_org_id == listing.organisation_id:
        return inventor
    raise NotFound(N_("No such inventor."))


def statement(actor: User | None, inventor_id: int) -> tuple[ListingInventor, list[tuple[RewardLine, DealReward, Deal]]]:  # fmt: skip
    """An inventor's rewards, deal by deal, oldest first."""
    inventor = visible_inventor(actor, inventor_id)
    query = (
        select(RewardLine, DealReward, Deal)
        .join(DealReward, RewardLine.reward_id == DealReward.id)
        .join(Deal, DealReward.deal_id == Deal.id)
        .where(RewardLine.inventor_id == inventor.id)
        .order_by(DealReward.awarded_at, DealReward.id)
    )
    return inventor, [tuple(row) for row in db.session.execute(query)]  # type: ignore[misc]


def inventor_rows_of(actor: User) -> list[ListingInventor]:
    """Where the signed-in person is named as an inventor (their statements)."""
    query = select(ListingInventor).where(ListingInventor.user_id == actor.id)
    return all_of(query.order_by(ListingInventor.id))
