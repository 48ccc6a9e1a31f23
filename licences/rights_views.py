"""A listing's rights page (`/listings/<id>/rights`): what it offers (transfer and the three
licences with their scope and terms) and granting a licence as a deal, for the owner; the
rights holders, the 赋权 agreement and the co-owners' consents (holder_views). The same
services as /api/v1/licensing and /api/v1/rights; attached to the open licences' blueprint.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from accounts.models import Organisation
from accounts.rules import normalise_credit_code
from accounts.services import get_organisation
from core.clock import now
from core.domain import N_, ValidationFailed
from core.extensions import db
from core.forms import attempt
from core.money import from_yuan_text
from core.regions import PROVINCES
from core.views_kit import PostAction, add_actions
from licences import licence_deals, offers
from licences.deal_models import ListingOffer
from licences.deal_rules import OfferKind
from licences.deal_views import KIND_LABELS
from licences.rules import LicenceKind
from licences.views import bp
from listings import co_owners
from listings.co_owner_rules import HolderBasis
from listings.legal_rules import Purpose
from listings.models import Listing
from listings.need_rules import market_today
from listings.rules import FIELDS
from listings.services import is_owner, visible_listing

PERIODS = (1, 3, 6, 12)


def _yuan(name: str, *, required: bool = False) -> int | None:
    text = request.form.get(name, "").strip()[:24]
    if not text:
        if required:
            raise ValidationFailed(N_("Give an amount above zero and at most 1,000,000,000 yuan."), field=name)  # fmt: skip
        return None
    return from_yuan_text(text, field=name).minor


def _int(name: str, default: int | None = None) -> int | None:
    text = request.form.get(name, "").strip()
    if not text:
        return default
    if not (text.isdigit() and len(text) < 6):
        raise ValidationFailed(N_("Give a whole number."), field=name)
    return int(text)


def _rate_bp(name: str) -> int | None:
    """A percentage with at most two decimals, in basis points."""
    text = request.form.get(name, "").strip().rstrip("%").strip()[:12]
    if not text:
        return None
    try:
        value = round(float(text) * 100)
    except ValueError:
        raise ValidationFailed(N_("Give the rate in percent, like 2 or 1.5."), field=name) from None  # fmt: skip
    if not 0 <= value <= 10_000:
        raise ValidationFailed(N_("Give the rate in percent, like 2 or 1.5."), field=name)
    return value


def _offer_inputs() -> list[offers.OfferInput]:
    """The offers ticked on the form, each with its scope and terms."""
    found = []
    for kind in OfferKind:
        k = kind.value
        if not request.form.get(f"{k}-on"):
            continue
        if kind == OfferKind.TRANSFER:
            found.append(offers.OfferInput(kind, price_minor=_yuan(f"{k}-price"), note=request.form.get(f"{k}-note", "")[:1001]))  # fmt: skip
            continue
        found.append(
            offers.OfferInput(
                kind, fields=tuple(request.form.getlist(f"{k}-fields")[:20]),
                territory=tuple(request.form.getlist(f"{k}-territory")[:40]),
                term_years=_int(f"{k}-term"), price_minor=_yuan(f"{k}-price"),
                rate_bp=_rate_bp(f"{k}-rate"), minimum_annual_minor=_yuan(f"{k}-minimum") or 0,
                period_months=_int(f"{k}-period"), note=request.form.get(f"{k}-note", "")[:1001],
            )
        )  # fmt: skip
    return found


def organisation_by_code(text: str, field: str) -> int:
    code = normalise_credit_code(text[:40])
    org_id = db.session.scalar(select(Organisation.id).where(Organisation.credit_code == code))
    if org_id is None:
        raise ValidationFailed(N_("No organisation on the market has this credit code."), field=field)  # fmt: skip
    return org_id


def _grant_input(offer: ListingOffer) -> licence_deals.LicenceInput:
    """The licence as the owner grants it: the offer's scope, the terms as agreed."""
    text = request.form.get("starts_on", "")[:10]
    try:
        starts = date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(N_("Give the day the licence starts."), field="starts_on") from None  # fmt: skip
    rate, minimum = _rate_bp("rate"), _yuan("minimum")
    return licence_deals.LicenceInput(
        licensee_org_id=organisation_by_code(request.form.get("licensee", ""), "licensee"),
        kind=LicenceKind(offer.kind.value), starts_on=starts,
        term_years=_int("term", offer.term_years) or 0,
        price_minor=_yuan("price", required=True) or 0,
        rate_bp=(offer.rate_bp or 0) if rate is None else rate,
        minimum_annual_minor=(offer.minimum_annual_minor or 0) if minimum is None else minimum,
        period_months=_int("period", offer.period_months) or 0,
        fields=tuple(offer.fields), territory=tuple(offer.territory),
    )  # fmt: skip


