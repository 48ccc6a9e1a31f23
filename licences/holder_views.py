"""The rights page's co-ownership forms: the owner names the rights holders and attaches the
赋权 agreement, a reviewer signs it off, a co-owner records its consent (a reviewer a
person's written one). The same services as /api/v1/rights."""

from __future__ import annotations

from datetime import date

from flask import current_app, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from core.clock import now
from core.domain import N_, ValidationFailed
from core.forms import attempt
from core.service_kit import Upload
from core.views_kit import PostAction, add_actions
from licences.rights_views import organisation_by_code
from licences.views import bp
from listings import co_owners
from listings.co_owner_rules import HolderBasis
from listings.legal_rules import Purpose
from listings.services import visible_listing

MAX_HOLDERS = 20
BASES = {"ownership": HolderBasis.OWNERSHIP, "所有权": HolderBasis.OWNERSHIP, "use": HolderBasis.RIGHT_OF_USE, "right_of_use": HolderBasis.RIGHT_OF_USE, "使用权": HolderBasis.RIGHT_OF_USE}  # fmt: skip


def _back(listing_id: int) -> Response:
    return redirect(url_for("open_licences.rights", listing_id=listing_id) + "#holders")


def _holder(line: str) -> co_owners.HolderInput:
    """`name or credit code, share %, ownership|use[, until YYYY-MM-DD]`."""
    parts = [p.strip() for p in line.replace("，", ",").split(",")]
    if len(parts) < 3 or parts[2].lower() not in BASES:
        raise ValidationFailed(N_("Write one holder a line: name or credit code, share %, ownership or use, until (for a right of use)."), field="holders")  # fmt: skip
    share = _share(parts[1])
    until = None
    if len(parts) > 3 and parts[3]:
        try:
            until = date.fromisoformat(parts[3][:10])
        except ValueError:
            raise ValidationFailed(N_("Give the end of a right of use as YYYY-MM-DD."), field="holders") from None  # fmt: skip
    name = parts[0][:200]
    org_id = organisation_by_code(name, "holders") if len(name) == 18 and name.isalnum() else None
    return co_owners.HolderInput(share, BASES[parts[2].lower()], name="" if org_id else name, org_id=org_id, use_until=until)  # fmt: skip


def _share(text: str) -> int:
    """A share in percent (at most two decimals), in basis points."""
    try:
        value = round(float(text.rstrip("%").strip()[:12]) * 100)
    except ValueError:
        value = -1
    if not 0 <= value <= 10_000:
        raise ValidationFailed(N_("Give each holder's share in percent."), field="holders")
    return value


def _named_holders() -> list[co_owners.HolderInput]:
    lines = [ln for ln in request.form.get("holders", "")[:6000].splitlines() if ln.strip()]
    return [_holder(line) for line in lines[: MAX_HOLDERS + 1]]


add_actions(
    bp,
    PostAction("/listings/<int:listing_id>/rights/holders", "set_holders", "The owner names the rights holders (one a line).", co_owners.set_holders, N_("The rights holders are saved."), "open_licences.rights", (_named_holders,), not_found=True, anchor="#holders"),
)  # fmt: skip


@bp.post("/listings/<int:listing_id>/rights/agreement")
@login_required
def attach_agreement(listing_id: int) -> Response:
    """The owner attaches the institution's 赋权 agreement (a reviewer signs it off)."""
    visible_listing(current_user, listing_id)
    upload = request.files.get("agreement")

    def attach() -> None:
        if upload is None or not upload.filename:
            raise ValidationFailed(N_("Choose the agreement's file."), field="agreement")
        folder = co_owners.agreement_folder(current_app.config["UPLOAD_FOLDER"])
        co_owners.attach_agreement(current_user, listing_id, Upload(upload.stream, upload.filename), folder=folder, max_bytes=current_app.config["MAX_EVIDENCE_BYTES"], now=now())  # fmt: skip

    attempt(attach, success=_("The agreement is attached; a reviewer signs it off."), raise_not_found=True)  # fmt: skip
    return _back(listing_id)


add_actions(
    bp,
    PostAction("/listings/<int:listing_id>/rights/agreement/sign-off", "sign_off", "A reviewer signs off the latest agreement.", co_owners.sign_off_agreement, N_("The agreement is signed off."), "open_licences.rights", anchor="#holders"),
)  # fmt: skip


@bp.post("/listings/<int:listing_id>/rights/consents")
@login_required
def consent(listing_id: int) -> Response:
    """A co-owner records its consent to a sale or licence (a reviewer a person's)."""
    raw = request.form.get("purpose", "")
    holder = request.form.get("holder", "")

    def record() -> None:
        if raw not in Purpose._value2member_map_ or not (holder.isdigit() and len(holder) < 10):
            raise ValidationFailed(N_("Choose what the consent is for."), field="purpose")
        reference = request.form.get("reference", "")[:301]
        co_owners.record_consent(current_user, listing_id, int(holder), Purpose(raw), reference, now=now())  # fmt: skip

    attempt(record, success=_("The consent is recorded."))
    return _back(listing_id)
