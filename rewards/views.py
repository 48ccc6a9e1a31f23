"""The rewards pages: the institution's policy and deals (`/rewards`), a listing's inventors,
an inventor's statement (page and CSV) and one's own statements (`/rewards/mine`)."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as Redirect

from core.clock import now
from core.domain import N_, ValidationFailed
from core.forms import attempt
from core.money import from_yuan_text
from core.views_kit import PostAction, add_actions, download
from listings.services import visible_listing
from rewards import export, royalties, services
from rewards.rules import WHOLE_BP, CostCategory

bp = Blueprint("rewards", __name__)
MAX_LINES = 20


def _percent_bp(text: str, field: str) -> int:
    """A percentage typed with at most two decimals, in basis points."""
    try:
        value = round(float(text.strip().rstrip("%").strip()[:12]) * 100)
    except ValueError:
        raise ValidationFailed(N_("Give a percentage, like 60 or 33.34."), field=field) from None
    if not 0 <= value <= WHOLE_BP:
        raise ValidationFailed(N_("Give a percentage, like 60 or 33.34."), field=field)
    return value


@bp.get("/rewards")
@login_required
def index() -> str:
    """The institution's reward policy and its completed deals with their rewards."""
    deals = services.completed_deals(current_user)
    share_bp, allowed = services.terms_of(current_user.acting_org_id)
    return render_template(
        "rewards/index.html", deals=deals, share_bp=share_bp, allowed=allowed,
        own_policy=services.policy_of(current_user.acting_org_id), categories=list(CostCategory),
        royalty_rewards=royalties.royalty_rewards(current_user),
    )  # fmt: skip


@bp.post("/rewards/policy")
@login_required
def set_policy() -> Redirect:
    """Set the institution's share of net income and the costs it deducts."""
    allowed = frozenset(c for c in CostCategory if request.form.get(f"allow_{c.value}"))
    attempt(
        lambda: services.set_policy(
            current_user, _percent_bp(request.form.get("share", ""), "share"), allowed, now=now()
        ),
        success=_("The reward policy is saved."),
    )
    return redirect(url_for("rewards.index"))


@bp.post("/rewards/deals/<int:deal_id>")
@login_required
def award(deal_id: int) -> Redirect:
    """Record the deal's costs: the net income, the pool and each inventor's part."""

    def costs() -> dict[CostCategory, int]:
        found = {}
        for c in CostCategory:
            text = request.form.get(f"cost_{c.value}", "").strip()[:30]
            found[c] = from_yuan_text(text, field=f"cost_{c.value}").minor if text else 0
        return found

    attempt(
        lambda: services.award(current_user, deal_id, costs(), now=now()),
        success=_("The reward is set and posted on the deal's ledger."),
        raise_not_found=True,
    )
    return redirect(url_for("rewards.index") + f"#deal-{deal_id}")


@bp.get("/listings/<int:listing_id>/inventors")
@login_required
def inventors(listing_id: int) -> str:
    """A listing's inventors and their shares, for the institution's administrators."""
    listing = visible_listing(current_user, listing_id)
    services.require_admin_of(current_user, listing.organisation_id)
    return render_template(
        "rewards/inventors.html", listing=listing, inventors=services.inventors_of(listing_id)
    )


def _named() -> list[services.NewInventor]:
    """Lines of `name, share %, e-mail (optional)`."""
    named = []
    lines = [ln for ln in request.form.get("inventors", "")[:4000].splitlines() if ln.strip()]
    for line in lines[: MAX_LINES + 1]:
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if len(parts) < 2:
            raise ValidationFailed(N_("Write one inventor a line: name, share %, e-mail."), field="inventors")  # fmt: skip
        email = parts[2][:254] if len(parts) > 2 and parts[2] else None
        named.append(
            services.NewInventor(parts[0][:101], _percent_bp(parts[1], "inventors"), email)
        )
    return named


add_actions(
    bp,
    PostAction("/listings/<int:listing_id>/inventors", "set_inventors", "Name the listing's inventors and their contribution shares.", services.set_inventors, N_("The inventors are saved."), "rewards.inventors", (_named,), not_found=True),
)  # fmt: skip


@bp.get("/rewards/inventors/<int:inventor_id>")
@login_required
def statement(inventor_id: int) -> str:
    """An inventor's statement: each deal's net income, pool, share and amount."""
    inventor, rows = services.statement(current_user, inventor_id)
    total = sum(line.amount_minor for line, _, _ in rows)
    return render_template("rewards/statement.html", inventor=inventor, rows=rows, total=total)


@bp.get("/rewards/inventors/<int:inventor_id>.csv")
@login_required
def statement_csv(inventor_id: int) -> Response:
    """The statement as CSV."""
    inventor, rows = services.statement(current_user, inventor_id)
    return download(
        export.statement_csv(inventor, rows), export.CSV_TYPE, export.file_name(inventor)
    )


@bp.get("/rewards/mine")
@login_required
def mine() -> str:
    """The results where the signed-in person is named as an inventor, with their statements."""
    rows = services.inventor_rows_of(current_user)
    return render_template("rewards/mine.html", rows=rows)
