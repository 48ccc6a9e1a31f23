"""Matching (撮合): ranked listings for a need, ranked enterprises for a listing, each with reasons.

Candidates come from the search backend (text relevance: the need's words
against listings, the listing's words against needs) and from the database
(the same field; past bids, intents to buy and negotiations). Each candidate is
scored by `brokers.matching_rules` (pure), so the work per request is bounded
by the number of candidates (CANDIDATES), not by the size of the market.

Who may look: members of the need's or listing's organisation, and accredited
brokers with a mandate in force on it (`brokers.broker_access.acts_for`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import load_only

from accounts.models import Organisation, User
from accounts.services import acts_for_org, is_signed_in
from brokers.active_sales import ActiveSale, active_sales
from brokers.broker_access import acts_for
from brokers.matching_rules import (
    NEED_LISTING_WEIGHTS,
    Interest,
    ListingProfile,
    MatchScore,
    NeedProfile,
    Reason,
    combine_signals,
    ipc_overlap,
    relative,
    same_subject,
    score_interest,
    score_listing_for_need,
    score_need_for_listing,
)
from core.domain import N_, NotFound, PermissionDenied
from core.extensions import db
from core.row_lists import all_of
from listings.models import Listing, TechNeed
from listings.need_rules import is_current, market_today
from listings.needs import can_view as can_view_need
from listings.needs import get_need
from listings.rules import ListingStatus, SaleState
from listings.services import can_view as can_view_listing
from listings.services import get_listing
from trading.models import ListedSale, Negotiation, SaleIntent

# Sale states of a listing a need may be matched with (the sale must be running: active_sales).
_MATCHABLE = frozenset(
    (SaleState.AVAILABLE, SaleState.LISTED_SALE, SaleState.UNDER_OFFER, SaleState.IN_AUCTION)
)
CANDIDATES = 60  # text matches taken from the search backend
FIELD_CANDIDATES = 30  # newest of the same field, however they are worded
INTEREST_ORGS = 100  # organisations scored for their interest, the closest first
RECENT_INTERESTS = 2000  # most recent bids / intents / negotiations looked at, per kind
_NEED_COLUMNS = (
    TechNeed.id,
    TechNeed.organisation_id,
    TechNeed.title,
    TechNeed.field,
    TechNeed.ipc_classes,
    TechNeed.budget_min_minor,
    TechNeed.budget_max_minor,
    TechNeed.min_trl,
    TechNeed.region,
    TechNeed.transfer_modes,
    TechNeed.status,
    TechNeed.deadline,
)
# What scoring and the match pages use of a listing (its long texts are not loaded).
_LISTING_COLUMNS = (
    Listing.id,
    Listing.organisation_id,
    Listing.title_zh,
    Listing.title_en,
    Listing.holder,
    Listing.field,
    Listing.ipc_classes,
    Listing.trl,
    Listing.asking_price_minor,
    Listing.currency,
    Listing.region,
    Listing.transfer_modes,
    Listing.status,
    Listing.sale_state,
)


@dataclass(frozen=True)
class ListingMatch:
    """A listing suggested for a need."""

    listing: Listing
    score: float
    reasons: tuple[Reason, ...]
    sale: ActiveSale | None = None  # the sale it is in right now, if any


@dataclass(frozen=True)
class EnterpriseMatch:
    """An enterprise suggested for a listing, with its matching needs (best first)."""

    organisation: Organisation
    score: float
    reasons: tuple[Reason, ...]
    needs: tuple[TechNeed, ...] = field(default_factory=tuple)


def may_match_need(actor: User | None, need: TechNeed, *, now: datetime) -> bool:
    """Members of the need's enterprise, and brokers acting for it."""
    return acts_for_org(actor, need.organisation_id) or is_broker_for(
        actor, need_id=need.id, now=now
    )


def may_match_listing(actor: User | None, listing: Listing, *, now: datetime) -> bool:
    """Members of the listing's organisation, and brokers acting for it."""
    return acts_for_org(actor, listing.organisation_id) or is_broker_for(
        actor, listing_id=listing.id, now=now
    )


def is_broker_for(actor: User | None, *, now: datetime, **target: int) -> bool:
    """Whether the actor sees the matches as a broker (the pages then offer introductions)."""
    return is_signed_in(actor) and acts_for(actor, now=now, **target)


def need_profile(need: TechNeed) -> NeedProfile:
    """What the scoring rules know of a need."""
    return NeedProfile(
        field=need.field,
        ipc_classes=tuple(need.ipc_classes or ()),
        budget_min_minor=need.budget_min_minor,
        budget_max_minor=need.budget_max_minor,
        min_trl=need.min_trl,
        region=need.region,
        transfer_modes=tuple(need.transfer_modes or ()),
    )


def listing_profile(listing: Listing) -> ListingProfile:
    """What the scoring rules know of a listing."""
    return ListingProfile(
        field=listing.field,
        ipc_classes=tuple(listing.ipc_classes or ()),
        trl=listing.trl,
        asking_price_minor=listing.asking_price_minor,
        region=listing.region,
        transfer_modes=tuple(listing.transfer_modes or ()),
    )


