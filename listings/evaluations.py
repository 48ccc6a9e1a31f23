"""Evaluation of results (科技成果评价): an accredited, independent evaluator records its
findings on a published listing; the latest evaluation is shown and searched.

Brokers answer `listings.signals.evaluator_of` (accreditation, agency, grade, mandates):
listings never imports them. Each use case flushes; the caller's unit of work commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from accounts.models import User
from accounts.services import can_review, is_signed_in
from core import outbox
from core.domain import N_, DomainError, NotFound, PermissionDenied
from core.extensions import db
from core.service_kit import Upload, audit_action, flush_new, get_or_not_found, store_document
from core.signals import values_from_signal
from listings import evaluation_rules as rules
from listings.evaluation_models import EvaluationEvidence, ResultEvaluation
from listings.evaluation_rules import Advancement, Evaluator, Novelty
from listings.models import Listing
from listings.rules import ListingStatus
from listings.services import SEARCH_TOPIC, get_listing, is_owner
from listings.signals import evaluator_of


@dataclass(frozen=True)
class Findings:
    """What the evaluator states."""

    trl: int
    novelty: Novelty
    advancement: Advancement
    reasoning: str


def evaluation_folder(upload_root: str) -> Path:
    """Where the evaluations' evidence is kept, under the upload folder."""
    return Path(upload_root) / "evaluations"


def evaluator(actor: User | None, listing: Listing, *, now: datetime) -> Evaluator | None:
    """The actor as an evaluator of this listing, as brokers know them (None: not a broker)."""
    if not is_signed_in(actor):
        return None
    found = values_from_signal(evaluator_of, actor, listing_id=listing.id, now=now)
    return found[0] if found else None


def may_evaluate(actor: User | None, listing: Listing, *, now: datetime) -> bool:
    """Whether the actor would be allowed to evaluate the listing now."""
    if listing.status != ListingStatus.PUBLISHED:
        return False
    try:
        rules.check_evaluator(evaluator(actor, listing, now=now), listing.organisation_id)
    except DomainError:
        return False
    return True


def record_evaluation(
    actor: User,
    listing_id: int,
    findings: Findings,
    evidence: Sequence[Upload],
    *,
    folder: Path,
    max_bytes: int,
    now: datetime,
) -> ResultEvaluation:
    """An independent accredited evaluator records an evaluation of a published listing."""
    if not is_signed_in(actor):
        raise PermissionDenied(N_("Please sign in to continue."))
    listing = get_listing(listing_id)
    if listing.status != ListingStatus.PUBLISHED:
        raise NotFound(N_("No such listing."))
    found = evaluator(actor, listing, now=now)
    rules.check_evaluator(found, listing.organisation_id)
    assert found is not None
    reasoning = findings.reasoning.strip()
    rules.check_findings(findings.trl, reasoning, len(evidence))
    evaluation = flush_new(
        ResultEvaluation(
            listing_id=listing.id, evaluator_id=actor.id, evaluator_org_id=found.broker_org_id,
            trl=findings.trl, novelty=findings.novelty, advancement=findings.advancement,
            reasoning=reasoning, evaluated_at=now,
        )
    )  # fmt: skip
    documents = [
        store_document(
            EvaluationEvidence(evaluation_id=evaluation.id, position=position),
            upload, by=actor.id, now=now, folder=folder, max_bytes=max_bytes,
        )
        for position, upload in enumerate(evidence)
    ]  # fmt: skip
    after = {
        "listing_id": listing.id, "trl": findings.trl, "novelty": findings.novelty.value,
        "advancement": findings.advancement.value, "evaluator_org_id": found.broker_org_id,
        "evidence": [doc.sha256 for doc in documents],
    }  # fmt: skip
    audit_action("evaluation.record", evaluation.id, actor.id, now, after=after)
    outbox.emit(SEARCH_TOPIC, listing.id, now=now)
    db.session.expire(listing, ["evaluations"])
    db.session.expire(evaluation, ["evidence"])
    return evaluation


def latest_of(listing: Listing) -> ResultEvaluation | None:
    """The evaluation that stands: the latest recorded."""
    return listing.evaluations[-1] if listing.evaluations else None


def visible_evaluations(listing: Listing) -> list[ResultEvaluation]:
    """A published listing's evaluations, newest first (they are public, like the listing)."""
    return list(reversed(listing.evaluations))


def evidence_for_download(actor: User | None, evidence_id: int) -> EvaluationEvidence:
    """An evaluation's document: public with its published listing; else owner and reviewers."""
    document = get_or_not_found(EvaluationEvidence, evidence_id, N_("No such document."))
    listing = get_listing(document.evaluation.listing_id)
    if listing.status == ListingStatus.PUBLISHED or is_owner(actor, listing) or can_review(actor):
        return document
    raise NotFound(N_("No such document."))
