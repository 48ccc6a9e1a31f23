"""Technology need (技术需求) use cases: post, edit, close, withdraw; who may see which need.

They flush and never commit: the caller's unit of work (`core.uow`) commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from accounts.models import OrganisationKind, User
from accounts.services import acts_for_org, can_review, is_signed_in
from core import outbox
from core.domain import N_, NotFound, PermissionDenied
from core.extensions import db
from core.service_kit import audit_action, get_or_not_found
from listings.models import TechNeed
from listings.need_rules import (
    NeedAction,
    NeedInput,
    NeedNotAllowed,
    NeedStatus,
    check_can_post,
    clean_need,
    market_today,
    next_need_status,
)
from listings.services import org_items, org_status_counts
from notifications.watches import notify_watchers

SEARCH_TOPIC = "search.need"


# --- reading ---------------------------------------------------------------------------


def get_need(need_id: int, *, lock: bool = False) -> TechNeed:
    """A need by id (row-locked if asked), or NotFound."""
    return get_or_not_found(TechNeed, need_id, N_("No such technology need."), lock=lock)


def is_member(actor: User | None, need: TechNeed) -> bool:
    """Whether the actor acts for the enterprise that posted the need."""
    return acts_for_org(actor, need.organisation_id)


def can_view(actor: User | None, need: TechNeed) -> bool:
    """Open needs are public; closed and withdrawn ones only to the enterprise and reviewers."""
    return need.status == NeedStatus.OPEN or is_member(actor, need) or can_review(actor)


def visible_need(actor: User | None, need_id: int) -> TechNeed:
    """A need the actor may see; others look like they do not exist."""
    need = get_need(need_id)
    if not can_view(actor, need):
        raise NotFound(N_("No such technology need."))
    return need


def needs_of(actor: User, status: NeedStatus | None = None) -> list[TechNeed]:
    """The needs of the actor's organisation, most recently changed first."""
    return org_items(TechNeed, actor, status, TechNeed.updated_at.desc(), TechNeed.id.desc())


def count_by_status(actor: User) -> dict[str, int]:
    """How many of the organisation's needs are in each state."""
    return org_status_counts(TechNeed, actor)


def may_post(actor: User | None) -> bool:
    """Whether the actor may post needs (to show or hide the button; services still check)."""
    if not is_signed_in(actor):
        return False
    org = actor.organisation
    return bool(
        org and actor.acting_org_id and org.kind == OrganisationKind.ENTERPRISE and org.is_verified
    )


def open_count() -> int:
    """How many needs are open."""
    return int(
        db.session.scalar(
            select(func.count()).select_from(TechNeed).where(TechNeed.status == NeedStatus.OPEN)
        )
        or 0
    )


# --- writing ---------------------------------------------------------------------------


def _require_poster(actor: User) -> int:
    org = actor.organisation if actor.acting_org_id is not None else None
    if org is None:
        raise PermissionDenied(
            N_("Join an organisation before you post needs."), code="no_organisation"
        )
    check_can_post(
        is_enterprise=org.kind == OrganisationKind.ENTERPRISE, is_verified=org.is_verified
    )
    return org.id


def _require_member(actor: User, need: TechNeed) -> None:
    if not is_member(actor, need):
        raise PermissionDenied(N_("Only the enterprise that posted this need may change it."))


def _apply(need: TechNeed, data: NeedInput) -> None:
    need.title = data.title
    need.problem = data.problem
    need.field = data.field
    need.region = data.region
    need.ipc_classes = list(data.ipc_classes)
    need.keywords = list(data.keywords)
    need.budget_min_minor = data.budget_min_minor
    need.budget_max_minor = data.budget_max_minor
    need.deadline = data.deadline
    need.min_trl = data.min_trl
    need.transfer_modes = list(data.transfer_modes)


def _snapshot(need: TechNeed) -> dict[str, Any]:
    return {
        "status": need.status.value,
        "title": need.title,
        "field": need.field,
        "budget_min_minor": need.budget_min_minor,
        "budget_max_minor": need.budget_max_minor,
        "deadline": need.deadline.isoformat() if need.deadline else None,
    }