def need_text(need: TechNeed) -> str:
    """The words of a need that listings should share."""
    return f"{need.title}\n{need.problem}"


def listing_text(listing: Listing) -> str:
    """The words of a listing that needs should share."""
    parts = (listing.title_zh, listing.title_en, listing.summary_zh, listing.summary_en)
    return "\n".join(p for p in parts if p)


def _candidate_ids(
    related: list[tuple[int, float]], model: type[Listing] | type[TechNeed], field_code: str
) -> tuple[list[int], dict[int, float]]:
    """The ids of the text matches and of the newest of the same field; the matches' shares.

    The same field's are read by id only and filtered by the caller: so the database seeks
    primary keys (a filter on the status could make it scan the status index instead).
    """
    shares = dict(zip([i for i, _ in related], relative([s for _, s in related]), strict=True))
    same_field = all_of(
        select(model.id)
        .where(model.field == field_code)
        .order_by(model.id.desc())
        .limit(FIELD_CANDIDATES * 2)
    )
    return list(dict.fromkeys([*shares, *same_field])), shares


# -- a need's listings ---------------------------------------------------------------------


def matches_for_need(
    actor: User | None, need_id: int, *, now: datetime, limit: int = 20
) -> list[ListingMatch]:
    """Published listings for a need, best first, each with its reasons.

    Available ones, and those in a running sale the need's enterprise may join (a listed
    sale, a price in public notice, an auction announced or bidding), with that sale.
    """
    from search.services import related_listings

    need = get_need(need_id)
    if not may_match_need(actor, need, now=now):
        if not can_view_need(actor, need):  # another's closed need looks like it does not exist
            raise NotFound(N_("No such technology need."))
        raise PermissionDenied(
            N_("Only the enterprise and its brokers may see the matches of this need.")
        )
    related = related_listings(need_text(need), CANDIDATES)
    ids, shares = _candidate_ids(related, Listing, need.field)
    if not ids:
        return []
    listings = [
        item
        for item in db.session.scalars(
            select(Listing).where(Listing.id.in_(ids)).options(load_only(*_LISTING_COLUMNS))
        )
        if item.status == ListingStatus.PUBLISHED
        and item.sale_state in _MATCHABLE
        and item.organisation_id != need.organisation_id
    ]
    on_sale = [item.id for item in listings if item.sale_state != SaleState.AVAILABLE]
    sales = active_sales(on_sale, now=now, for_org_id=need.organisation_id)
    listings = [i for i in listings if i.sale_state == SaleState.AVAILABLE or i.id in sales]
    profile = need_profile(need)
    scored = [
        (
            score_listing_for_need(
                profile, listing_profile(item), shares.get(item.id, 0.0), NEED_LISTING_WEIGHTS
            ),
            item,
        )
        for item in listings
    ]
    scored.sort(key=lambda pair: (-pair[0].score, -pair[1].id))
    return [
        ListingMatch(item, s.score, s.reasons, sales.get(item.id)) for s, item in scored[:limit]
    ]


# -- a listing's enterprises ---------------------------------------------------------------


def _candidate_needs(listing: Listing, now: datetime) -> tuple[list[TechNeed], dict[int, float]]:
    from search.services import related_needs

    related = related_needs(listing_text(listing), CANDIDATES)
    ids, shares = _candidate_ids(related, TechNeed, listing.field)
    if not ids:
        return [], shares
    today = market_today(now)
    rows = db.session.scalars(
        select(TechNeed).where(TechNeed.id.in_(ids)).options(load_only(*_NEED_COLUMNS))
    )
    return [
        n
        for n in rows
        if n.organisation_id != listing.organisation_id and is_current(n.status, n.deadline, today)
    ], shares


NEED_ALERT_MIN_SCORE = 55.0  # out of 100: worded alike and more than the field in common


def needs_answered_by(listing: Listing, *, now: datetime) -> list[tuple[TechNeed, float]]:
    """Open needs of other enterprises a listing answers well (its text matches, it shares the
    need's field or an IPC subclass, and the score reaches NEED_ALERT_MIN_SCORE), best first:
    whom to tell of a newly published listing (a push, so a wording alike is not enough)."""
    candidates, shares = _candidate_needs(listing, now)
    profile = listing_profile(listing)
    scored = [
        (need, score_need_for_listing(profile, wanted, shares[need.id]).score)
        for need, wanted in ((need, need_profile(need)) for need in candidates)
        if need.id in shares and same_subject(profile, wanted)
    ]
    return sorted(
        ((need, score) for need, score in scored if score >= NEED_ALERT_MIN_SCORE),
        key=lambda pair: (-pair[1], pair[0].id),
    )


