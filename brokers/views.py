"""Broker pages: the directory and profiles, applying, the workbench, mandates, introductions,
the statement, and ratings from the deal page."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response

from accounts.services import get_organisation
from brokers.models import Mandate
from brokers.rules import (
    AccreditationStatus,
    BrokerLevel,
    CommissionKind,
    IntroductionKind,
    IntroductionStatus,
    MandateSide,
    MandateStatus,
    Payer,
    above_statutory_cap,
    days_to_expiry,
    expiry_warning,
    share_bps,
)
from brokers.schemas import (
    ApplicationFormSchema,
    MandateFormSchema,
    RatingFormSchema,
    last_day,
)
from brokers.services import (
    accreditation,
    commissions,
    introductions,
    mandates,
    profiles,
    ratings,
    shared,
)
from brokers.services.commissions import commissions_on_deal
from brokers.services.mandates import mandates_of_broker, mandates_of_org
from core.audit.services import history
from core.clock import as_utc, now
from core.domain import DomainError
from core.files import send_document
from core.forms import FieldErrors, domain_errors, parse_form
from core.storage import evidence_path
from deals.models import Deal
from listings import needs as needs_service
from listings import services as listings
from listings.rules import FIELDS

bp = Blueprint("brokers", __name__, url_prefix="/brokers")

BROKER_LEVEL = {
    BrokerLevel.JUNIOR: (_l("Junior technology broker"), "初级技术经纪人"),
    BrokerLevel.INTERMEDIATE: (_l("Intermediate technology broker"), "中级技术经纪人"),
    BrokerLevel.SENIOR: (_l("Senior technology manager"), "高级技术经理人"),
}
ACCREDITATION = {
    AccreditationStatus.PENDING: (_l("Awaiting review"), "warning"),
    AccreditationStatus.ACCREDITED: (_l("Accredited"), "success"),
    AccreditationStatus.REFUSED: (_l("Refused"), "danger"),
}
MANDATE_STATUS = {
    MandateStatus.PROPOSED: (_l("Awaiting acceptance"), "warning"),
    MandateStatus.ACTIVE: (_l("In force"), "success"),
    MandateStatus.TERMINATED: (_l("Ended by notice"), "secondary"),
    MandateStatus.DECLINED: (_l("Declined"), "danger"),
    MandateStatus.WITHDRAWN: (_l("Withdrawn"), "dark"),
}
INTRODUCTION_STATUS = {
    IntroductionStatus.PROPOSED: (_l("Awaiting both parties"), "warning"),
    IntroductionStatus.ACCEPTED: (_l("Accepted by both"), "success"),
    IntroductionStatus.DECLINED: (_l("Declined"), "danger"),
}
MANDATE_SIDE = {MandateSide.SELLER: _l("For the seller"), MandateSide.BUYER: _l("For the buyer")}
PAYER = {Payer.SELLER: _l("The seller pays"), Payer.BUYER: _l("The buyer pays")}
INTRODUCTION_KIND = {
    IntroductionKind.BUYER_TO_LISTING: _l("A buyer introduced to a listing"),
    IntroductionKind.SELLER_TO_NEED: _l("A seller introduced to a need"),
}
DOCUMENT_KIND = {
    "certificate": _l("Broker certificate"),
    "identity": _l("Identity document"),
    "training": _l("Training record"),
    "other": _l("Other document"),
}
LANGUAGE = {
    "zh": _l("Chinese"),
    "en": _l("English"),
    "ja": _l("Japanese"),
    "ko": _l("Korean"),
    "de": _l("German"),
    "fr": _l("French"),
    "ru": _l("Russian"),
}


@bp.record_once
def _labels(state: Any) -> None:
    """Broker label tables as template globals (macros and the deal page see them too)."""
    state.app.jinja_env.globals.update(
        BROKER_LEVEL=BROKER_LEVEL,
        ACCREDITATION=ACCREDITATION,
        MANDATE_STATUS=MANDATE_STATUS,
        INTRODUCTION_STATUS=INTRODUCTION_STATUS,
        MANDATE_SIDE=MANDATE_SIDE,
        PAYER=PAYER,
        INTRODUCTION_KIND=INTRODUCTION_KIND,
        BROKER_DOCUMENT_KIND=DOCUMENT_KIND,
        LANGUAGE=LANGUAGE,
    )


@bp.app_template_filter("bps_percent")
def bps_percent(bps: int | None) -> str:
    """Basis points as a percentage without trailing zeros: 200 → "2", 150 → "1.5"."""
    if bps is None:
        return ""
    whole, rest = divmod(bps, 100)
    return str(whole) if rest == 0 else f"{whole}.{rest:02d}".rstrip("0")


@bp.app_template_global()
def deal_brokers(deal: Deal) -> dict[str, Any]:
    """The deal page's broker panel: commissions on the deal and what the reader may rate."""
    commissions = commissions_on_deal(deal.id)
    return {
        "commissions": commissions,
        "rateable": ratings.rateable(current_user, deal) if commissions else [],
        "above_cap": {
            c.id: above_statutory_cap(c.amount_minor, c.basis_minor) for c in commissions
        },
    }


