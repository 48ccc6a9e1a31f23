"""Pure scoring of matches between technology needs, listings and enterprises (撮合).

A match score is 0–100, a weighted sum of components each in [0, 1]:

| component     | weight | 1.0 when …                                                    |
|---------------|--------|---------------------------------------------------------------|
| relevance     | 30     | the text search ranks it first (scores relative to the best)  |
| ipc           | 20     | an IPC subclass is shared (class 0.6, section 0.25)           |
| field         | 15     | the same technology field                                     |
| price         | 15     | the asking price lies within the budget                       |
| maturity      | 10     | the TRL reaches the level the need asks for                   |
| region        | 5      | the same region (上海 = 上海市)                                |
| transfer_mode | 5      | a transfer mode the need prefers is offered                   |

The listings of one need are ranked with NEED_LISTING_WEIGHTS (the text weighs more).
Every component that counts comes with a Reason (a translatable message and
its parameters), so each suggestion can say why it was made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from core.domain import N_, message_text

WEIGHTS: dict[str, float] = {
    "relevance": 30.0,
    "ipc": 20.0,
    "field": 15.0,
    "price": 15.0,
    "maturity": 10.0,
    "region": 5.0,
    "transfer_mode": 5.0,
}
# Ranking the listings of one need (brokers.matching.matches_for_need): the wording says most
# about whether a listing answers the need; region and transfer mode least. Tuned on the tuning
# half of the judged needs (bench/judged/needs.txt, bench/matching.py --judged-only).
NEED_LISTING_WEIGHTS: dict[str, float] = {
    "relevance": 46.0,
    "ipc": 20.0,
    "field": 15.0,
    "price": 10.0,
    "maturity": 5.0,
    "region": 2.0,
    "transfer_mode": 2.0,
}
NEUTRAL = 0.5  # a component the data cannot judge (no budget, no price) counts half
INTEREST_WEIGHTS: dict[str, float] = {"negotiation": 1.0, "bid": 0.9, "intent": 0.8}
EXTRA_SIGNAL_BONUS = 4.0  # per further need or interest of the same enterprise, up to the cap
EXTRA_SIGNAL_CAP = 12.0
MAX_REASONS = 7
_REGION_SUFFIXES = ("特别行政区", "自治区", "省", "市")


@dataclass(frozen=True)
class Reason:
    """Why a suggestion was made: a message marked for translation, with its parameters."""

    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    weight: float = 0.0  # how much it added to the score (to show the strongest first)

    def text(self, translate: Any = lambda s: s) -> str:
        """The reason in the reader's language."""
        return message_text(self.message, self.params, translate)


@dataclass(frozen=True)
class MatchedTraits:
    """What matching compares of a need and a listing alike: the technology's field and IPC
    classes, the region and the transfer modes."""

    field: str
    ipc_classes: tuple[str, ...] = ()
    region: str = ""
    transfer_modes: tuple[str, ...] = ()


@dataclass(frozen=True)
class NeedProfile(MatchedTraits):
    """What matching knows of a need."""

    budget_min_minor: int | None = None
    budget_max_minor: int | None = None
    min_trl: int | None = None


@dataclass(frozen=True)
class ListingProfile(MatchedTraits):
    """What matching knows of a listing."""

    trl: int = 1
    asking_price_minor: int | None = None


@dataclass(frozen=True)
class Interest:
    """A sign that an enterprise wants technology like a listing: a bid, an intent, a negotiation."""

    kind: str  # bid, intent, negotiation
    field: str
    ipc_classes: tuple[str, ...] = ()
    amount_minor: int | None = None  # the bid, offer or asking price it showed it would pay


@dataclass(frozen=True)
class MatchScore:
    """A score from 0 to 100 and the reasons behind it, strongest first."""

    score: float
    reasons: tuple[Reason, ...]
    components: dict[str, float]


# -- components ----------------------------------------------------------------------------


@lru_cache(maxsize=65_536)
def ipc_parts(symbol: str) -> tuple[str, str, str] | None:
    """(section, class, subclass) of an IPC symbol: 'H01M 4/525' → ('H', 'H01', 'H01M')."""
    compact = "".join(symbol.split()).upper()
    if len(compact) < 4 or compact[0] not in "ABCDEFGH" or not compact[1:3].isdigit():
        return None
    if not compact[3].isalpha():
        return None
    return compact[0], compact[:3], compact[:4]


def ipc_overlap(first: Sequence[str], second: Sequence[str]) -> tuple[float, str | None, str]:
    """How close two sets of IPC classes are: (value, shared code, level).

    A shared subclass (H01M) is 1.0, a shared class (H01) 0.6, a shared section (H) 0.25.
    """
    return _ipc_overlap(tuple(first), tuple(second))