def _interests(listing: Listing) -> dict[int, list[Interest]]:
    """Recent bids, intents and negotiations of other organisations on listings of the same field.

    Each kind is read from its most recent RECENT_INTERESTS rows (a subquery with
    a limit, which the database runs first), so the cost does not grow with the
    market's history or with the size of the field.
    """
    from auctions.models import Auction, Bid

    bids = (
        select(Bid.bidder_org_id, Bid.amount_minor, Bid.auction_id)
        .order_by(Bid.id.desc())
        .limit(RECENT_INTERESTS)
        .subquery()
    )
    intents = (
        select(SaleIntent.buyer_org_id, SaleIntent.sale_id)
        .where(SaleIntent.withdrawn_at.is_(None))
        .order_by(SaleIntent.id.desc())
        .limit(RECENT_INTERESTS)
        .subquery()
    )
    talks = (
        select(Negotiation.buyer_org_id, Negotiation.open_offer_minor, Negotiation.listing_id)
        .order_by(Negotiation.id.desc())
        .limit(RECENT_INTERESTS)
        .subquery()
    )
    queries = {
        "bid": select(bids.c.bidder_org_id, bids.c.amount_minor, Auction.listing_id)
        .join(Auction, bids.c.auction_id == Auction.id)
        .join(Listing, Auction.listing_id == Listing.id)
        .where(Listing.field == listing.field),
        "intent": select(
            intents.c.buyer_org_id, ListedSale.asking_price_minor, ListedSale.listing_id
        )
        .join(ListedSale, intents.c.sale_id == ListedSale.id)
        .join(Listing, ListedSale.listing_id == Listing.id)
        .where(Listing.field == listing.field),
        "negotiation": select(talks.c.buyer_org_id, talks.c.open_offer_minor, talks.c.listing_id)
        .join(Listing, talks.c.listing_id == Listing.id)
        .where(Listing.field == listing.field),
    }
    rows: list[tuple[str, int, int | None, int]] = []
    for kind, query in queries.items():
        rows += [(kind, org, amount, lid) for org, amount, lid in db.session.execute(query)]
    listing_ids = {lid for *_, lid in rows}
    facts = {
        lid: (fld, tuple(ipc or ()))
        for lid, fld, ipc in db.session.execute(
            select(Listing.id, Listing.field, Listing.ipc_classes).where(Listing.id.in_(listing_ids))
        )
    } if listing_ids else {}  # fmt: skip
    # One interest per organisation and kind: the closest to this listing (IPC, then amount).
    best: dict[tuple[int, str], tuple[tuple[float, int], Interest]] = {}
    for kind, org, amount, lid in rows:
        if org == listing.organisation_id:
            continue
        fld, ipc = facts[lid]
        rank = (ipc_overlap(listing.ipc_classes or (), ipc)[0], amount or 0)
        if (org, kind) not in best or rank > best[(org, kind)][0]:
            best[(org, kind)] = (rank, Interest(kind, fld, ipc, amount))
    # Only the organisations whose interest came closest are scored in full.
    closest: dict[int, tuple[float, int]] = {}
    for (org, _), (rank, _) in best.items():
        closest[org] = max(closest.get(org, rank), rank)
    kept = set(sorted(closest, key=lambda org: closest[org], reverse=True)[:INTEREST_ORGS])
    by_org: dict[int, list[Interest]] = defaultdict(list)
    for (org, _), (_, interest) in best.items():
        if org in kept:
            by_org[org].append(interest)
    return by_org


def matches_for_listing(
    actor: User | None, listing_id: int, *, now: datetime, limit: int = 20
) -> list[EnterpriseMatch]:
    """Enterprises for a listing, best first: from their open needs and their past interest."""
    listing = get_listing(listing_id)
    if not may_match_listing(actor, listing, now=now):
        if not can_view_listing(actor, listing):  # another's draft looks like it does not exist
            raise NotFound(N_("No such listing."))
        raise PermissionDenied(
            N_("Only the listing's organisation and its brokers may see its matches.")
        )
    profile = listing_profile(listing)
    signals: dict[int, list[MatchScore]] = defaultdict(list)
    needs_by_org: dict[int, list[tuple[float, TechNeed]]] = defaultdict(list)
    candidates, shares = _candidate_needs(listing, now)
    for need in candidates:
        score = score_need_for_listing(profile, need_profile(need), shares.get(need.id, 0.0))
        signals[need.organisation_id].append(score)
        needs_by_org[need.organisation_id].append((score.score, need))
    for org_id, interests in _interests(listing).items():
        signals[org_id] += [score_interest(profile, interest) for interest in interests]
    combined = {org_id: combine_signals(scores) for org_id, scores in signals.items()}
    ranked = sorted(
        ((s, org_id) for org_id, s in combined.items() if s.score > 0),
        key=lambda pair: (-pair[0].score, pair[1]),
    )[:limit]
    orgs = {
        org.id: org
        for org in db.session.scalars(
            select(Organisation).where(Organisation.id.in_([org_id for _, org_id in ranked]))
        )
    }
    return [
        EnterpriseMatch(
            organisation=orgs[org_id],
            score=s.score,
            reasons=s.reasons,
            needs=tuple(
                n for _, n in sorted(needs_by_org[org_id], key=lambda p: (-p[0], -p[1].id))
            ),
        )
        for s, org_id in ranked
        if org_id in orgs
    ]