def _folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "brokers"


def _tz() -> str:
    return str(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai"))


def _warning_days() -> int:
    return int(current_app.config.get("BROKER_EXPIRY_WARNING_DAYS", 60))


def matches_url(kind: str, object_id: int) -> str:
    """The needs engineer's matches page of a listing or a need (a plain path if not there)."""
    endpoint, arg = (
        ("matching.listing_matches", "listing_id")
        if kind == "listing"
        else ("matching.need_matches", "need_id")
    )
    try:
        return url_for(endpoint, **{arg: object_id})
    except BuildError:
        return f"/{'listings' if kind == 'listing' else 'needs'}/{object_id}/matches"


# --- directory and profiles ----------------------------------------------------------------


@bp.route("")
def directory() -> str:
    """The public directory of accredited brokers, filtered by field and region."""
    field_code = request.args.get("field") or None
    region = request.args.get("region") or None
    brokers = profiles.directory(now=now(), field_code=field_code, region=region)
    all_brokers = profiles.directory(now=now())
    return render_template(
        "brokers/directory.html",
        brokers=brokers,
        stats=profiles.stats_for([b.id for b in brokers]),
        fields=FIELDS,
        regions=sorted({b.region for b in all_brokers}),
        field_code=field_code,
        region=region,
    )


@bp.route("/<int:broker_id>")
def profile(broker_id: int) -> str:
    """A broker's public profile: accreditation, expertise, completed deals, ratings."""
    broker = profiles.public_broker(broker_id)
    moment = now()
    org_id = current_user.acting_org_id if current_user.is_authenticated else None
    return render_template(
        "brokers/profile.html",
        broker=broker,
        stats=profiles.stats_for([broker.id])[broker.id],
        ratings=ratings.ratings_of(broker.id),
        valid=shared.broker_accredited(broker, now=moment),
        fields=FIELDS,
        can_engage=org_id is not None
        and org_id != broker.organisation_id
        and shared.broker_accredited(broker, now=moment),
    )


# --- applying ------------------------------------------------------------------------------


def _render_apply(
    form: dict[str, Any], errors: FieldErrors | None = None, status: int = 200
) -> tuple[str, int]:
    return render_template(
        "brokers/apply.html",
        form=form,
        errors=errors or {},
        fields=FIELDS,
        levels=list(BrokerLevel),
        languages=LANGUAGE,
        broker=shared.broker_of(current_user),
    ), status


@bp.route("/apply", methods=["GET", "POST"])
@login_required
def apply() -> Any:
    """Apply (or apply again) for accreditation, with the certificate attached."""
    broker = shared.broker_of(current_user)
    if request.method == "GET":
        form: dict[str, Any] = {"languages": ["zh"], "expertise_fields": []}
        if broker is not None:
            form = {
                "level": broker.level.value,
                "certificate_number": broker.certificate_number,
                "issuing_body": broker.issuing_body,
                "expires_on": broker.expires_on.isoformat(),
                "region": broker.region,
                "expertise_fields": broker.expertise_fields,
                "languages": broker.languages,
                "bio": broker.bio or "",
            }
        return _render_apply(form)
    form = request.form.to_dict()
    form["expertise_fields"] = request.form.getlist("expertise_fields")
    form["languages"] = request.form.getlist("languages")
    data, errors = parse_form(ApplicationFormSchema())
    upload = request.files.get("file")
    if data is None:
        return _render_apply(form, errors, 422)
    try:
        accreditation.apply(current_user, data, now=now(), warning_days=_warning_days())
        if upload is not None and upload.filename:
            accreditation.add_document(
                current_user,
                kind=request.form.get("kind", "certificate"),
                stream=upload.stream,
                filename=upload.filename,
                folder=_folder(),
                max_bytes=current_app.config["MAX_EVIDENCE_BYTES"],
                now=now(),
            )
    except DomainError as error:
        return _render_apply(form, domain_errors(error), int(error.status))
    flash(_("Application sent. A reviewer checks your certificate."), "success")
    return redirect(url_for("brokers.dashboard"))


@bp.post("/documents")
@login_required
def upload_document() -> Response:
    """Attach another document to one's application."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a file to upload."), "danger")
        return redirect(url_for("brokers.dashboard"))
    try:
        accreditation.add_document(
            current_user,
            kind=request.form.get("kind", "certificate"),
            stream=upload.stream,
            filename=upload.filename,
            folder=_folder(),
            max_bytes=current_app.config["MAX_EVIDENCE_BYTES"],
            now=now(),
        )
    except DomainError as error:
        flash(error.text(_), "danger")
    else:
        flash(_("Document attached."), "success")
    return redirect(url_for("brokers.dashboard"))


@bp.route("/documents/<int:document_id>")
@login_required
def document_file(document_id: int) -> Response:
    """An application document, for the applicant and the reviewers."""
    document = accreditation.document_for_download(current_user, document_id)
    return send_document(
        evidence_path(_folder(), document.stored_name),
        content_type=document.content_type,
        download_name=document.original_name,
    )


# --- the workbench -------------------------------------------------------------------------


@bp.route("/workbench")
@login_required
def dashboard() -> Any:
    """The broker's workbench: accreditation and expiry, mandates, introductions, matches."""
    broker = shared.broker_of(current_user)
    if broker is None:
        return redirect(url_for("brokers.mine"))
    moment = now()
    today = shared.today_in_market(moment)
    mandates = mandates_of_broker(broker)
    return render_template(
        "brokers/dashboard.html",
        broker=broker,
        valid=shared.broker_accredited(broker, now=moment),
        days_left=days_to_expiry(broker.expires_on, today),
        warn=broker.status == AccreditationStatus.ACCREDITED
        and expiry_warning(broker.expires_on, today, _warning_days()),
        mandates=mandates,
        in_force={m.id for m in mandates if m.in_force(moment)},
        introductions=introductions.introductions_of_broker(broker),
        scope_titles=_scope_titles(mandates),
        statement=commissions.statement(current_user),
        matches_url=matches_url,
        document_kinds=accreditation.DOCUMENT_KINDS,
        last_day=lambda m: last_day(m, _tz()),
    )


def _scope_titles(mandates: list[Mandate]) -> dict[int, str]:
    """The title of each mandate's listing or need, for the tables."""
    titles: dict[int, str] = {}
    for item in mandates:
        if item.listing_id:
            titles[item.id] = listings.get_listing(item.listing_id).title(_locale())
        elif item.need_id:
            titles[item.id] = needs_service.get_need(item.need_id).title
    return titles


@bp.route("/mine")
@login_required
def mine() -> str:
    """An organisation's brokers: the mandates it gave and the introductions it answers."""
    moment = now()
    mandates = mandates_of_org(current_user)
    return render_template(
        "brokers/mine.html",
        mandates=mandates,
        in_force={m.id for m in mandates if m.in_force(moment)},
        introductions=introductions.introductions_of_org(current_user),
        scope_titles=_scope_titles(mandates),
        org_id=current_user.acting_org_id,
        is_broker=shared.broker_of(current_user) is not None,
        last_day=lambda m: last_day(m, _tz()),
    )


# --- mandates ------------------------------------------------------------------------------


def _scope_choices() -> dict[str, Any]:
    """What the principal may put under a mandate: its listings and its open needs."""
    if current_user.acting_org_id is None:
        return {"my_listings": [], "my_needs": []}
    from listings.need_rules import NeedStatus
    from listings.rules import ListingStatus

    return {
        "my_listings": [
            item
            for item in listings.listings_of(current_user)
            if item.status == ListingStatus.PUBLISHED
        ],
        "my_needs": needs_service.needs_of(current_user, NeedStatus.OPEN),
    }


def _render_mandate_form(
    form: dict[str, Any], errors: FieldErrors | None = None, status: int = 200
) -> tuple[str, int]:
    moment = now()
    own = shared.broker_of(current_user)
    listing = need = None
    if form.get("listing_id"):
        try:
            listing = listings.visible_listing(current_user, int(form["listing_id"]))
        except (DomainError, ValueError):
            listing = None
    if form.get("need_id"):
        try:
            need = needs_service.visible_need(current_user, int(form["need_id"]))
        except (DomainError, ValueError):
            need = None
    return render_template(
        "brokers/mandate_form.html",
        form=form,
        errors=errors or {},
        brokers=[b for b in profiles.directory(now=moment) if own is None or b.id != own.id],
        own=own,
        listing=listing,
        need=need,
        kinds=list(CommissionKind),
        **_scope_choices(),
    ), status


@bp.route("/mandates/new", methods=["GET", "POST"])
@login_required
def new_mandate() -> Any:
    """Propose a mandate: the principal names a broker, or a broker names the listing / need."""
    if request.method == "GET":
        today = shared.today_in_market(now())
        args = request.args
        own = shared.broker_of(current_user)
        side = args.get("side") or ("buyer" if args.get("need_id") else "seller")
        form = {
            "broker_id": args.get("broker_id") or (str(own.id) if own else ""),
            "side": side,
            "listing_id": args.get("listing_id", ""),
            "need_id": args.get("need_id", ""),
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=180)).isoformat(),
            "notice_days": "30",
            "commission_kind": "percentage",
            "rate": "2",
            "minimum": "",
            "maximum": "",
            "fixed_fee": "",
            "payer": side,
        }
        return _render_mandate_form(form)
    form = request.form.to_dict()
    try:
        data, errors = parse_form(MandateFormSchema(timezone=_tz()))
    except DomainError as error:  # an amount that is not money
        data, errors = None, domain_errors(error)
    if data is None:
        return _render_mandate_form(form, errors, 422)
    try:
        mandate = mandates.propose_mandate(current_user, data, now=now())
    except DomainError as error:
        return _render_mandate_form(form, _field_on_form(domain_errors(error)), int(error.status))
    flash(_("Mandate proposed. It binds when the other side accepts."), "success")
    return redirect(url_for("brokers.mandate", mandate_id=mandate.id))


