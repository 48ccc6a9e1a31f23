"""Sign-up, sign-in, sign-out, the organisation page and the API tokens page."""

from __future__ import annotations

import math
import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.wrappers import Response as FlaskResponse
from flask_babel import gettext as _
from flask_limiter import RequestLimit
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from accounts import documents, services, signup_checks, terms, tokens
from accounts.auth import sign_in_rate_limit, sign_in_throttle
from accounts.lockout_rules import SignInLocked
from accounts.models import OrganisationKind, TokenScope, User
from accounts.schemas import (
    PasswordChangeSchema,
    SignInSchema,
    SignUpSchema,
    TokenInSchema,
    sign_up_input,
)
from accounts.throttle import SignInUnavailable
from core.clock import now
from core.countries import countries
from core.domain import DomainError
from core.extensions import limiter
from core.forms import domain_errors, parse_form
from core.i18n import current_locale
from core.service_kit import Upload
from core.storage import area_folder
from core.uow import unit_of_work
from core.view_steps import done
from core.views_kit import save_form, send_stored

bp = Blueprint("accounts", __name__)


@bp.app_template_global()
def party_name(name: str | None, org_id: int | None) -> str:
    """A name recorded for an organisation (a deal's party), in English for English readers
    when it is the organisation's registered name and the organisation has an English one."""
    if not org_id or not name or not current_locale().startswith("en"):
        return name or ""
    registered, english = _english_names().get(org_id, (None, None))
    return english if english and name == registered else name


def _english_names() -> dict[int, tuple[str, str]]:
    """{organisation id: (name, English name)}, read once a request: a page naming fifty
    parties costs one statement."""
    if "english_names" not in g:
        g.english_names = services.english_names()
    names: dict[int, tuple[str, str]] = g.english_names
    return names


def _safe_next(target: str) -> str:
    """Only same-site paths: never redirect a user off the market after sign-in."""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return url_for("home.index")  # the person's home (marketplace.home_page)


@bp.route("/signup", methods=["GET", "POST"])
def sign_up() -> str | Response | tuple[str, int]:
    """Register a person with a new organisation, or ask to join an existing one.

    Every problem of the form is shown at once: the form's own, the rules' and who is
    registered already, in one round trip.
    """
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        parsed = parse_form(SignUpSchema())
        if parsed[0] is None:
            errors = _with_conflicts(parsed[1])
        else:
            user, errors = save_form(parsed, _sign_up, _sign_up_refusal)
            if user is not None:
                login_user(user)
                flash(
                    _(
                        "Welcome! Your organisation will be verified by a reviewer before it can list."
                    ),
                    "success",
                )
                return redirect(url_for("accounts.organisation"))
    return render_template(
        "accounts/sign_up.html",
        form=request.form,
        errors=errors,
        kinds=list(OrganisationKind)[:-1],
        countries=countries(current_locale()),
        terms_version=signup_checks.TERMS_VERSION,
    ), (422 if errors else 200)


def _sign_up(data: dict) -> User:
    upload = request.files.get("licence")
    licence = Upload(upload.stream, upload.filename) if upload and upload.filename else None
    documents = services.DocumentStore(
        area_folder("organisations"),
        current_app.config["MAX_EVIDENCE_BYTES"],
    )
    return services.sign_up(
        sign_up_input(data, current_locale(), licence), now=now(), documents=documents
    )


def _sign_up_refusal(error: DomainError) -> dict[str, list[str]]:
    if isinstance(error, signup_checks.SignUpRefused):
        return signup_checks.field_errors(error.problems, _)
    return domain_errors(error)


