"""The search page of technology needs (`/needs`, endpoint `needs.index`): text, facets, sort.

It is a route of the needs blueprint (`listings.need_views.bp`) that search contributes,
since listings sit below search and must not import it.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from core import page_cache
from listings import needs
from listings.need_views import bp
from listings.rules import NEGOTIABLE
from search.needs import NEED_FACETS, NEED_SORTS
from search.page_kit import SearchPage
from search.services import make_need_query, needs_for, run_need_search
from search.views import facet_title, sort_label, value_label

PER_PAGE = 20


def need_facet_title(facet: str) -> str:
    """The sidebar heading of a need facet: the budget, or as the listing search heads it."""
    return _("Budget") if facet == "budget_band" else facet_title(facet)


def need_facet_label(facet: str, value: str) -> str:
    """A need facet value as readers know it: the budget in the listing search's price
    bands (an open one is the needs' own), the rest as the listing search words them."""
    if facet == "budget_band":
        return _("Budget open") if value == NEGOTIABLE else value_label("price_band", value)
    return value_label(facet, value)


def need_sort_label(sort: str) -> str:
    """A sort order of needs, for the select box (relevance and newest as for listings)."""
    own = {"deadline": _("Deadline soonest"), "budget_desc": _("Largest budget")}
    return own.get(sort) or sort_label(sort)


PAGE = SearchPage("needs.index", NEED_FACETS, need_facet_title, need_facet_label)


@bp.get("/needs")
@page_cache.for_visitors
def index() -> str:
    """Open technology needs: text, facet filters, sort and page from the query string."""
    query, args, outcome = PAGE.run(make_need_query, run_need_search, PER_PAGE)
    result = outcome.result
    by_id = needs_for(result.hits)
    cards = [
        {"need": by_id[hit.id], "title": hit.highlights.get("title", ""),
         "problem": hit.highlights.get("problem", "")}
        for hit in result.hits
        if hit.id in by_id
    ]  # fmt: skip
    links = PAGE.links(query, result, args)
    return render_template(
        "needs/index.html",
        query=query,
        result=result,
        cards=cards,
        sorts=[(sort, need_sort_label(sort)) for sort in NEED_SORTS],
        degraded=outcome.degraded,
        may_post=needs.may_post(current_user),
        **links,
    )