def _field_on_form(errors: FieldErrors) -> FieldErrors:
    """Service field names onto the form's: the term's end is typed as a date."""
    renamed = {"rate_bps": "rate", "fixed_minor": "fixed_fee"}
    return {renamed.get(k, k): v for k, v in errors.items()}


@bp.route("/mandates/<int:mandate_id>")
@login_required
def mandate(mandate_id: int) -> str:
    """A mandate: its terms, who accepted, the buttons of each side, its history."""
    item = mandates.visible_mandate(current_user, mandate_id)
    return _render_mandate(item)


def _render_mandate(item: Mandate) -> str:
    moment = now()
    as_broker = item.broker.user_id == current_user.id
    as_principal = current_user.acting_org_id == item.principal_org_id
    mine_accepted = (as_broker and item.broker_accepted_at) or (
        as_principal and item.principal_accepted_at
    )
    scope_title = None
    if item.listing_id:
        scope_title = listings.get_listing(item.listing_id).title(_locale())
    elif item.need_id:
        scope_title = needs_service.get_need(item.need_id).title
    return render_template(
        "brokers/mandate.html",
        mandate=item,
        scope_title=scope_title,
        in_force=item.in_force(moment),
        as_broker=as_broker,
        as_principal=as_principal,
        can_accept=(as_broker or as_principal)
        and item.status == MandateStatus.PROPOSED
        and not mine_accepted,
        can_withdraw=(as_broker or as_principal)
        and item.status == MandateStatus.PROPOSED
        and bool(mine_accepted),
        can_terminate=(as_broker or as_principal)
        and item.status == MandateStatus.ACTIVE
        and item.in_force(moment),
        history=history("mandate", item.id),
        introductions=[
            i for i in introductions.introductions_of_broker(item.broker) if i.mandate_id == item.id
        ]
        if (as_broker or as_principal or current_user.can_review)
        else [],
        matches_url=matches_url,
        last_day=lambda m: last_day(m, _tz()),
    )