def _page_context(listing_id: int) -> dict[str, Any]:
    listing = visible_listing(current_user, listing_id)
    owner = is_owner(current_user, listing)
    if owner:
        holders = co_owners.holders_of(listing.id)
    else:
        holders = co_owners.visible_holders(current_user, listing)  # co-owners and reviewers
    return {
        "listing": listing,
        "owner": owner,
        "holders": holders,
        "offers": {o.kind.value: o for o in offers.offers_of(listing.id)},
        "kinds": list(OfferKind),
        "kind_labels": {k.value: v for k, v in KIND_LABELS.items()},
        "fields": FIELDS,
        "provinces": PROVINCES,
        "periods": PERIODS,
        "agreement": co_owners.agreement_of(listing.id),
        "consents": co_owners.consents_of(listing.id),
        "purposes": list(Purpose),
        "bases": list(HolderBasis),
        "today": market_today(now()).isoformat(),
        "missing": {p.value: co_owners.missing_consents(listing, p) for p in Purpose},
        "codes": {h.org_id: get_organisation(h.org_id).credit_code for h in holders if h.org_id},
        "own_code": current_user.organisation.credit_code
        if owner and current_user.organisation
        else "",
    }


@bp.get("/listings/<int:listing_id>/rights")
@login_required
def rights(listing_id: int) -> str:
    """The listing's offers, rights holders and consents (owner, co-owners, reviewers)."""
    return render_template("licences/rights.html", **_page_context(listing_id))


@bp.app_template_global()
def may_see_rights(listing: Listing) -> bool:
    """A co-owner or a reviewer finds the rights page from the listing (the owner always)."""
    if not current_user.is_authenticated:
        return False
    if current_user.can_review:
        return True
    org = current_user.acting_org_id
    return org is not None and any(h.org_id == org for h in co_owners.holders_of(listing.id))


def _back(listing_id: int, anchor: str) -> Response:
    return redirect(url_for("open_licences.rights", listing_id=listing_id) + anchor)


add_actions(
    bp,
    PostAction("/listings/<int:listing_id>/rights/offers", "set_offers", "The owner replaces what the listing offers.", offers.set_offers, N_("The offers are saved."), "open_licences.rights", (_offer_inputs,), not_found=True, anchor="#offers"),
)  # fmt: skip


@bp.post("/listings/<int:listing_id>/rights/licences")
@login_required
def grant(listing_id: int) -> Response:
    """The owner grants a licence it offers: a deal awaiting signature, the licensee told."""
    kind = request.form.get("kind", "")
    offer = offers.offer_of(listing_id, OfferKind(kind)) if kind in OfferKind._value2member_map_ else None  # fmt: skip
    if offer is None or offer.kind == OfferKind.TRANSFER:
        attempt(lambda: _refuse_kind(), raise_not_found=True)
        return _back(listing_id, "#grant")
    granted = attempt(
        lambda: licence_deals.grant(current_user, listing_id, _grant_input(offer), now=now()),
        success=_("The licence is granted: both parties find it among their deals."),
        raise_not_found=True,
    )  # fmt: skip
    if granted is None:
        return _back(listing_id, "#grant")
    return redirect(url_for("deals.detail", deal_id=granted.deal_id) + "#royalties")


def _refuse_kind() -> None:
    raise ValidationFailed(N_("The listing does not offer this kind of licence."), field="kind")
