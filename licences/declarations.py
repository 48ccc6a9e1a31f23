"""Open-licence declarations: the patentee declares, a reviewer decides, the patentee withdraws.

Each use case flushes; the caller's unit of work commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from accounts.models import User
from accounts.services import require_reviewer
from core.domain import N_, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.row_lists import all_of
from core.rules_kit import decision_reason
from core.service_kit import Upload, audit_action, flush_new, get_or_not_found, store_document
from licences import rules
from licences.models import EvaluationReport, OpenLicenceDeclaration
from licences.rules import DeclarationStatus, FeeTerms, PaymentMethod
from listings import legal_status
from listings.legal_rules import Purpose
from listings.models import IPAsset, Listing
from listings.need_rules import market_today
from listings.rules import IPKind, ListingStatus
from notifications.services import notify_org

REPORT_SUBFOLDER = "open_licences"  # under UPLOAD_FOLDER


def report_folder(upload_folder: str | Path) -> Path:
    """Where evaluation reports are stored."""
    return Path(upload_folder) / REPORT_SUBFOLDER


@dataclass(frozen=True)
class Declaration:
    """What the patentee declares: which patent, the fee, how it is paid, for how long."""

    ip_asset_id: int
    terms: FeeTerms
    payment_method: PaymentMethod
    term_years: int
    report: Upload | None = None


@dataclass(frozen=True)
class Storage:
    """Where reports go and how large they may be (from the settings, read by the view)."""

    folder: Path
    max_bytes: int


def declarable_assets(actor: User) -> list[IPAsset]:
    """The CN patents of the actor's organisation's published listings."""
    if actor.acting_org_id is None:
        return []
    return all_of(
        select(IPAsset)
        .join(Listing)
        .where(
            Listing.organisation_id == actor.acting_org_id,
            Listing.status == ListingStatus.PUBLISHED,
            IPAsset.kind == IPKind.CN_APPLICATION,
        )
        .order_by(IPAsset.id)
    )


def _patentee_asset(actor: User, ip_asset_id: int) -> IPAsset:
    asset = db.session.get(IPAsset, ip_asset_id)
    if asset is None or asset not in declarable_assets(actor):
        raise ValidationFailed(
            N_("Choose a Chinese patent of one of your published listings."), field="ip_asset_id"
        )
    return asset


def _live_status(patent_number: str) -> DeclarationStatus | None:
    return db.session.scalar(
        select(OpenLicenceDeclaration.status).where(
            OpenLicenceDeclaration.patent_number == patent_number,
            OpenLicenceDeclaration.status.in_(
                [DeclarationStatus.SUBMITTED, DeclarationStatus.PUBLISHED]
            ),
        )
    )


def declare(
    actor: User, data: Declaration, *, storage: Storage, now: datetime
) -> OpenLicenceDeclaration:
    """The patentee declares an open licence; it waits for a reviewer (flushes)."""
    asset = _patentee_asset(actor, data.ip_asset_id)
    kind = rules.patent_type(asset.number)
    terms = rules.check_fee_terms(data.terms)
    rules.check_term_years(data.term_years, kind)
    rules.check_may_declare(_live_status(asset.number))
    legal_status.check_may_dispose(asset.number, Purpose.LICENCE)  # not lapsed; a pledgee consents
    if rules.needs_evaluation_report(kind) and data.report is None:
        raise ValidationFailed(
            N_("A utility model or design needs its patent evaluation report attached."),
            field="report",
        )
    declaration = flush_new(
        OpenLicenceDeclaration(
            listing_id=asset.listing_id, ip_asset_id=asset.id, patent_number=asset.number,
            patent_type=kind, org_id=asset.listing.organisation_id, declared_by_id=actor.id,
            status=DeclarationStatus.SUBMITTED, fee_kind=terms.kind,
            lump_sum_minor=terms.lump_sum_minor, entry_fee_minor=terms.entry_fee_minor,
            royalty_bp=terms.royalty_bp, currency=asset.listing.currency,
            payment_method=data.payment_method, term_years=data.term_years, created_at=now,
        )
    )  # fmt: skip
    if data.report is not None:
        report = EvaluationReport(declaration_id=declaration.id)
        store_document(report, data.report, by=actor.id, now=now, folder=storage.folder, max_bytes=storage.max_bytes)  # fmt: skip
    audit_action("open_licence.declare", declaration.id, actor.id, now, after=_snapshot(declaration))  # fmt: skip
    return declaration


def _snapshot(declaration: OpenLicenceDeclaration) -> dict:
    return {
        "status": declaration.status.value,
        "patent_number": declaration.patent_number,
        "fee_kind": declaration.fee_kind.value,
        "lump_sum_minor": declaration.lump_sum_minor,
        "entry_fee_minor": declaration.entry_fee_minor,
        "royalty_bp": declaration.royalty_bp,
        "payment_method": declaration.payment_method.value,
        "term_years": declaration.term_years,
    }


def _locked(declaration_id: int) -> OpenLicenceDeclaration:
    return get_or_not_found(
        OpenLicenceDeclaration, declaration_id, N_("No such open licence."), lock=True
    )


def approve(reviewer: User, declaration_id: int, *, now: datetime) -> OpenLicenceDeclaration:
    """A reviewer found the declaration in order: it is published in the catalogue (flushes)."""
    require_reviewer(reviewer)
    declaration = _locked(declaration_id)
    rules.check_may_decide(declaration.status)
    declaration.status = DeclarationStatus.PUBLISHED
    declaration.decided_by_id, declaration.decided_at = reviewer.id, now
    declaration.published_at = now
    audit_action("open_licence.publish", declaration.id, reviewer.id, now, before={"status": "submitted"}, after={"status": "published"})  # fmt: skip
    _tell(declaration, "open_licence.published", now)
    return declaration


def refuse(
    reviewer: User, declaration_id: int, reason: str, *, now: datetime
) -> OpenLicenceDeclaration:
    """A reviewer refuses the declaration with the reason the patentee reads (flushes)."""
    require_reviewer(reviewer)
    reason = decision_reason(reason)
    declaration = _locked(declaration_id)
    rules.check_may_decide(declaration.status)
    declaration.status = DeclarationStatus.REFUSED
    declaration.decided_by_id, declaration.decided_at = reviewer.id, now
    declaration.refusal_reason = reason
    audit_action("open_licence.refuse", declaration.id, reviewer.id, now, before={"status": "submitted"}, after={"status": "refused"}, reason=reason)  # fmt: skip
    _tell(declaration, "open_licence.refused", now, reason=reason)
    return declaration


def withdraw(actor: User, declaration_id: int, *, now: datetime) -> OpenLicenceDeclaration:
    """The patentee withdraws a published open licence; licences granted stay in force."""
    declaration = _locked(declaration_id)
    if actor.acting_org_id != declaration.org_id:
        raise PermissionDenied(N_("Only the patentee may withdraw its open licence."))
    rules.check_may_withdraw(declaration.status)
    declaration.status = DeclarationStatus.WITHDRAWN
    declaration.withdrawn_at = now
    audit_action("open_licence.withdraw", declaration.id, actor.id, now, before={"status": "published"}, after={"status": "withdrawn"})  # fmt: skip
    day = market_today(now).isoformat()
    for org_id in sorted({x.licensee_org_id for x in declaration.licences}):
        notify_org(org_id, "open_licence.withdrawn", params=_params(declaration, day=day), link=_link(declaration), now=now)  # fmt: skip
    return declaration


def _params(declaration: OpenLicenceDeclaration, **extra: str) -> dict[str, str]:
    return {**declaration.listing.titles(), "name": declaration.patent_number, **extra}


def _link(declaration: OpenLicenceDeclaration) -> str:
    return f"/open-licences/{declaration.id}"


def _tell(declaration: OpenLicenceDeclaration, event: str, now: datetime, **extra: str) -> None:
    notify_org(declaration.org_id, event, params=_params(declaration, **extra), link=_link(declaration), now=now)  # fmt: skip


def get_declaration(declaration_id: int) -> OpenLicenceDeclaration:
    """A declaration by id, or NotFound."""
    return get_or_not_found(OpenLicenceDeclaration, declaration_id, N_("No such open licence."))


def visible_declaration(actor: User | None, declaration_id: int) -> OpenLicenceDeclaration:
    """Published and withdrawn declarations are public; the others only to the patentee and reviewers."""
    declaration = get_declaration(declaration_id)
    if declaration.status in (DeclarationStatus.PUBLISHED, DeclarationStatus.WITHDRAWN):
        return declaration
    if actor is not None and actor.is_authenticated and (actor.can_review or actor.acting_org_id == declaration.org_id):  # fmt: skip
        return declaration
    raise NotFound(N_("No such open licence."))


def review_queue(reviewer: User) -> list[OpenLicenceDeclaration]:
    """Declarations waiting for a reviewer, oldest first."""
    require_reviewer(reviewer)
    query = select(OpenLicenceDeclaration).where(OpenLicenceDeclaration.status == DeclarationStatus.SUBMITTED)  # fmt: skip
    return all_of(query.order_by(OpenLicenceDeclaration.id))


def declarations_of(actor: User) -> list[OpenLicenceDeclaration]:
    """The actor's organisation's declarations, newest first."""
    query = select(OpenLicenceDeclaration).where(OpenLicenceDeclaration.org_id == actor.acting_org_id)  # fmt: skip
    return all_of(query.order_by(OpenLicenceDeclaration.id.desc()))


def catalogue(text: str = "", field: str = "") -> list[OpenLicenceDeclaration]:
    """Published and withdrawn open licences, newest first, by words and technology field."""
    query = (
        select(OpenLicenceDeclaration)
        .join(Listing, Listing.id == OpenLicenceDeclaration.listing_id)
        .where(OpenLicenceDeclaration.status.in_([DeclarationStatus.PUBLISHED, DeclarationStatus.WITHDRAWN]))
    )  # fmt: skip
    if field:
        query = query.where(Listing.field == field)
    for word in text.split()[:8]:
        like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                Listing.title_zh.ilike(like, escape="\\"), Listing.title_en.ilike(like, escape="\\"),
                Listing.summary_zh.ilike(like, escape="\\"), Listing.summary_en.ilike(like, escape="\\"),
                OpenLicenceDeclaration.patent_number.ilike(like, escape="\\"),
            )
        )  # fmt: skip
    query = query.options(selectinload(OpenLicenceDeclaration.reports))  # the API lists them
    return all_of(query.order_by(OpenLicenceDeclaration.published_at.desc()).limit(200))  # fmt: skip


def report_for_download(actor: User | None, report_id: int) -> EvaluationReport:
    """An evaluation report: public with its published declaration, like the terms it supports."""
    report = db.session.get(EvaluationReport, report_id)
    if report is None:
        raise NotFound(N_("No such document."))
    visible_declaration(actor, report.declaration_id)
    return report