def _locale() -> str:
    from core.i18n import current_locale

    return current_locale()


@bp.post("/mandates/<int:mandate_id>/<any(accept, decline, terminate):action>")
@login_required
def mandate_action(mandate_id: int, action: str) -> Response:
    """Accept, decline (or withdraw) a proposal, or end a mandate by notice."""
    reason = request.form.get("reason", "")
    try:
        if action == "accept":
            item = mandates.accept_mandate(current_user, mandate_id, now=now())
            if item.status == MandateStatus.ACTIVE:
                flash(_("Mandate accepted: it is now in force."), "success")
            else:
                flash(_("Accepted. The mandate binds when the other side accepts."), "info")
        elif action == "decline":
            mandates.decline_mandate(current_user, mandate_id, now=now(), reason=reason)
            flash(_("The proposal is closed."), "info")
        else:
            item = mandates.terminate_mandate(current_user, mandate_id, reason, now=now())
            flash(
                _(
                    "Notice given: the mandate stays in force until %(day)s.",
                    day=last_day(as_utc(item.terminates_at), _tz()).isoformat()
                    if item.terminates_at
                    else "",
                ),
                "info",
            )
    except DomainError as error:
        flash(error.text(_), "danger")
    return redirect(url_for("brokers.mandate", mandate_id=mandate_id))


