"""Pure rules of listings: the state machine, vocabularies, price bands."""

from __future__ import annotations

import enum
import re
from typing import NamedTuple

from core.domain import N_, DomainError, ValidationFailed
from core.transitions import Transitions


class ListingStatus(enum.StrEnum):
    """draft → submitted → confirmed (ownership verified) → published → withdrawn."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    CONFIRMED = "confirmed"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class SaleState(enum.StrEnum):
    """Where a published listing is in its sale; a sold listing cannot be sold again."""

    AVAILABLE = "available"
    LISTED_SALE = "listed_sale"  # 挂牌 period running
    UNDER_OFFER = "under_offer"  # a negotiated price in public notice (公示)
    IN_AUCTION = "in_auction"
    SOLD = "sold"


_SALE = SaleState
SALE_TRANSITIONS: frozenset[tuple[SaleState, SaleState]] = frozenset(
    {
        (_SALE.AVAILABLE, _SALE.LISTED_SALE),
        (_SALE.AVAILABLE, _SALE.UNDER_OFFER),
        (_SALE.AVAILABLE, _SALE.IN_AUCTION),
        (_SALE.AVAILABLE, _SALE.SOLD),  # a deal closed at the physical market
        (_SALE.LISTED_SALE, _SALE.AVAILABLE),
        (_SALE.LISTED_SALE, _SALE.IN_AUCTION),
        (_SALE.LISTED_SALE, _SALE.SOLD),
        (_SALE.UNDER_OFFER, _SALE.AVAILABLE),
        (_SALE.UNDER_OFFER, _SALE.SOLD),
        (_SALE.IN_AUCTION, _SALE.AVAILABLE),
        (_SALE.IN_AUCTION, _SALE.UNDER_OFFER),  # reserve not met: negotiate with the top bidder
        (_SALE.IN_AUCTION, _SALE.SOLD),
        (_SALE.SOLD, _SALE.AVAILABLE),  # only when its deal is cancelled
    }
)


class SaleNotAllowed(DomainError):
    code = "sale_not_allowed"


def check_sale_transition(status: ListingStatus, current: SaleState, target: SaleState) -> None:
    """Only a published listing is sold, one sale at a time, and never twice."""
    if status != ListingStatus.PUBLISHED and target != SaleState.AVAILABLE:
        raise SaleNotAllowed(N_("Only a published listing can be offered for sale."))
    if current == SaleState.SOLD and target != SaleState.AVAILABLE:
        raise SaleNotAllowed(N_("This result has already been sold."), code="already_sold")
    if (current, target) not in SALE_TRANSITIONS:
        raise SaleNotAllowed(
            N_("This listing is already in another sale (%(state)s)."), state=current.value
        )


class ListingAction(enum.StrEnum):
    """What may be done to a listing; each maps to one transition."""

    SUBMIT = "submit"
    CONFIRM = "confirm"
    REJECT = "reject"
    PUBLISH = "publish"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"


_S, _A = ListingStatus, ListingAction
TRANSITIONS: Transitions[ListingStatus, ListingAction] = Transitions(
    {
        (_S.DRAFT, _A.SUBMIT): _S.SUBMITTED,
        (_S.SUBMITTED, _A.CONFIRM): _S.CONFIRMED,
        (_S.SUBMITTED, _A.REJECT): _S.DRAFT,
        (_S.CONFIRMED, _A.PUBLISH): _S.PUBLISHED,
        (_S.CONFIRMED, _A.WITHDRAW): _S.WITHDRAWN,
        (_S.PUBLISHED, _A.WITHDRAW): _S.WITHDRAWN,
        (_S.WITHDRAWN, _A.REOPEN): _S.DRAFT,
    },
    refusal=TransitionNotAllowed,
    message=N_("This action (%(action)s) is not possible while the listing is %(status)s."),
)
REVIEWER_ACTIONS = frozenset({_A.CONFIRM, _A.REJECT})
EDITABLE_STATES = frozenset({_S.DRAFT})


# What the owner may do to a draft besides moving it on (the API's `allowed_actions`).
DRAFT_ACTIONS = (
    "update",
    "add_evidence",
    "remove_evidence",
    "add_image",
    "remove_image",
)


def listing_actions(
    status: ListingStatus, sale_state: SaleState, *, owner: bool, reviewer: bool
) -> list[str]:
    """What the caller may do to a listing now, by its state and their role (not its content:
    a draft without evidence still offers `submit`, whose refusal then says what is missing)."""
    actions = list(DRAFT_ACTIONS) if owner and status in EDITABLE_STATES else []
    for action in TRANSITIONS.actions(status):
        if action in REVIEWER_ACTIONS:
            allowed = reviewer
        else:  # a listing being sold (or sold) cannot be withdrawn
            allowed = owner and (action != _A.WITHDRAW or sale_state == SaleState.AVAILABLE)
        if allowed:
            actions.append(action.value)
    return actions


def next_status(current: ListingStatus, action: ListingAction) -> ListingStatus:
    """The state after `action`, or TransitionNotAllowed."""
    return TRANSITIONS.next(current, action)


class IPKind(enum.StrEnum):
    """Kinds of IP number the market validates (DOMAIN.md, Results and rights)."""

    CN_APPLICATION = "cn_application"
    CN_PUBLICATION = "cn_publication"
    US = "us"
    EP = "ep"
    PCT = "pct"
    WO = "wo"


class TransferMode(enum.StrEnum):
    """How rights may change hands: assignment, licences, equity."""

    ASSIGNMENT = "assignment"
    EXCLUSIVE_LICENCE = "exclusive_licence"
    SOLE_LICENCE = "sole_licence"
    NON_EXCLUSIVE_LICENCE = "non_exclusive_licence"
    EQUITY = "equity"


# Technology fields: code → (Chinese, English).
FIELDS: dict[str, tuple[str, str]] = {
    "ict": ("新一代信息技术", "Information technology"),
    "biomed": ("生物医药", "Biomedicine"),
    "materials": ("新材料", "New materials"),
    "energy": ("新能源", "New energy"),
    "equipment": ("高端装备制造", "Advanced manufacturing"),
    "environment": ("节能环保", "Energy saving & environment"),
    "agriculture": ("现代农业", "Modern agriculture"),
    "chemicals": ("化学化工", "Chemical engineering"),
    "electronics": ("电子与集成电路", "Electronics & ICs"),
    "vehicles": ("新能源汽车", "New energy vehicles"),
    "aerospace": ("航空航天", "Aerospace"),
    "food": ("食品科学", "Food science"),
}

EVIDENCE_KINDS: dict[str, tuple[str, str]] = {
    "certificate": ("专利证书", "Patent certificate"),
    "register_extract": ("登记簿副本", "Register extract"),
    "assignment": ("转让记录", "Assignment record"),
    "authorisation": ("单位转让授权", "Authorisation to sell"),
    "other": ("其他", "Other"),
}

# Price bands in yuan for the facet; the upper bound is exclusive. None = negotiable.
PRICE_BANDS: tuple[tuple[str, int | None], ...] = (
    ("lt_100k", 100_000),
    ("100k_500k", 500_000),
    ("500k_1m", 1_000_000),
    ("1m_5m", 5_000_000),
    ("gte_5m", None),
)
NEGOTIABLE = "negotiable"


def price_band(asking_price_minor: int | None) -> str:
    """The facet band of an asking price in minor units (分); no price is 'negotiable'."""
    if asking_price_minor is None:
        return NEGOTIABLE
    yuan = asking_price_minor // 100
    for band, upper in PRICE_BANDS:
        if upper is None or yuan < upper:
            return band
    raise AssertionError("the last band is open-ended")


def ipc_section(ipc_classes: list[str]) -> str | None:
    """The IPC section (A–H) of the first class, e.g. 'H01M 4/58' → 'H'."""
    for ipc in ipc_classes:
        letter = ipc.strip()[:1].upper()
        if letter in "ABCDEFGH" and letter:
            return letter
    return None


def check_trl(trl: int) -> None:
    """Maturity is a technology readiness level from 1 to 9."""
    if not 1 <= trl <= 9:
        raise ValidationFailed(N_("Maturity (TRL) must be between 1 and 9."), field="trl")


def check_has_title(title_zh: str | None, title_en: str | None) -> None:
    """A listing needs a title in Chinese, English or both."""
    if not (title_zh or "").strip() and not (title_en or "").strip():
        raise ValidationFailed(N_("Give a title in Chinese or English."), field="title_zh")


# Keywords (关键词) of a listing or need: searched with the weight of its title.
MAX_KEYWORDS = 20
MAX_KEYWORD_CHARS = 40


# The details a listing gives besides its summary, each an original and an English text.
DETAILS = ("problem", "application", "advantage", "economics")
_HAN = re.compile(r"[\u3400-\u9fff]")


class LocalisedText(NamedTuple):
    """A text and its language as a BCP 47 tag for the `lang` attribute."""

    text: str
    lang: str


def text_lang(text: str) -> str:
    """'zh-CN' when the text has Chinese characters, else 'en' (the market's two languages)."""
    return "zh-CN" if _HAN.search(text) else "en"
