"""Pure rules of listed sales (挂牌), negotiated prices (协议定价) and public notice (公示).

No database, no Flask, no clock: `now`, the parties and amounts come in as arguments.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from accounts.rules import check_may_buy
from core.domain import N_, DomainError, PermissionDenied, ValidationFailed
from payments.rules import BPS, MAX_DEPOSIT_BPS, MIN_DEPOSIT_BPS  # the auction's deposit rule


class NoticeStatus(enum.StrEnum):
    """A public notice runs, then ends clean (deal concludes) or falls on an upheld objection."""

    RUNNING = "running"
    CLEAN = "clean"
    FALLEN = "fallen"


class ObjectionStatus(enum.StrEnum):
    """An objection waits for a reviewer, who upholds or dismisses it."""

    LODGED = "lodged"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


# --- listed sale (挂牌) -------------------------------------------------------------------

# The market's default listing period is 20 working days (config: LISTING_PERIOD_WORKING_DAYS);
# a seller may choose another period inside these bounds.
MIN_LISTING_WORKING_DAYS = 5
MAX_LISTING_WORKING_DAYS = 60

# Who may buy: a broker agency acts for others and the operator runs the market,
# so neither buys in its own name.


class SaleRuleBroken(DomainError):
    code = "sale_rule"


class ListedSaleOutcome(enum.StrEnum):
    """What the end of a listing period leads to (values match ListedSaleStatus)."""

    NO_BUYER = "no_buyer"
    SOLD = "sold"
    AUCTIONED = "auctioned"


@dataclass(frozen=True)
class IntentView:
    """An intent to buy (意向受让) as the rules see it."""

    buyer_org_id: int
    created_at: datetime
    withdrawn: bool = False


def default_deposit(asking_price_minor: int, deposit_bps: int) -> int:
    """The deposit for an asking price at `deposit_bps` (1000 = 10 %), rounded half-up to the fen."""
    return (asking_price_minor * deposit_bps * 2 + BPS) // (2 * BPS)


def check_listed_sale_terms(asking_price_minor: int, working_days: int, deposit_minor: int) -> None:
    """A positive price, a period inside the bounds, a deposit of 5–20 % of the price."""
    if asking_price_minor <= 0:
        raise ValidationFailed(N_("The asking price must be more than zero."), field="asking_price")
    if not MIN_LISTING_WORKING_DAYS <= working_days <= MAX_LISTING_WORKING_DAYS:
        raise ValidationFailed(
            N_("The listing period must be between %(min)s and %(max)s working days."),
            field="working_days",
            min=MIN_LISTING_WORKING_DAYS,
            max=MAX_LISTING_WORKING_DAYS,
        )
    low = asking_price_minor * MIN_DEPOSIT_BPS
    high = asking_price_minor * MAX_DEPOSIT_BPS
    if not low <= deposit_minor * BPS <= high:
        raise ValidationFailed(
            N_("The deposit must be between %(low)s and %(high)s of the asking price."),
            field="deposit",
            low=f"{MIN_DEPOSIT_BPS // 100}%",
            high=f"{MAX_DEPOSIT_BPS // 100}%",
        )


def check_buyer(
    *,
    buyer_org_id: int | None,
    seller_org_id: int,
    verified: bool,
    kind: str | None,
) -> int:
    """A buyer acts for a verified buying organisation that is not the seller; its id."""
    if buyer_org_id is None:
        raise PermissionDenied(
            N_("Join an organisation before you buy on the market."), code="no_organisation"
        )
    if buyer_org_id == seller_org_id:
        raise PermissionDenied(
            N_("The seller cannot buy its own result."), code="seller_cannot_buy"
        )
    if not verified:
        raise PermissionDenied(
            N_("Your organisation must be verified by a reviewer before it can buy."),
            code="organisation_not_verified",
        )
    check_may_buy(kind)
    return buyer_org_id


def check_sale_open(is_open: bool, ends_at: datetime, now: datetime) -> None:
    """Intents are registered and withdrawn only during the listing period."""
    if not is_open or now >= ends_at:
        raise SaleRuleBroken(N_("The listing period of this sale has ended."), code="sale_closed")


def is_due(is_open: bool, ends_at: datetime, now: datetime) -> bool:
    """Whether an open listed sale has reached the end of its period."""
    return is_open and now >= ends_at


def qualifying_buyers(
    intents: Iterable[IntentView], held_org_ids: Iterable[int]
) -> tuple[int, ...]:
    """Buyers whose intent stands and whose deposit is held, in the order they registered."""
    held = set(held_org_ids)
    ordered = sorted(intents, key=lambda intent: (intent.created_at, intent.buyer_org_id))
    return tuple(
        dict.fromkeys(
            intent.buyer_org_id
            for intent in ordered
            if not intent.withdrawn and intent.buyer_org_id in held
        )
    )


def listed_sale_outcome(buyers: Sequence[int]) -> ListedSaleOutcome:
    """No buyer → no sale; one → a deal at the asking price; more → an auction among them."""
    if not buyers:
        return ListedSaleOutcome.NO_BUYER
    if len(buyers) == 1:
        return ListedSaleOutcome.SOLD
    return ListedSaleOutcome.AUCTIONED


# --- negotiated price (协议定价) -----------------------------------------------------------


class NegotiationPhase(enum.StrEnum):
    """A negotiation's stored status (trading.models.NegotiationStatus): open → agreed (in
    public notice) → concluded / fallen; or withdrawn."""

    OPEN = "open"
    AGREED = "agreed"
    CONCLUDED = "concluded"
    FALLEN = "fallen"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class NegotiationState:
    """Who negotiates, and the offer on the table."""

    phase: NegotiationPhase
    seller_org_id: int
    buyer_org_id: int
    open_offer_minor: int | None = None
    open_offer_by_org_id: int | None = None


class NegotiationRuleBroken(DomainError):
    code = "negotiation_rule"


def check_party(state: NegotiationState, org_id: int | None) -> str:
    """'seller' or 'buyer' for a party; anyone else is refused."""
    if org_id is not None and org_id == state.seller_org_id:
        return "seller"
    if org_id is not None and org_id == state.buyer_org_id:
        return "buyer"
    raise PermissionDenied(N_("Only the two parties can act in this negotiation."))


def _check_running(state: NegotiationState) -> None:
    if state.phase == NegotiationPhase.OPEN:
        return
    if state.phase in (NegotiationPhase.AGREED, NegotiationPhase.CONCLUDED):
        raise NegotiationRuleBroken(
            N_("A price has already been agreed in this negotiation."), code="already_agreed"
        )
    raise NegotiationRuleBroken(N_("This negotiation has ended."), code="negotiation_closed")


def check_offer(state: NegotiationState, org_id: int | None, amount_minor: int) -> str:
    """Either side may make an offer or a counter-offer while the negotiation is open.

    Returns the kind of thread entry: 'offer' for the first on the table or one that
    improves the party's own offer, 'counter' for an answer to the other side's offer.
    """
    check_party(state, org_id)
    _check_running(state)
    if amount_minor <= 0:
        raise ValidationFailed(N_("The offer must be more than zero."), field="amount")
    if state.open_offer_by_org_id is not None and state.open_offer_by_org_id != org_id:
        return "counter"
    return "offer"


def check_message(state: NegotiationState, org_id: int | None, body: str) -> None:
    """Messages go between the parties while the negotiation is open."""
    check_party(state, org_id)
    _check_running(state)
    if not body.strip():
        raise ValidationFailed(N_("Write a message."), field="body")


def check_accept(state: NegotiationState, org_id: int | None) -> int:
    """Only the side that did not make the open offer accepts it; the agreed price."""
    check_party(state, org_id)
    _check_running(state)
    if state.open_offer_minor is None or state.open_offer_by_org_id is None:
        raise NegotiationRuleBroken(
            N_("There is no offer on the table to accept."), code="no_open_offer"
        )
    if state.open_offer_by_org_id == org_id:
        raise NegotiationRuleBroken(
            N_("You made this offer: the other side has to accept it."), code="own_offer"
        )
    return state.open_offer_minor


def check_withdraw(state: NegotiationState, org_id: int | None) -> None:
    """Either side may walk away before a price is agreed."""
    check_party(state, org_id)
    _check_running(state)


@dataclass(frozen=True)
class PriceFormation:
    """How a negotiated price was formed: the parties and the offers in order."""

    seller_name: str
    buyer_name: str
    offers_minor: tuple[int, ...]
    agreed_minor: int

    @property
    def count(self) -> int:
        return len(self.offers_minor)

    @property
    def first_minor(self) -> int:
        return self.offers_minor[0] if self.offers_minor else self.agreed_minor


def _yuan(minor: int) -> str:
    yuan, fen = divmod(minor, 100)
    return f"¥{yuan:,}.{fen:02d}"


def describe_formation(formation: PriceFormation) -> str:
    """The official record (in Chinese, the notice's language) of how the price was formed."""
    return (
        f"{formation.seller_name}与{formation.buyer_name}协商定价，"
        f"经{formation.count}轮报价，由{_yuan(formation.first_minor)}"
        f"至{_yuan(formation.agreed_minor)}达成一致。"
    )


# --- public notice (公示) -----------------------------------------------------------------

# 《实施〈促进科技成果转化法〉若干规定》: a negotiated price is published for at least 15 days.
MIN_PUBLICITY_DAYS = 15


class NoticeVerdict(enum.StrEnum):
    """Where a public notice stands at `now`."""

    RUNNING = "running"  # the period is not over
    WAITING = "waiting"  # over, but an objection waits for the reviewer
    CLEAN = "clean"  # over with no upheld objection: the deal concludes
    FALLEN = "fallen"  # an objection was upheld: the agreement falls


class PublicityRuleBroken(DomainError):
    code = "publicity_rule"


def publicity_ends_at(start: datetime, days: int) -> datetime:
    """The end of a notice published at `start` for `days` days (never under the legal minimum)."""
    if days < MIN_PUBLICITY_DAYS:
        raise ValidationFailed(
            N_("A public notice runs for at least %(days)s days."),
            field="publicity_days",
            days=MIN_PUBLICITY_DAYS,
        )
    return start + timedelta(days=days)


def notice_verdict(ends_at: datetime, now: datetime, objections: Iterable[str]) -> NoticeVerdict:
    """An upheld objection fells the notice at once; otherwise it waits for the period and the reviewer.

    `objections` are the objection states: 'lodged', 'upheld' or 'dismissed'.
    """
    states = list(objections)
    if "upheld" in states:
        return NoticeVerdict.FALLEN
    if now < ends_at:
        return NoticeVerdict.RUNNING
    if "lodged" in states:
        return NoticeVerdict.WAITING
    return NoticeVerdict.CLEAN


def check_objection(running: bool, ends_at: datetime, now: datetime, reasons: str) -> str:
    """Objections are lodged with reasons while the notice runs; the reasons, trimmed."""
    if not running or now >= ends_at:
        raise PublicityRuleBroken(
            N_("The publicity period of this notice is over: objections are closed."),
            code="notice_closed",
        )
    text = reasons.strip()
    if len(text) < 10:
        raise ValidationFailed(
            N_("Give the reasons for your objection (at least 10 characters)."), field="reasons"
        )
    if len(text) > 5000:
        raise ValidationFailed(
            N_("The reasons are too long (at most 5,000 characters)."), field="reasons"
        )
    return text
