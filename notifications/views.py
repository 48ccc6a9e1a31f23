"""The inbox, the notification preferences and the one-click unsubscribe."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from core.clock import now
from core.extensions import csrf
from core.forms import attempt
from core.i18n import SUPPORTED, current_locale
from core.uow import unit_of_work
from core.view_steps import done
from core.views_kit import MAX_ROW_ID, form_id
from notifications import mail, rules, services, watches
from notifications.rules import EmailMode

bp = Blueprint("notifications", __name__)

MAX_PAGE = 1000


@bp.app_context_processor
def inbox_badge() -> dict[str, object]:
    """The unread count in the navigation bar of every page (one COUNT for a signed-in user)."""
    if not has_request_context() or not current_user.is_authenticated:
        return {"inbox_unread": 0}  # an email rendered by a job has no reader signed in
    return {"inbox_unread": services.unread_count(current_user)}


@bp.route("/inbox")
@login_required
def inbox() -> str:
    """What the market told me, newest first."""
    page = request.args.get("page", 1, type=int) or 1
    page = min(max(page, 1), MAX_PAGE)
    items = services.inbox(current_user, page=page)
    return render_template(
        "notifications/inbox.html",
        rows=[(n, mail.message_of(n, current_locale())) for n in items],
        page=page,
        has_more=len(items) == services.INBOX_PAGE,
        labels={key: _(kind.label) for key, kind in rules.EVENTS.items()},
    )


@bp.post("/inbox/<int:notification_id>/open")
@login_required
def open_notification(notification_id: int) -> Response:
    """Mark a notification read and go to what it is about."""
    if notification_id > MAX_ROW_ID:
        abort(404)
    with unit_of_work():
        notification = services.open_notification(current_user, notification_id, now=now())
    if notification is None:
        abort(404)
    return redirect(notification.link or url_for("notifications.inbox"))


@bp.post("/inbox/read-all")
@login_required
def read_all() -> Response:
    """Mark every notification read."""
    return done(
        lambda: services.mark_all_read(current_user, now=now()),
        lambda count: _("%(count)s notification(s) marked read.", count=count),
        url_for("notifications.inbox"),
    )


@bp.route("/inbox/preferences", methods=["GET", "POST"])
@login_required
def preferences() -> str | Response:
    """Per event type: in the inbox or not, and email at once, in a daily digest or never."""
    if request.method == "POST":
        with unit_of_work():
            moment = now()
            for key in rules.EVENTS:
                email = request.form.get(f"email-{key}", "")
                mode = EmailMode(email) if email in set(EmailMode) else EmailMode.OFF
                services.set_preference(
                    current_user,
                    key,
                    in_app=request.form.get(f"inbox-{key}") == "on",
                    email=mode,
                    now=moment,
                )
            language = request.form.get("language", "")
            if language in SUPPORTED and language != current_user.locale:
                current_user.locale = language
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("notifications.preferences"))
    return render_template(
        "notifications/preferences.html",
        choices=services.preferences(current_user),
        events=rules.EVENTS,
        modes=list(EmailMode),
    )


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # a mail client's one-click POST carries the signed token, not a form token
def unsubscribe(token: str) -> str | Response:
    """The link in every email: GET asks to confirm, POST (a button or a mail client's
    one-click, RFC 8058) turns that email off. No sign-in: the token is signed."""
    found = mail.read_unsubscribe_token(token)
    if found is None:
        abort(404)
    user_id, event = found
    if event not in rules.EVENTS:
        abort(404)
    label = rules.EVENTS[event].label
    if request.method == "POST":
        with unit_of_work():
            user = services.unsubscribe(user_id, event, now=now())
        if user is None:
            abort(404)
        return render_template("notifications/unsubscribe.html", done=True, label=label)
    return render_template("notifications/unsubscribe.html", done=False, label=label, token=token)


# --- watching ------------------------------------------------------------------------------


@bp.app_template_global()
def watching(object_type: str, object_id: int) -> bool:
    """Whether the signed-in reader watches the object (for the Watch button)."""
    return watches.is_watching(current_user, object_type, object_id)


def _back(default: str) -> str:
    target = request.form.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


@bp.post("/watch")
@login_required
def watch() -> Response:
    """Watch or stop watching a listing, an auction, a need or a broker, then go back to it."""
    object_type = request.form.get("object_type", "")
    object_id = form_id("object_id")
    if request.form.get("action") == "unwatch":
        attempt(
            lambda: watches.unwatch(current_user, object_type, object_id),
            success=_("You no longer watch this."),
        )
    else:
        attempt(
            lambda: watches.watch(current_user, object_type, object_id, now=now()),
            success=_("Watching: its changes will reach your inbox."),
        )
    return redirect(_back(url_for("notifications.watching_page")))


@bp.route("/inbox/watching")
@login_required
def watching_page() -> str:
    """What I watch, with a way to stop."""
    items = watches.watched_by(current_user)
    return render_template(
        "notifications/watching.html",
        items=[(w, watches.PAGES[w.object_type].format(w.object_id)) for w in items],
    )
