"""Home, health, language switch and the API's browsable docs."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    current_app,
    jsonify,
    render_template,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import text
from werkzeug.wrappers import Response

from core import errors, page_cache, readiness
from core.breaker import breakers
from core.extensions import api, db
from core.i18n import SUPPORTED
from core.views_kit import back_to_referrer
from listings import services as listings

bp = Blueprint("main", __name__)


@bp.route("/")
@page_cache.for_visitors
def home() -> str:
    """The market's front page: figures, featured and latest results."""
    return render_template(
        "home.html",
        featured=listings.featured(4),
        latest=listings.latest_published(8),
        figures=_market_figures(),
    )


_FIGURES = "market.home_figures"  # app.extensions: (counted at, figures)


def _market_figures() -> dict[str, int]:
    """The home page's figures, counted again once HOME_FIGURES_SECONDS have passed."""
    ttl = current_app.config["HOME_FIGURES_SECONDS"]
    counted_at, figures = current_app.extensions.get(_FIGURES, (float("-inf"), {}))
    if time.monotonic() - counted_at >= ttl:
        figures = listings.market_figures()
        current_app.extensions[_FIGURES] = (time.monotonic(), figures)
    return figures


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    """Health of the database and the search backend (503 when a part fails), and the
    state of each dependency's circuit breaker (closed, open, half-open).

    "search" is "degraded" while the primary search backend (Elasticsearch) is
    unreachable and the embedded fallback answers: still healthy (200). "storage" is
    "unavailable" while the documents' bucket does not answer: still healthy (the
    market works without documents; every node shares the bucket, so restarting one
    would not help), documents answer 503 meanwhile.
    """
    from search.services import search_health

    body: dict[str, object] = {"status": "ok", "database": _database()}
    body.update(search_health())
    if body["database"] != "ok" or body["search"] == "error":
        body["status"] = "error"
    body["storage"] = "ok" if readiness.storage_state() == "ok" else "unavailable"
    body["breakers"] = breakers().states()
    return jsonify(body), 200 if body["status"] == "ok" else 503


@bp.route("/readyz")
def readyz() -> tuple[Response, int]:
    """Whether this worker can serve: database, search, job queue and file storage reachable
    (503 when one fails; search served by its fallback is ready), with the breakers' states."""
    from search.services import search_health

    search = search_health()["search"]
    checks = {
        "database": _database(),
        "search": search,
        "queue": readiness.queue_state(),
        "storage": readiness.storage_state(),
    }
    ready = all(value in ("ok", "degraded") for value in checks.values())
    body = {"status": "ok" if ready else "error", **checks, "breakers": breakers().states()}
    return jsonify(body), 200 if ready else 503


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure means "not ready"; the log has the details
        current_app.logger.exception("health check: database")
        return "error"
    return "ok"


@bp.route("/lang/<code>")
def switch_language(code: str) -> Response:
    """Remember the reader's language and go back to where they were."""
    if code in SUPPORTED:
        session["lang"] = code
    return back_to_referrer(url_for("main.home"))


@bp.route("/api/v1/docs")
def api_docs() -> str:
    """The OpenAPI document rendered as a page (no CDN-hosted viewer)."""
    spec = api.spec
    assert spec is not None, "the API is set up with the app"
    return render_template(
        "api_docs.html",
        spec=spec.to_dict(),
        user=current_user,
        error_codes=errors.error_code_table(),
        domain_codes=errors.domain_codes(),
    )