def _changed(
    need: TechNeed,
    actor: User,
    action: str,
    *,
    now: datetime,
    before: dict[str, Any] | None,
    reason: str | None = None,
) -> None:
    """Audit a change and tell the search index, in the caller's transaction."""
    need.updated_at = now
    db.session.flush()
    after = _snapshot(need)
    audit_action(
        f"need.{action}", need.id, actor.id, now, before=before, after=after, reason=reason
    )
    outbox.emit(SEARCH_TOPIC, need.id, now=now)


def post_need(actor: User, data: NeedInput, *, now: datetime) -> TechNeed:
    """A verified enterprise posts a need: it is open, public and searchable at once."""
    org_id = _require_poster(actor)
    clean = clean_need(data, market_today(now))
    need = TechNeed(
        organisation_id=org_id,
        created_by_id=actor.id,
        status=NeedStatus.OPEN,
        currency="CNY",
        created_at=now,
    )
    _apply(need, clean)
    db.session.add(need)
    _changed(need, actor, "post", now=now, before=None)
    return need


def check_edit(actor: User, need: TechNeed) -> None:
    """Whether the actor may edit `need` now (writes nothing)."""
    _require_member(actor, need)
    if need.status != NeedStatus.OPEN:
        raise NeedNotAllowed(N_("Only an open need can be edited."), code="need_not_open")


def check_transition(actor: User, need: TechNeed, action: NeedAction) -> NeedStatus:
    """Whether the actor may close or withdraw `need` now (writes nothing); its next status."""
    _require_member(actor, need)
    return next_need_status(need.status, action)


def update_need(actor: User, need_id: int, data: NeedInput, *, now: datetime) -> TechNeed:
    """Edit an open need (a closed or withdrawn need is kept as it was)."""
    need = get_need(need_id)
    check_edit(actor, need)
    clean = clean_need(data, market_today(now))
    before = _snapshot(need)
    _apply(need, clean)
    _changed(need, actor, "update", now=now, before=before)
    _tell_watchers(need, ("已更新", "was updated"), now=now)
    return need


def _transition(
    actor: User, need_id: int, action: NeedAction, *, now: datetime, reason: str = ""
) -> TechNeed:
    need = get_need(need_id)
    target = check_transition(actor, need, action)
    before = _snapshot(need)
    need.status = target
    need.closed_at = now
    need.close_reason = reason.strip()[:2000] or None
    _changed(need, actor, action.value, now=now, before=before, reason=need.close_reason)
    _tell_watchers(need, _HOW[action], now=now)
    return need


_HOW = {
    NeedAction.CLOSE: ("已关闭", "was closed"),
    NeedAction.WITHDRAW: ("已撤回", "was withdrawn"),
}


def _tell_watchers(need: TechNeed, how: tuple[str, str], *, now: datetime) -> None:
    """Those watching the need learn it changed (flushes)."""
    notify_watchers(
        "need", need.id, "watch.need_changed",
        params={"title": need.title, "how": how[0], "how_en": how[1]},
        link=f"/needs/{need.id}", now=now,
    )  # fmt: skip


def close_need(actor: User, need_id: int, *, now: datetime, reason: str = "") -> TechNeed:
    """The enterprise closes its need (found a solution, or no longer needs one)."""
    return _transition(actor, need_id, NeedAction.CLOSE, now=now, reason=reason)


def withdraw_need(actor: User, need_id: int, *, now: datetime, reason: str = "") -> TechNeed:
    """The enterprise withdraws its need from the market."""
    return _transition(actor, need_id, NeedAction.WITHDRAW, now=now, reason=reason)


def need_input_of(need: TechNeed) -> NeedInput:
    """A need's current values as input (to prefill the edit form)."""
    return NeedInput(
        title=need.title,
        problem=need.problem,
        field=need.field,
        region=need.region,
        ipc_classes=tuple(need.ipc_classes or ()),
        budget_min_minor=need.budget_min_minor,
        budget_max_minor=need.budget_max_minor,
        deadline=need.deadline,
        min_trl=need.min_trl,
        transfer_modes=tuple(need.transfer_modes or ()),
        keywords=tuple(need.keywords or ()),
    )
