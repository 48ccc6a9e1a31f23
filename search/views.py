"""The search page: a query box, facets with counts, sorts, result cards and pages."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from core import page_cache
from core.clock import as_utc, now
from core.forms import attempt
from core.i18n import current_locale
from core.money import Money, format_money
from core.regions import region_label
from core.views_kit import form_id
from listings.evaluation_rules import Advancement
from listings.labels import facet_label, field_label
from listings.rules import NEGOTIABLE, PRICE_BANDS
from search import alerts
from search.backend import FACETS, SORTS
from search.page_kit import SearchPage
from search.services import listings_for, make_query, pick_highlight, run_search, suggest

bp = Blueprint("search", __name__)


PER_PAGE = 20
MAX_VALUES = 20  # values of one facet a saved search keeps


def facet_title(facet: str) -> str:
    """The sidebar heading of a facet."""
    titles = {
        "field": _("Technology field"),
        "ipc_section": _("Patent class (IPC)"),
        "transfer_mode": _("Transfer mode"),
        "trl": _("Maturity (TRL)"),
        "region": _("Region"),
        "price_band": _("Asking price"),
        "advancement": _("Evaluated advancement"),
    }
    return titles.get(facet, facet)


def value_label(facet: str, value: str) -> str:
    """A facet value as readers know it: a region in the reader's language, the rest in the
    market's words (`listings.labels`: IPC sections, maturity, price bands, fields...)."""
    if facet == "region":
        return region_label(value, current_locale())
    return facet_label(facet, value)


def price_label(asking_price_minor: int | None, currency: str = "CNY") -> str:
    """An asking price in the reader's format, or 'Negotiable'."""
    if asking_price_minor is None:
        return _("Negotiable")
    return format_money(Money(asking_price_minor, currency or "CNY"), current_locale())


# Display order of values where counts should not reorder them.
_BAND_ORDER = (*(band for band, _ in PRICE_BANDS), NEGOTIABLE)


def _ordered(facet: str, counts: dict[str, int]) -> list[tuple[str, int]]:
    if facet == "trl":
        return sorted(counts.items(), key=lambda kv: -int(kv[0]) if kv[0].isdigit() else 0)
    if facet == "price_band":
        rank = {band: i for i, band in enumerate(_BAND_ORDER)}
        return sorted(counts.items(), key=lambda kv: rank.get(kv[0], len(rank)))
    if facet == "ipc_section":
        return sorted(counts.items())
    if facet == "advancement":  # highest grade first
        grades = {grade.value: i for i, grade in enumerate(Advancement)}
        return sorted(counts.items(), key=lambda kv: grades.get(kv[0], len(grades)))
    return list(counts.items())  # most listings first, as the backend counts them


def sort_label(sort: str) -> str:
    """A sort order's name in the select box."""
    labels = {
        "relevance": _("Best match"),
        "newest": _("Newest"),
        "price_asc": _("Price: low to high"),
        "price_desc": _("Price: high to low"),
        "trl_desc": _("Most mature first"),
    }
    return labels.get(sort, sort)


PAGE = SearchPage("search.search", FACETS, facet_title, value_label, _ordered)


def _pages(page: int, last: int) -> list[int | None]:
    """Page numbers to show: first, last and the neighbourhood of the current (None = gap)."""
    wanted = {1, last, *range(max(1, page - 2), min(last, page + 2) + 1)}
    shown: list[int | None] = []
    for number in sorted(wanted):
        if shown and number - (shown[-1] or 0) > 1:
            shown.append(None)
        shown.append(number)
    return shown


