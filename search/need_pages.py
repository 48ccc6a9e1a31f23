"""The search page of technology needs (`/needs`, endpoint `needs.index`): text, facets, sort.

It is a route of the needs blueprint (`listings.need_views.bp`) that search contributes,
since listings sit below search and must not import it.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from listings import needs
from listings.labels import facet_label
from listings.need_views import bp
from search.needs import NEED_FACETS, NEED_SORTS
from search.services import make_need_query, needs_for, run_need_search

PER_PAGE = 20


def need_facet_title(facet: str) -> str:
    """The sidebar heading of a need facet."""
    return {
        "field": _("Technology field"),
        "ipc_section": _("Patent class (IPC)"),
        "transfer_mode": _("Transfer mode"),
        "region": _("Region"),
        "budget_band": _("Budget"),
    }.get(facet, facet)


def need_facet_label(facet: str, value: str) -> str:
    """A need facet value as readers know it."""
    if facet == "budget_band":
        return _("Budget open") if value == "negotiable" else facet_label("price_band", value)
    return facet_label(facet, value)


def need_sort_label(sort: str) -> str:
    """A sort order of needs, for the select box."""
    return {
        "relevance": _("Best match"),
        "newest": _("Newest"),
        "deadline": _("Deadline soonest"),
        "budget_desc": _("Largest budget"),
    }.get(sort, sort)


def _url(args: dict[str, list[str]], **changes: Any) -> str:
    merged = {key: list(values) for key, values in args.items()}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value if isinstance(value, list) else [str(value)]
    query: dict[str, Any] = {k: v for k, v in merged.items() if v}
    return url_for("needs.index", **query)


@bp.get("/needs")
def index() -> str:
    """Open technology needs: text, facet filters, sort and page from the query string."""
    args = {key: [v for v in request.args.getlist(key) if v] for key in request.args}
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        page = 1
    query = make_need_query(
        text=request.args.get("q", ""),
        filters={facet: args.get(facet, []) for facet in NEED_FACETS},
        sort=request.args.get("sort", "relevance"),
        page=page,
        per_page=PER_PAGE,
    )
    outcome = run_need_search(query)
    result = outcome.result
    by_id = needs_for(result.hits)
    cards = [
        {"need": by_id[hit.id], "title": hit.highlights.get("title", ""),
         "problem": hit.highlights.get("problem", "")}
        for hit in result.hits
        if hit.id in by_id
    ]  # fmt: skip
    sidebar = []
    for facet in NEED_FACETS:
        counts = dict(result.facets.get(facet, {}))
        chosen = args.get(facet, [])
        for value in chosen:
            counts.setdefault(value, 0)
        values = []
        for value, count in counts.items():
            ticked = value in chosen
            toggled = [v for v in chosen if v != value] if ticked else [*chosen, value]
            values.append(
                {
                    "label": need_facet_label(facet, value),
                    "count": count,
                    "checked": ticked,
                    "url": _url(args, **{facet: toggled or None, "page": None}),
                }
            )
        if values:
            sidebar.append({"title": need_facet_title(facet), "values": values})
    last_page = max(1, -(-result.total // query.per_page))
    return render_template(
        "needs/index.html",
        query=query,
        result=result,
        cards=cards,
        sidebar=sidebar,
        sorts=[(sort, need_sort_label(sort)) for sort in NEED_SORTS],
        has_filters=bool(query.filters),
        clear_url=_url(args, **{facet: None for facet in NEED_FACETS}, page=None),
        page_url=lambda number: _url(args, page=number),
        last_page=last_page,
        degraded=outcome.degraded,
        may_post=needs.may_post(current_user),
    )
