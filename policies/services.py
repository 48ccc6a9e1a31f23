"""Support policies' use cases: define, compute a period, adjust a line, approve; read them.

Administrators of the market (`User.is_admin`) define policies, compute, adjust and
approve; members of an organisation read their own organisation's lines. Every change
is audited. They flush; the caller's unit of work commits.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import select

from accounts.models import User
from core.domain import N_, PermissionDenied, ValidationFailed
from core.extensions import db
from core.row_lists import all_of
from core.service_kit import audit_action, flush_new, get_or_not_found
from policies import facts
from policies.models import EligibilityLine, LineDeal, Policy, PolicyRun, RunStatus
from policies.policy_rules import Beneficiary, PolicyTerms, Prior, check_adjustment, check_terms
from policies.policy_rules import eligibility as compute_lines

MAX_PERIOD_DAYS = 366 * 3


@dataclass(frozen=True)
class NewPolicy:
    """A policy as an administrator defines it."""

    name_zh: str
    name_en: str | None
    beneficiary: Beneficiary
    rate_bp: int | None
    fixed_minor: int | None
    cap_per_deal_minor: int | None
    cap_per_org_year_minor: int | None
    valid_from: date
    valid_to: date | None = None
    contract_types: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    region: str | None = None
    min_basis_minor: int = 0
    evidence: str | None = None


def _admin(actor: User) -> None:
    if not actor.is_admin:
        raise PermissionDenied(N_("Only administrators of the market may do this."))


def define(actor: User, data: NewPolicy, *, now: datetime) -> Policy:
    """Define a policy; its terms are checked by the rules first."""
    _admin(actor)
    check_terms(
        PolicyTerms(
            data.beneficiary, data.rate_bp, data.fixed_minor, data.cap_per_deal_minor,
            data.cap_per_org_year_minor, min_basis_minor=data.min_basis_minor,
        )
    )  # fmt: skip
    if not data.name_zh.strip():
        raise ValidationFailed(N_("Give the policy a name."), field="name_zh")
    if data.valid_to is not None and data.valid_to < data.valid_from:
        raise ValidationFailed(N_("A policy ends after it starts."), field="valid_to")
    values = asdict(data) | {
        "contract_types": list(data.contract_types),
        "fields": list(data.fields),
        "name_zh": data.name_zh.strip(),
    }
    policy = flush_new(Policy(**values, created_at=now, created_by_id=actor.id, active=True))
    audit_action("policy.define", policy.id, actor.id, now, after=_plain(values))
    return policy


def _plain(values: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}


def _check_period(policy: Policy, first: date, last: date) -> tuple[date, date]:
    """The period clipped to the policy's validity; refuses an empty or too long one."""
    if last < first or (last - first) > timedelta(days=MAX_PERIOD_DAYS):
        raise ValidationFailed(N_("Choose a period of at most three years."), field="period_end")
    first = max(first, policy.valid_from)
    last = min(last, policy.valid_to) if policy.valid_to else last
    if last < first:
        raise ValidationFailed(N_("The policy is not in force in this period."), field="period")
    return first, last


def _prior(policy_id: int) -> Prior:
    """What the policy's other periods counted and awarded."""
    rows = db.session.execute(
        select(LineDeal.deal_id, LineDeal.org_id, LineDeal.year, LineDeal.award_minor).where(
            LineDeal.policy_id == policy_id
        )
    ).all()
    used: Counter[tuple[int, int]] = Counter()
    for _, org_id, year, award in rows:
        used[(org_id, year)] += award
    return Prior(frozenset(r[0] for r in rows), dict(used))


def compute(
    actor: User, policy_id: int, first: date, last: date, *, now: datetime, tz: tzinfo
) -> PolicyRun:
    """Compute (or compute again, until approved) who is owed what for a period."""
    _admin(actor)
    policy = get_or_not_found(Policy, policy_id, N_("No such policy."), lock=True)
    first, last = _check_period(policy, first, last)
    run = _run_for(policy, first, last, actor, now)
    lines = compute_lines(policy.terms, facts.period_facts(first, last, tz), _prior(policy.id))
    for line in lines:
        row = EligibilityLine(
            org_id=line.org_id, computed_minor=line.amount_minor, amount_minor=line.amount_minor
        )
        row.deals = [
            LineDeal(policy_id=policy.id, org_id=line.org_id, **asdict(award))
            for award in line.deals
        ]
        run.lines.append(row)
    db.session.flush()
    total = sum(line.amount_minor for line in lines)
    audit_action(
        "policy_run.compute", run.id, actor.id, now,
        after={"lines": len(lines), "total_minor": total, "period": [str(first), str(last)]},
    )  # fmt: skip
    return run


