"""Pure rules of technology needs (技术需求): states, who may post, what a need must say."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from core.domain import N_, DomainError, PermissionDenied, ValidationFailed
from core.transitions import Transitions
from listings.rules import FIELDS, TransferMode, check_trl

MAX_IPC_CLASSES = 10
MIN_PROBLEM_CHARS = 10
# 'H01M', 'H01M 4/525', 'G06F16/35': section, class, subclass, optional group.
_IPC = re.compile(r"^([A-H])(\d{2})([A-Z])(?:\s*(\d{1,4})\s*/\s*(\d{1,6}))?$")


class NeedStatus(enum.StrEnum):
    """open (public, matched) → closed (fulfilled or ended) or withdrawn."""

    OPEN = "open"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class NeedAction(enum.StrEnum):
    """What an enterprise may do to its open need."""

    CLOSE = "close"
    WITHDRAW = "withdraw"


class NeedNotAllowed(DomainError):
    code = "need_not_allowed"


NEED_TRANSITIONS: Transitions[NeedStatus, NeedAction] = Transitions(
    {
        (NeedStatus.OPEN, NeedAction.CLOSE): NeedStatus.CLOSED,
        (NeedStatus.OPEN, NeedAction.WITHDRAW): NeedStatus.WITHDRAWN,
    },
    refusal=NeedNotAllowed,
    message=N_("This need is %(status)s: only an open need can be closed or withdrawn."),
    code="need_not_open",
)


@dataclass(frozen=True)
class NeedInput:
    """Everything an enterprise types into the need form (money in minor units, 分)."""

    title: str
    problem: str
    field: str
    region: str
    ipc_classes: tuple[str, ...] = ()
    budget_min_minor: int | None = None
    budget_max_minor: int | None = None
    deadline: date | None = None
    min_trl: int | None = None
    transfer_modes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


def next_need_status(current: NeedStatus, action: NeedAction) -> NeedStatus:
    """The state after `action`; only an open need can be closed or withdrawn."""
    return NEED_TRANSITIONS.next(current, action)


def check_can_post(*, is_enterprise: bool, is_verified: bool) -> None:
    """Needs are posted by enterprises whose organisation a reviewer has verified."""
    if not is_enterprise:
        raise PermissionDenied(
            N_("Technology needs are posted by enterprises."), code="not_an_enterprise"
        )
    if not is_verified:
        raise PermissionDenied(
            N_("Your organisation must be verified by a reviewer before it can post needs."),
            code="organisation_not_verified",
        )


def normalise_ipc(text: str) -> str:
    """'h01m 4 / 525' → 'H01M 4/525'; 'g06f' → 'G06F'; ValidationFailed when not an IPC symbol."""
    compact = " ".join(text.strip().upper().split())
    match = _IPC.match(compact)
    if match is None:
        raise ValidationFailed(
            N_("%(value)s is not an IPC class (e.g. H01M or H01M 4/525)."),
            field="ipc_classes",
            value=text.strip(),
        )
    section, klass, subclass, group, subgroup = match.groups()
    symbol = f"{section}{klass}{subclass}"
    return f"{symbol} {int(group)}/{subgroup}" if group else symbol


def check_budget(minimum: int | None, maximum: int | None) -> None:
    """A budget range: amounts above zero, the minimum not above the maximum."""
    for value, name in ((minimum, "budget_min"), (maximum, "budget_max")):
        if value is not None and value <= 0:
            raise ValidationFailed(N_("A budget must be more than zero."), field=name)
    if minimum is not None and maximum is not None and minimum > maximum:
        raise ValidationFailed(
            N_("The lowest budget is above the highest."), code="budget_range", field="budget_max"
        )


def check_deadline(deadline: date | None, today: date) -> None:
    """A deadline, when given, is not in the past."""
    if deadline is not None and deadline < today:
        raise ValidationFailed(N_("The deadline is in the past."), field="deadline")


def clean_need(data: NeedInput, today: date) -> NeedInput:
    """The input checked and normalised (trimmed text, IPC symbols, unique modes), or an error."""
    title = " ".join(data.title.split())
    problem = data.problem.strip()
    if not title:
        raise ValidationFailed(N_("Give the need a title."), field="title")
    if len(problem) < MIN_PROBLEM_CHARS:
        raise ValidationFailed(
            N_("Describe the problem in at least %(count)d characters."),
            field="problem",
            count=MIN_PROBLEM_CHARS,
        )
    if data.field not in FIELDS:
        raise ValidationFailed(N_("Choose a technology field."), field="field")
    region = data.region.strip()
    if not region:
        raise ValidationFailed(
            N_("Give the region where the technology will be used."), field="region"
        )
    modes = tuple(dict.fromkeys(data.transfer_modes))
    if not modes or set(modes) - {m.value for m in TransferMode}:
        raise ValidationFailed(N_("Choose at least one transfer mode."), field="transfer_modes")
    ipc = tuple(dict.fromkeys(normalise_ipc(c) for c in data.ipc_classes if c.strip()))
    if len(ipc) > MAX_IPC_CLASSES:
        raise ValidationFailed(
            N_("At most %(count)d IPC classes."), field="ipc_classes", count=MAX_IPC_CLASSES
        )
    if data.min_trl is not None:
        try:
            check_trl(data.min_trl)
        except ValidationFailed as error:
            error.field = "min_trl"
            raise
    check_budget(data.budget_min_minor, data.budget_max_minor)
    check_deadline(data.deadline, today)
    return NeedInput(
        title=title,
        problem=problem,
        field=data.field,
        region=region,
        ipc_classes=ipc,
        budget_min_minor=data.budget_min_minor,
        budget_max_minor=data.budget_max_minor,
        deadline=data.deadline,
        min_trl=data.min_trl,
        transfer_modes=modes,
        keywords=tuple(dict.fromkeys(k.strip() for k in data.keywords if k.strip())),
    )


def is_current(status: NeedStatus, deadline: date | None, today: date) -> bool:
    """An open need whose deadline (if any) has not passed: one the market should match."""
    return status == NeedStatus.OPEN and (deadline is None or deadline >= today)


MARKET_TIMEZONE = ZoneInfo("Asia/Shanghai")


def market_today(now: datetime) -> date:
    """The calendar day at the market (deadlines are market days), for a UTC moment."""
    moment = now if now.tzinfo else now.replace(tzinfo=UTC)
    return moment.astimezone(MARKET_TIMEZONE).date()
