"""The organisation's webhooks page: its endpoints, a new one's secret (once), the delivery log."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from core.clock import now
from core.forms import FieldErrors
from core.uow import unit_of_work
from core.view_steps import done
from core.views_kit import save_form
from webhooks import endpoints, presenting
from webhooks.rules import EVENT_TYPES, MAX_ENDPOINTS

bp = Blueprint("webhooks", __name__, url_prefix="/organisation/webhooks")

Page = tuple[str, int, dict[str, str]]


@bp.route("", methods=["GET", "POST"])
@login_required
def index() -> Page:
    """The endpoints and the delivery log; the administrator registers an endpoint here."""
    errors: FieldErrors = {}
    secret = None
    if request.method == "POST":
        data = {"url": request.form.get("url", ""), "events": request.form.getlist("events")}
        issued, errors = save_form((data, {}), _register)
        if issued is not None:
            secret = issued.secret
    return _page(secret=secret, errors=errors)


def _register(data: dict) -> endpoints.IssuedSecret:
    return endpoints.register(
        current_user,
        endpoints.NewEndpoint(data["url"], data["events"]),
        now=now(),
        allow_local_http=bool(current_app.config.get("WEBHOOKS_ALLOW_LOCAL_HTTP")),
    )


def _page(*, secret: str | None = None, errors: FieldErrors | None = None) -> Page:
    rows = endpoints.deliveries_of(current_user)
    page = render_template(
        "webhooks/index.html",
        endpoints=[presenting.endpoint(e) for e in endpoints.endpoints_of(current_user)],
        deliveries=presenting.log(rows, endpoints.attempts_of([r.id for r in rows])),
        secret=secret,
        errors=errors or {},
        form=request.form if errors else {},
        event_types=EVENT_TYPES,
        max_endpoints=MAX_ENDPOINTS,
        is_admin=current_user.is_org_admin,
    )
    # The page may show a secret: no cache keeps it.
    return page, (422 if errors else 200), {"Cache-Control": "no-store"}


@bp.post("/<int:endpoint_id>/delete")
@login_required
def delete(endpoint_id: int) -> Response:
    """Delete an endpoint: nothing more is sent to it."""
    return done(
        lambda: endpoints.delete(current_user, endpoint_id, now=now()),
        lambda endpoint: _("The endpoint %(url)s is deleted.", url=endpoint.url),
        url_for("webhooks.index"),
    )


@bp.post("/<int:endpoint_id>/rotate")
@login_required
def rotate(endpoint_id: int) -> Page:
    """A new signing secret for an endpoint, shown on the page this once."""
    with unit_of_work():
        issued = endpoints.rotate_secret(current_user, endpoint_id, now=now())
    return _page(secret=issued.secret)


@bp.post("/deliveries/<int:delivery_id>/resend")
@login_required
def resend(delivery_id: int) -> Response:
    """Send an event to its endpoint again, under the same event id."""
    return done(
        lambda: endpoints.send_again(current_user, delivery_id, now=now()).event.uid,
        lambda event_id: _("The event %(id)s is sent again.", id=event_id),
        url_for("webhooks.index"),
    )