# --- introductions -------------------------------------------------------------------------


def _render_introduction_form(
    form: dict[str, Any], errors: FieldErrors | None = None, status: int = 200
) -> tuple[str, int]:
    listing = buyer = need = None
    try:
        if form.get("listing_id"):
            listing = listings.visible_listing(current_user, int(form["listing_id"]))
        if form.get("need_id"):
            need = needs_service.visible_need(current_user, int(form["need_id"]))
            buyer = need.organisation
        elif form.get("buyer_org_id"):
            buyer = get_organisation(int(form["buyer_org_id"]))
    except ValueError:
        abort(404)
    if listing is None or buyer is None:
        abort(404)
    moment = now()
    acting = shared.acts_for(current_user, listing_id=listing.id, now=moment) or (
        need is not None and shared.acts_for(current_user, need_id=need.id, now=moment)
    )
    return render_template(
        "brokers/introduction_form.html",
        form=form,
        errors=errors or {},
        listing=listing,
        buyer=buyer,
        need=need,
        acting=acting,
    ), status


@bp.route("/introductions/new", methods=["GET", "POST"])
@login_required
def new_introduction() -> Any:
    """A broker introduces a buyer to a listing (listing_id + buyer_org_id) or a seller to a
    need (need_id + listing_id)."""
    if request.method == "GET":
        form = {k: request.args.get(k, "") for k in ("listing_id", "buyer_org_id", "need_id")}
        form["note"] = ""
        return _render_introduction_form(form)
    form = request.form.to_dict()
    try:
        listing_id = int(form.get("listing_id") or 0)
        buyer_org_id = int(form["buyer_org_id"]) if form.get("buyer_org_id") else None
        need_id = int(form["need_id"]) if form.get("need_id") else None
    except ValueError:
        abort(400)
    try:
        introduction = introductions.introduce(
            current_user,
            listing_id=listing_id,
            buyer_org_id=buyer_org_id,
            need_id=need_id,
            note=form.get("note", ""),
            now=now(),
        )
    except DomainError as error:
        return _render_introduction_form(form, domain_errors(error), int(error.status))
    flash(_("Introduction sent. Both parties are asked to accept it."), "success")
    return redirect(url_for("brokers.introduction", introduction_id=introduction.id))