@bp.get("/search")
@page_cache.for_visitors
def search() -> str:
    """Search published listings: text, facet filters, sort and page from the query string."""
    query, args, outcome = PAGE.run(make_query, run_search, PER_PAGE)
    result = outcome.result
    listings = listings_for(result.hits)
    locale = current_locale()
    cards = [
        {
            "listing": listings[hit.id],
            "title": pick_highlight(hit, "title", locale),
            "summary": pick_highlight(hit, "summary", locale),
            "field": field_label(listings[hit.id].field),
            "price": price_label(listings[hit.id].asking_price_minor, listings[hit.id].currency),
        }
        for hit in result.hits
        if hit.id in listings
    ]
    links = PAGE.links(query, result, args)
    return render_template(
        "search/index.html",
        query=query,
        result=result,
        cards=cards,
        sorts=[(sort, sort_label(sort)) for sort in SORTS],
        browse_url=url_for("search.search"),
        pages=_pages(min(query.page, links["last_page"]), links["last_page"]),
        locale=locale,
        degraded=outcome.degraded,
        feed_url=url_for("search.feed", **args_of_request()),
        **links,
    )


def args_of_request() -> dict[str, Any]:
    """The query string as url_for takes it (repeated parameters kept)."""
    return request.args.to_dict(flat=False)


def _suggestions() -> Response:
    try:
        limit = int(request.args.get("limit", "8"))
    except ValueError:
        limit = 8
    response = jsonify({"suggestions": suggest(request.args.get("q", ""), limit)})
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


@bp.get("/search/suggest")
def suggestions() -> Response:
    """Titles completing what is typed in a search box: {"suggestions": [...]} (at most 10)."""
    return _suggestions()


@bp.get("/api/v1/search/suggest")
def api_suggestions() -> Response:
    """The same for API clients: GET /api/v1/search/suggest?q=锂电&limit=8."""
    return _suggestions()


# --- saved searches ------------------------------------------------------------------------


@bp.post("/search/save")
@login_required
def save_search() -> Response:
    """Save the search on the page: new results are told as the user chose."""
    filters = {facet: request.form.getlist(facet)[:MAX_VALUES] for facet in FACETS}
    text = request.form.get("q", "")
    values: dict[str, Any] = {facet: chosen for facet, chosen in filters.items() if chosen}
    back = url_for("search.search", q=text or None, **values)
    attempt(
        lambda: alerts.save_search(
            current_user,
            name=request.form.get("name", ""),
            text=text,
            filters=filters,
            frequency=request.form.get("frequency", ""),
            now=now(),
        ),
        success=_("Search saved: we will tell you of new results."),
    )
    return redirect(back)


@bp.route("/searches", methods=["GET", "POST"])
@login_required
def saved() -> str | Response:
    """My saved searches: how often each tells me, and delete."""
    if request.method == "POST":
        search_id = form_id("id")
        if request.form.get("action") == "delete":
            attempt(
                lambda: alerts.delete_search(current_user, search_id, now=now()),
                success=_("Saved search deleted."),
            )
        else:
            frequency = request.form.get("frequency", "")
            attempt(
                lambda: alerts.set_frequency(current_user, search_id, frequency, now=now()),
                success=_("Saved."),
            )
        return redirect(url_for("search.saved"))
    return render_template(
        "search/saved.html",
        searches=alerts.saved_searches_of(current_user),
        facet_labels={facet: facet_title(facet) for facet in FACETS},
        value_label=value_label,
    )


# --- feeds ---------------------------------------------------------------------------------

FEED_ENTRIES = 50


@bp.get("/search/feed.atom")
def feed() -> Response:
    """The newest published results of any search, as an Atom feed (e.g. a field's new listings)."""
    args = {key: [v for v in request.args.getlist(key) if v] for key in request.args}
    query = make_query(
        text=request.args.get("q", ""),
        filters={facet: args.get(facet, [])[:MAX_VALUES] for facet in FACETS},
        sort="newest",
        per_page=FEED_ENTRIES,
    )
    hits = run_search(replace(query, with_facets=False)).result.hits
    listings = listings_for(hits)
    entries = [listings[hit.id] for hit in hits if hit.id in listings]
    locale = current_locale()
    body = render_template(
        "search/feed.atom",
        entries=entries,
        locale=locale,
        title=query.text or _("New results on the technology market"),
        self_url=request.url,
        page_url=url_for("search.search", _external=True, **args_of_request()),
        updated=max((as_utc(e.published_at) for e in entries if e.published_at), default=now()),
    )
    return Response(body, mimetype="application/atom+xml")