def _with_conflicts(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The form's errors, and what the registered accounts and organisations add."""
    form = request.form
    joining = form.get("organisation_mode") == "join"
    country = (form.get("country") or "CN").upper()
    abroad = not joining and country != "CN"
    found = signup_checks.conflicts(
        form.get("email", ""),
        None if joining or abroad else form.get("credit_code"),
        form.get("join_credit_code") if joining else None,
        (country, form.get("registration_number", "")) if abroad else None,
    )
    for field, messages in signup_checks.field_errors(found, _).items():
        errors.setdefault(field, []).extend(messages)
    return errors


def _sign_in_page(
    errors: dict[str, list[str]], status: int, headers: dict[str, str]
) -> FlaskResponse:
    page = render_template(
        "accounts/sign_in.html", form=request.form, errors=errors, next=request.args.get("next", "")
    )
    return make_response(page, status, headers)


def _too_many_attempts(limit: RequestLimit) -> FlaskResponse:
    """The sign-in page again, when one address has tried too often (Flask-Limiter's breach)."""
    seconds = max(1, math.ceil(limit.reset_at - time.time()))  # the limiter counts in real time
    message = _("Too many sign-in attempts from your address. Wait a minute and try again.")
    return _sign_in_page({"_form": [message]}, 429, {"Retry-After": str(seconds)})


@bp.route("/signin", methods=["GET", "POST"])
@limiter.limit(sign_in_rate_limit, methods=["POST"], on_breach=_too_many_attempts)
def sign_in() -> FlaskResponse | Response:
    """Sign in with email and password; repeated failures lock the account and the address."""
    errors: dict[str, list[str]] = {}
    status: int = 200
    headers: dict[str, str] = {}
    if request.method == "POST":
        data, errors = parse_form(SignInSchema())
        status = 422
        if data is not None:
            try:
                with unit_of_work():
                    user = services.authenticate(
                        data["email"],
                        data["password"],
                        now=now(),
                        throttle=sign_in_throttle(),
                        address=request.remote_addr or "",
                    )
            except SignInLocked as error:
                errors = domain_errors(error)
                status, headers = 429, {"Retry-After": str(error.retry_after)}
            except DomainError as error:
                errors = domain_errors(error)
                status = 503 if isinstance(error, SignInUnavailable) else status
            else:
                login_user(user)
                return redirect(_safe_next(data["next"] or request.args.get("next", "")))
    return _sign_in_page(errors, status, headers)


@bp.post("/signout")
def sign_out() -> Response:
    """Sign out (POST only, so a link elsewhere cannot sign you out): every session ends."""
    if current_user.is_authenticated:
        with unit_of_work():
            services.end_sessions(current_user._get_current_object(), now=now())
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/terms/accept", methods=["GET", "POST"])
@login_required
def accept_terms() -> FlaskResponse | Response:
    """What changed in the terms since the person accepted them; accept, or sign out."""
    user: User = current_user._get_current_object()
    target = _safe_next(request.values.get("next", ""))
    if not terms.must_accept(user):
        return redirect(target)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            with unit_of_work():
                terms.accept_terms(user, request.form.get("consent", "")[:20], now=now())
        except DomainError as error:
            errors = domain_errors(error)
        else:
            flash(_("Thank you: you accepted the current terms and privacy notice."), "success")
            return redirect(target)
    page = render_template(
        "accounts/accept_terms.html",
        errors=errors,
        changes=terms.changes_since(user.terms_version),
        terms_version=signup_checks.TERMS_VERSION,
        next=target,
    )
    return make_response(page, 422 if errors else 200, {"Cache-Control": "no-store"})


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(sign_in_rate_limit, methods=["POST"])
def change_password() -> str | Response | tuple[str, int]:
    """Change your password; your other sessions end, this one goes on."""
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data, errors = parse_form(PasswordChangeSchema())
        if data is not None:
            try:
                with unit_of_work():
                    user = services.change_password(
                        current_user._get_current_object(),
                        data["current_password"],
                        data["password"],
                        now=now(),
                    )
            except DomainError as error:
                errors = domain_errors(error)
            else:
                login_user(user)  # this session carries the new session version
                flash(_("Your password is changed; your other sessions are signed out."), "success")
                return redirect(url_for("accounts.organisation"))
    return render_template("accounts/password.html", errors=errors), (422 if errors else 200)


@bp.route("/organisation")
@login_required
def organisation() -> str:
    """Your organisation: verification status and people waiting to join."""
    return render_template(
        "accounts/organisation.html",
        org=current_user.organisation,
        pending=services.pending_members(current_user),
    )


@bp.post("/organisation/members/<int:user_id>/approve")
@login_required
def approve_member(user_id: int) -> Response:
    """The organisation's admin accepts a person who asked to join."""
    return done(
        lambda: services.approve_member(current_user, user_id, now=now()),
        lambda member: _("%(name)s is now a member of your organisation.", name=member.name),
        url_for("accounts.organisation"),
    )


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def api_tokens() -> tuple[str, int, dict[str, str]]:
    """Your API tokens: issue one (its secret is shown once, here), see and revoke them."""
    errors: dict[str, list[str]] = {}
    secret = None
    if request.method == "POST":
        issued, errors = save_form(parse_form(TokenInSchema()), _issue_token)
        if issued is not None:
            secret = issued.secret
    moment = now()
    page = render_template(
        "accounts/tokens.html",
        tokens=[tokens.describe(t, moment) for t in tokens.tokens_of(current_user)],
        secret=secret,
        form=request.form if errors else {},
        errors=errors,
        max_days=current_app.config["API_TOKEN_MAX_DAYS"],
        default_days=tokens.DEFAULT_DAYS,
    )
    # The page may show a secret: no cache keeps it (nor the list of tokens).
    return page, (422 if errors else 200), {"Cache-Control": "no-store"}


def _issue_token(data: dict) -> tokens.IssuedToken:
    new = tokens.NewToken(data["name"], TokenScope(data["scope"]), data["days"])
    return tokens.issue_token(
        current_user, new, now=now(), max_days=current_app.config["API_TOKEN_MAX_DAYS"]
    )


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_api_token(token_id: int) -> Response:
    """Revoke one of your tokens: from now on it opens nothing."""
    return done(
        lambda: tokens.revoke_token(current_user, token_id, now=now()),
        lambda token: _("The token “%(name)s” is revoked.", name=token.name),
        url_for("accounts.api_tokens"),
    )


@bp.route("/organisation/documents/<int:document_id>")
@login_required
def organisation_document(document_id: int) -> Response:
    """An organisation's document (its business licence) for reviewers and its members."""
    document = documents.document_for_download(current_user, document_id)
    return send_stored(area_folder("organisations"), document)
