"""Saved searches and their alerts: each newly published listing is matched once.

A user saves a search (words and facets) from the search page with how often to
hear of new results: at once, in the daily digest, or in the inbox only. When a
listing is published, the alerts job (`search.jobs`) matches it against the alert
index (`search.alert_index`): every saved search, in the job process's memory,
filed by key and kept fresh by a change log, so the cost grows with the listing's
tokens and the searches it matches, not with the number of saved searches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import func, select

from accounts.models import User
from core import audit
from core.domain import N_, NotFound, ValidationFailed
from core.extensions import db
from core.row_lists import all_of
from listings.models import Listing
from listings.rules import ListingStatus
from notifications.rules import EmailMode
from notifications.services import notify
from search.alert_index import Match, matching, record_change
from search.alert_rules import ListingTerms, words_of
from search.backend import FACETS, SearchDocument
from search.listing_documents import document_for
from search.models import SavedSearch
from search.services import make_query
from search.text.tokens import analyse

FREQUENCIES: Mapping[str, EmailMode] = {
    "instant": EmailMode.INSTANT,
    "daily": EmailMode.DAILY,
    "weekly": EmailMode.WEEKLY,
    "off": EmailMode.OFF,  # the inbox only
}
MAX_SAVED_PER_USER = 50
NAME_CHARS = 120


def save_search(
    user: User,
    *,
    name: str,
    text: str,
    filters: Mapping[str, Sequence[str]],
    frequency: str,
    now: datetime,
) -> SavedSearch:
    """Save a search for alerts (flushes; audited)."""
    if frequency not in FREQUENCIES:
        raise ValidationFailed(N_("Choose how often to be told."), field="frequency")
    query = make_query(text=text, filters=dict(filters))
    count = db.session.scalar(select(func.count()).where(SavedSearch.user_id == user.id))
    if (count or 0) >= MAX_SAVED_PER_USER:
        raise ValidationFailed(
            N_("You have %(count)s saved searches, the most there may be: delete one first."),
            field="name",
            count=MAX_SAVED_PER_USER,
        )
    label = " ".join(name.split())[:NAME_CHARS] or query.text or "—"
    terms = analyse(query.text)[:1000]
    saved = SavedSearch(
        user_id=user.id,
        name=label,
        text=query.text,
        terms=terms,
        filters={facet: list(values) for facet, values in query.filters.items()},
        frequency=frequency,
        created_at=now,
    )
    db.session.add(saved)
    db.session.flush()
    record_change(db.session, saved.id)
    audit.record_change(
        "saved_search",
        saved.id,
        "create",
        user.id,
        now,
        after={
            "name": saved.name,
            "text": saved.text,
            "filters": saved.filters,
            "frequency": frequency,
        },
    )
    db.session.flush()
    return saved


def _own(user: User, saved_search_id: int) -> SavedSearch:
    saved = db.session.get(SavedSearch, saved_search_id)
    if saved is None or saved.user_id != user.id:
        raise NotFound(N_("No such saved search."))
    return saved


def set_frequency(
    user: User, saved_search_id: int, frequency: str, *, now: datetime
) -> SavedSearch:
    if frequency not in FREQUENCIES:
        raise ValidationFailed(N_("Choose how often to be told."), field="frequency")
    saved = _own(user, saved_search_id)
    before = {"frequency": saved.frequency}
    saved.frequency = frequency
    record_change(db.session, saved.id)
    audit.record_change(
        "saved_search",
        saved.id,
        "frequency",
        user.id,
        now,
        before=before,
        after={"frequency": frequency},
    )
    db.session.flush()
    return saved


def delete_search(user: User, saved_search_id: int, *, now: datetime) -> None:
    saved = _own(user, saved_search_id)
    record_change(db.session, saved.id)
    audit.record_change(
        "saved_search", saved.id, "delete", user.id, now, before={"name": saved.name}
    )
    db.session.delete(saved)
    db.session.flush()


def saved_searches_of(user: User) -> list[SavedSearch]:
    return all_of(
        select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.id.desc())
    )


def listing_terms(listing: Listing) -> ListingTerms:
    """A listing's words (analysed as the index analyses them) and facet values."""
    return document_terms(document_for(listing))


def document_terms(doc: SearchDocument) -> ListingTerms:
    """What a listing's search document offers to saved searches."""
    text = " ".join((doc.title_zh, doc.title_en, doc.summary_zh, doc.summary_en, doc.body))
    facets = {
        "field": {doc.field},
        "ipc_section": {doc.ipc_section} if doc.ipc_section else set(),
        "transfer_mode": set(doc.transfer_modes),
        "trl": {str(doc.trl)},
        "region": {doc.region},
        "price_band": {doc.price_band},
        "advancement": {doc.advancement} if doc.advancement else set(),
    }
    return ListingTerms(
        words=words_of(analyse(text)),
        facets={facet: frozenset(facets.get(facet, set())) for facet in FACETS},
    )


def matching_searches(terms: ListingTerms) -> list[Match]:
    """The saved searches the listing matches, oldest first."""
    return matching(terms.lookup_keys())


def alert_for_listing(listing_id: int, *, now: datetime) -> int:
    """Tell the owners of the saved searches a newly published listing matches; how many told.

    A user with several matching searches hears once, named after the oldest.
    """
    listing = db.session.get(Listing, listing_id)
    if listing is None or listing.status != ListingStatus.PUBLISHED:
        return 0
    told: set[int] = set()
    for saved in matching_searches(listing_terms(listing)):
        if saved.user_id in told:
            continue
        told.add(saved.user_id)
        notify(
            [saved.user_id],
            "search.alert",
            params={"name": saved.name, **listing.titles()},
            link=f"/listings/{listing.id}",
            now=now,
            email=FREQUENCIES[saved.frequency],
        )
    return len(told)