def _run_for(policy: Policy, first: date, last: date, actor: User, now: datetime) -> PolicyRun:
    """The period's run, emptied for a fresh computation; refused once approved."""
    run = db.session.scalar(
        select(PolicyRun).where(
            PolicyRun.policy_id == policy.id,
            PolicyRun.period_start == first,
            PolicyRun.period_end == last,
        )
    )
    if run is None:
        return flush_new(
            PolicyRun(
                policy_id=policy.id, period_start=first, period_end=last,
                status=RunStatus.COMPUTED, computed_at=now, computed_by_id=actor.id,
            )
        )  # fmt: skip
    if run.status is RunStatus.APPROVED:
        raise ValidationFailed(N_("This period is approved; it cannot be computed again."))
    run.lines.clear()
    db.session.flush()  # the old lines' deals no longer count as prior
    run.computed_at, run.computed_by_id = now, actor.id
    return run


def adjust(
    actor: User, line_id: int, amount_minor: int, reason: str, *, now: datetime
) -> EligibilityLine:
    """Lower a line before its period is approved, saying why."""
    _admin(actor)
    line = get_or_not_found(EligibilityLine, line_id, N_("No such line."), lock=True)
    if line.run.status is RunStatus.APPROVED:
        raise ValidationFailed(N_("This period is approved; its lines are final."))
    reason = check_adjustment(line.computed_minor, amount_minor, reason)
    before = {"amount_minor": line.amount_minor, "reason": line.adjust_reason}
    line.amount_minor, line.adjust_reason = amount_minor, reason
    line.adjusted_at, line.adjusted_by_id = now, actor.id
    db.session.flush()
    audit_action(
        "policy_line.adjust", line.id, actor.id, now,
        before=before, after={"amount_minor": amount_minor}, reason=reason,
    )  # fmt: skip
    return line


def check_approvable(actor: User, run: PolicyRun | dict, now: datetime | None = None) -> None:
    """Refuses unless `actor` is an administrator and the period is not yet approved."""
    _admin(actor)
    status = run["status"] if isinstance(run, dict) else run.status
    if status == RunStatus.APPROVED:
        raise ValidationFailed(N_("This period is already approved."))


def approve(actor: User, run_id: int, *, now: datetime) -> PolicyRun:
    """Approve a period's lines as they stand: final, exported, shown as approved."""
    _admin(actor)
    run = get_or_not_found(PolicyRun, run_id, N_("No such computation."), lock=True)
    check_approvable(actor, run)
    run.status, run.approved_at, run.approved_by_id = RunStatus.APPROVED, now, actor.id
    db.session.flush()
    audit_action(
        "policy_run.approve", run.id, actor.id, now,
        before={"status": "computed"},
        after={"status": "approved", "total_minor": sum(x.amount_minor for x in run.lines)},
    )  # fmt: skip
    return run


def policies_for(actor: User) -> list[Policy]:
    """Every policy, newest first (administrators)."""
    _admin(actor)
    return all_of(select(Policy).order_by(Policy.id.desc()))


def policy_for(actor: User, policy_id: int) -> Policy:
    """One policy (administrators)."""
    _admin(actor)
    return get_or_not_found(Policy, policy_id, N_("No such policy."))


def line_for(actor: User, line_id: int) -> EligibilityLine:
    """One line (administrators)."""
    _admin(actor)
    return get_or_not_found(EligibilityLine, line_id, N_("No such line."))


def runs_of(actor: User, policy_id: int) -> list[PolicyRun]:
    """A policy's computed periods, latest period first (administrators)."""
    _admin(actor)
    return all_of(
        select(PolicyRun)
        .where(PolicyRun.policy_id == policy_id)
        .order_by(PolicyRun.period_start.desc(), PolicyRun.id.desc())
    )


def run_for(actor: User, run_id: int) -> PolicyRun:
    """One computed period with its lines (administrators)."""
    _admin(actor)
    return get_or_not_found(PolicyRun, run_id, N_("No such computation."))


def lines_of_run(
    actor: User, run_id: int, *, before: int | None, limit: int
) -> list[EligibilityLine]:
    """A page of a computed period's lines below line `before`, highest id first (administrators)."""
    run = run_for(actor, run_id)
    query = select(EligibilityLine).where(EligibilityLine.run_id == run.id)
    if before is not None:
        query = query.where(EligibilityLine.id < before)
    return all_of(query.order_by(EligibilityLine.id.desc()).limit(limit))


def lines_of_my_organisation(actor: User) -> list[EligibilityLine]:
    """The actor's organisation's lines under every policy, latest period first."""
    org_id = actor.acting_org_id
    if org_id is None:
        raise PermissionDenied(N_("Only members of an organisation have eligibility."))
    return all_of(
        select(EligibilityLine)
        .join(PolicyRun, PolicyRun.id == EligibilityLine.run_id)
        .where(EligibilityLine.org_id == org_id)
        .order_by(PolicyRun.period_end.desc(), EligibilityLine.id.desc())
    )