@bp.route("/introductions/<int:introduction_id>")
@login_required
def introduction(introduction_id: int) -> str:
    """An introduction: the parties, the broker, who accepted, and the negotiation thread."""
    item = introductions.visible_introduction(current_user, introduction_id)
    side = introductions.side_in(current_user, item)
    stamp = {"seller": item.seller_accepted_at, "buyer": item.buyer_accepted_at}.get(side or "")
    return render_template(
        "brokers/introduction.html",
        introduction=item,
        listing=listings.get_listing(item.listing_id),
        need=needs_service.get_need(item.need_id) if item.need_id else None,
        side=side,
        can_answer=side in ("seller", "buyer")
        and item.status == IntroductionStatus.PROPOSED
        and stamp is None,
        history=history("introduction", item.id),
    )


@bp.post("/introductions/<int:introduction_id>/<any(accept, decline):answer>")
@login_required
def answer_introduction(introduction_id: int, answer: str) -> Response:
    """A party accepts or declines an introduction; both accepting opens the thread."""
    try:
        item = introductions.respond_to_introduction(
            current_user, introduction_id, accept=answer == "accept", now=now()
        )
    except DomainError as error:
        flash(error.text(_), "danger")
        return redirect(url_for("brokers.introduction", introduction_id=introduction_id))
    if item.status == IntroductionStatus.ACCEPTED and item.negotiation_id:
        flash(_("Both parties accepted. The negotiation is open: agree a price here."), "success")
        return redirect(url_for("sales.negotiation", negotiation_id=item.negotiation_id))
    if item.status == IntroductionStatus.DECLINED:
        flash(_("Introduction declined."), "info")
    else:
        flash(_("Accepted. Waiting for the other party."), "info")
    return redirect(url_for("brokers.introduction", introduction_id=introduction_id))


# --- statement and ratings -----------------------------------------------------------------


@bp.route("/statement")
@login_required
def statement() -> str:
    """The broker's statement: deals with their commission, paid or not as the ledger says."""
    result = commissions.statement(current_user)
    return render_template(
        "brokers/statement.html",
        statement=result,
        broker=shared.broker_of(current_user),
        shares={
            line.commission.id: share_bps(line.commission.amount_minor, line.commission.basis_minor)
            for line in result.lines
        },
    )


@bp.post("/deals/<int:deal_id>/ratings")
@login_required
def rate(deal_id: int) -> Response:
    """A party rates the broker of a completed deal."""
    data, errors = parse_form(RatingFormSchema())
    if data is None:
        for messages in errors.values():
            for message in messages:
                flash(message, "danger")
        return redirect(url_for("deals.detail", deal_id=deal_id) + "#brokers")
    try:
        ratings.rate_broker(
            current_user,
            deal_id,
            data["broker_id"],
            data["score"],
            data.get("comment", ""),
            now=now(),
        )
    except DomainError as error:
        flash(error.text(_), "danger")
    else:
        flash(_("Thank you: your rating is on the broker's profile."), "success")
    return redirect(url_for("deals.detail", deal_id=deal_id) + "#brokers")