@lru_cache(maxsize=65_536)
def _ipc_overlap(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[float, str | None, str]:
    a = [p for p in (ipc_parts(s) for s in first) if p]
    b = [p for p in (ipc_parts(s) for s in second) if p]
    for level, index, value in (("subclass", 2, 1.0), ("class", 1, 0.6), ("section", 0, 0.25)):
        shared = sorted({p[index] for p in a} & {p[index] for p in b})
        if shared:
            return value, shared[0], level
    return 0.0, None, ""


def price_fit(asking: int | None, low: int | None, high: int | None) -> tuple[float, str]:
    """How well an asking price fits a budget range: (value, verdict).

    Within the range 1.0; below it 0.8 (cheaper than planned); above it falling
    to 0 at twice the top of the budget; unknown price or budget NEUTRAL.
    """
    if asking is None:
        return NEUTRAL, "negotiable"
    if low is None and high is None:
        return NEUTRAL, "no_budget"
    if high is not None and asking > high:
        return max(0.0, 1.0 - (asking - high) / high), "above"
    if low is not None and asking < low:
        return 0.8, "below"
    return 1.0, "within"


def maturity_fit(trl: int, min_trl: int | None) -> float:
    """1.0 when the listing is as mature as the need asks; a third less per level short.

    Without a stated level, more mature technology fits better (TRL 9 = 1.0).
    """
    if min_trl is None:
        return max(0.0, min(1.0, trl / 9))
    if trl >= min_trl:
        return 1.0
    return max(0.0, 1.0 - (min_trl - trl) / 3)


def same_region(first: str, second: str) -> bool:
    """Whether two regions are the same place, written either way (上海 = 上海市)."""
    return bool(first.strip()) and _region_key(first) == _region_key(second)


def _region_key(region: str) -> str:
    key = "".join(region.split())
    for suffix in _REGION_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key.lower()


def _total(components: dict[str, float], weights: dict[str, float] = WEIGHTS) -> float:
    return round(sum(weights[name] * value for name, value in components.items()), 2)


def _strongest(reasons: list[Reason]) -> tuple[Reason, ...]:
    return tuple(sorted(reasons, key=lambda r: -r.weight)[:MAX_REASONS])


# -- need ↔ listing ------------------------------------------------------------------------


def score_listing_for_need(
    need: NeedProfile,
    listing: ListingProfile,
    relevance: float,
    weights: dict[str, float] = WEIGHTS,
) -> MatchScore:
    """How well a listing answers a need; `relevance` is the text score relative to the best (0–1).

    `weights`: WEIGHTS, or NEED_LISTING_WEIGHTS to rank the listings of one need.
    """
    relevance = max(0.0, min(1.0, relevance))
    reasons: list[Reason] = []
    components: dict[str, float] = {"relevance": relevance}
    if relevance >= 0.2:
        reasons.append(
            Reason(
                "text",
                N_("Similar wording (%(percent)d%% of the best text match)"),
                {"percent": round(relevance * 100)},
                weights["relevance"] * relevance,
            )
        )
    overlap, code, level = ipc_overlap(need.ipc_classes, listing.ipc_classes)
    components["ipc"] = overlap
    if code:
        message = {
            "subclass": N_("IPC %(code)s shared"),
            "class": N_("Same IPC class %(code)s"),
            "section": N_("Same IPC section %(code)s"),
        }[level]
        reasons.append(Reason(f"ipc_{level}", message, {"code": code}, weights["ipc"] * overlap))
    components["field"] = 1.0 if need.field == listing.field else 0.0
    if components["field"]:
        reasons.append(Reason("field", N_("Same technology field"), {}, weights["field"]))
    fit, verdict = price_fit(
        listing.asking_price_minor, need.budget_min_minor, need.budget_max_minor
    )
    components["price"] = fit
    if verdict == "within":
        reasons.append(Reason("price_within", N_("Price within budget"), {}, weights["price"]))
    elif verdict == "below":
        reasons.append(
            Reason("price_below", N_("Price below the budget"), {}, weights["price"] * fit)
        )
    elif verdict == "above" and fit > 0:
        reasons.append(
            Reason(
                "price_above",
                N_("Price %(percent)d%% above the budget"),
                {"percent": round((1 - fit) * 100)},
                weights["price"] * fit,
            )
        )
    maturity = maturity_fit(listing.trl, need.min_trl)
    components["maturity"] = maturity
    if need.min_trl is not None and listing.trl >= need.min_trl:
        reasons.append(
            Reason(
                "maturity",
                N_("Mature enough: TRL %(trl)d (at least %(wanted)d wanted)"),
                {"trl": listing.trl, "wanted": need.min_trl},
                weights["maturity"],
            )
        )
    elif need.min_trl is None and listing.trl >= 7:
        reasons.append(
            Reason(
                "maturity",
                N_("Mature: TRL %(trl)d"),
                {"trl": listing.trl},
                weights["maturity"] * maturity,
            )
        )
    components["region"] = 1.0 if same_region(need.region, listing.region) else 0.0
    if components["region"]:
        reasons.append(
            Reason(
                "region", N_("Same region: %(region)s"), {"region": need.region}, weights["region"]
            )
        )
    modes = [m for m in listing.transfer_modes if m in need.transfer_modes]
    components["transfer_mode"] = 1.0 if modes else 0.0
    if modes:
        reasons.append(
            Reason(
                "transfer_mode",
                N_("Offers a transfer mode the need prefers"),
                {},
                weights["transfer_mode"],
            )
        )
    return MatchScore(
        score=_total(components, weights), reasons=_strongest(reasons), components=components
    )


def score_need_for_listing(
    listing: ListingProfile, need: NeedProfile, relevance: float
) -> MatchScore:
    """How well a need fits a listing: the same score, seen from the seller's side."""
    return score_listing_for_need(need, listing, relevance)


# -- listing → enterprise ------------------------------------------------------------------


def score_interest(listing: ListingProfile, interest: Interest) -> MatchScore:
    """How much a past bid, intent or negotiation says an enterprise wants this listing.

    Judged on field and IPC closeness, and on whether the amount it showed it
    would pay reaches the listing's asking price; weighted by how committed the
    sign was (a negotiation more than a bid, a bid more than an intent).
    """
    overlap, code, level = ipc_overlap(listing.ipc_classes, interest.ipc_classes)
    same_field = interest.field == listing.field
    if not code and not same_field:
        return MatchScore(0.0, (), {})
    components: dict[str, float] = {
        "relevance": 0.0,
        "ipc": overlap,
        "field": 1.0 if same_field else 0.0,
        "price": NEUTRAL,
        "maturity": NEUTRAL,
        "region": 0.0,
        "transfer_mode": NEUTRAL,
    }
    if interest.amount_minor is not None and listing.asking_price_minor is not None:
        components["price"] = min(1.0, interest.amount_minor / listing.asking_price_minor)
    commitment = INTEREST_WEIGHTS.get(interest.kind, 0.5)
    score = round(_total(components) * commitment, 2)
    message = {
        "bid": N_("Bid in an auction of similar technology"),
        "intent": N_("Registered an intent to buy similar technology"),
        "negotiation": N_("Negotiated for similar technology"),
    }.get(interest.kind, N_("Showed interest in similar technology"))
    reasons = [Reason(f"interest_{interest.kind}", message, {}, score)]
    if code and level == "subclass":
        reasons.append(Reason("ipc_subclass", N_("IPC %(code)s shared"), {"code": code}, 1.0))
    return MatchScore(score=score, reasons=tuple(reasons), components=components)


def combine_signals(scores: Sequence[MatchScore]) -> MatchScore:
    """One enterprise's score from its needs and interests: the best, plus a bonus per other.

    Several signals say more than one, but a crowd of weak ones never beats a
    strong one by much: the bonus is capped (EXTRA_SIGNAL_CAP).
    """
    useful = sorted((s for s in scores if s.score > 0), key=lambda s: -s.score)
    if not useful:
        return MatchScore(0.0, (), {})
    best = useful[0]
    bonus = min(EXTRA_SIGNAL_CAP, EXTRA_SIGNAL_BONUS * (len(useful) - 1))
    reasons: dict[tuple[str, str], Reason] = {}
    for signal in useful:
        for reason in signal.reasons:
            key = (reason.code, "")  # one reason of each kind: the strongest
            if key not in reasons or reasons[key].weight < reason.weight:
                reasons[key] = reason
    if len(useful) > 1:
        extra = Reason("signals", N_("%(count)d signs of interest"), {"count": len(useful)}, bonus)
        reasons[("signals", "")] = extra
    return MatchScore(
        score=round(min(100.0, best.score + bonus), 2),
        reasons=_strongest(list(reasons.values())),
        components=best.components,
    )


def relative(scores: Sequence[float]) -> list[float]:
    """Text scores as shares of the best one (0–1); all zero when nothing scored."""
    top = max(scores, default=0.0)
    return [max(0.0, s / top) if top > 0 else 0.0 for s in scores]


def same_subject(listing: ListingProfile, need: NeedProfile) -> bool:
    """Whether a listing and a need are about the same subject: one field, or an IPC subclass
    (its first four characters, e.g. H01M) in common."""
    subclasses = {code.replace(" ", "")[:4] for code in listing.ipc_classes}
    return listing.field == need.field or any(
        code.replace(" ", "")[:4] in subclasses for code in need.ipc_classes
    )
