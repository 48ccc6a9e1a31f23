"""The alert index: every saved search, in memory in each process that matches new listings.

Matching a new listing reads nothing but the tokens it carries (`ListingTerms.lookup_keys`):
`postings` files each saved search under its key (`alert_rules.requirement`), grouped by
what else it requires, so a listing costs one dictionary look-up per token, one subset
test per group under those keys, and a list extension per matching group. Searches
that require the same thing (锂离子 in the energy field) are tested once, together.

Freshness, on every backend and with any number of workers: each change to a saved
search (`record_change`, in the transaction of the change) numbers itself in the one
`saved_search_generation` row, whose lock (PostgreSQL) or the write lock (SQLite)
makes changes commit in the order of their numbers, and logs the search's id under
that number in `saved_search_changes`. Before matching, the index reads the row
(one primary-key read): unchanged, it matches at once; ahead, it re-reads the
searches logged since the number it has seen. A number it has seen that was rolled
back (and perhaps reused by another change: the random token differs) or a log it
cannot follow makes it reload everything, so it never keeps what was undone.
"""

from __future__ import annotations

import secrets
import sys
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session, scoped_session

from core.extensions import db
from search.alert_rules import requirement
from search.models import SavedSearch, SavedSearchChange, SavedSearchGeneration

STATE_ID = 1
RELOAD_OVER = 20_000  # changes to re-read one by one; beyond, a reload is cheaper
CHUNK = 5_000


def _searches() -> Select[int, int, str, str, str, dict[str, Any]]:
    """The columns of saved searches the index files (the rows `add_all` takes)."""
    return select(
        SavedSearch.id,
        SavedSearch.user_id,
        SavedSearch.name,
        SavedSearch.frequency,
        SavedSearch.terms,
        SavedSearch.filters,
    )


@dataclass(frozen=True, slots=True)
class Match:
    """A saved search a listing matches: who saved it, its name and how often to tell."""

    saved_search_id: int
    user_id: int
    name: str
    frequency: str


GroupKey = tuple[frozenset[str], tuple[frozenset[str], ...]]  # required rest, any-of groups
Group = dict[int, Match]
_T = TypeVar("_T")
_BY_ID = attrgetter("saved_search_id")


def record_change(session: Session | scoped_session[Any], saved_search_id: int) -> None:
    """Log a change to a saved search for the alert indexes (in the change's transaction)."""
    token = secrets.token_hex(16)
    generation = session.execute(
        update(SavedSearchGeneration)
        .where(SavedSearchGeneration.id == STATE_ID)
        .values(generation=SavedSearchGeneration.generation + 1, token=token)
        .returning(SavedSearchGeneration.generation)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    session.add(
        SavedSearchChange(generation=generation, saved_search_id=saved_search_id, token=token)
    )
    session.flush()


class AlertIndex:
    """The saved searches of one database, filed by key and grouped by what else they need."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._postings: dict[str, dict[GroupKey, Group]] = {}
        self._where: dict[int, tuple[str, GroupKey]] = {}
        self._shared: dict[Any, Any] = {}
        self._seen: tuple[int, str] | None = None

    def __len__(self) -> int:
        return len(self._where)

    def matching(self, session: Session | scoped_session[Any], tokens: set[str]) -> list[Match]:
        """The saved searches a listing carrying `tokens` matches, oldest first (fresh)."""
        with self._lock:
            self.refresh(session)
            return self.match(tokens)

    def match(self, tokens: set[str]) -> list[Match]:
        """The searches of the index a listing carrying `tokens` (its lookup keys) matches."""
        found: list[Match] = []
        for key in tokens:
            groups = self._postings.get(key)
            if groups is None:
                continue
            for (rest, any_of), group in groups.items():
                if rest <= tokens and all(not one.isdisjoint(tokens) for one in any_of):
                    found.extend(group.values())
        found.sort(key=_BY_ID)
        return found

    def refresh(self, session: Session | scoped_session[Any]) -> None:
        """Catch up with the database's saved searches (the caller holds the lock)."""
        state = session.execute(
            select(SavedSearchGeneration.generation, SavedSearchGeneration.token).where(
                SavedSearchGeneration.id == STATE_ID
            )
        ).one_or_none()
        current = (state.generation, state.token) if state else (0, "")
        if current == self._seen:
            return
        changed = self._changes_since_seen(session, current[0])
        if changed is None:
            self._reload(session)
        else:
            self._reread(session, changed)
        self._seen = current

    def _changes_since_seen(
        self, session: Session | scoped_session[Any], upto: int
    ) -> list[int] | None:
        """The searches changed since the generation seen, or None when it cannot be followed."""
        if self._seen is None or upto < self._seen[0]:
            return None
        generation, token = self._seen
        logged = session.scalar(
            select(SavedSearchChange.token).where(SavedSearchChange.generation == generation)
        )
        if logged != token or upto - generation > RELOAD_OVER:
            return None
        return list(
            session.scalars(
                select(SavedSearchChange.saved_search_id).where(
                    SavedSearchChange.generation > generation,
                    SavedSearchChange.generation <= upto,
                )
            )
        )

    def _reload(self, session: Session | scoped_session[Any]) -> None:
        self._postings.clear()
        self._where.clear()
        self._shared.clear()
        self.add_all(session.execute(_searches().execution_options(yield_per=CHUNK)))

    def _reread(self, session: Session | scoped_session[Any], changed: Sequence[int]) -> None:
        ids = sorted(set(changed))
        for saved_search_id in ids:
            self.remove(saved_search_id)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            self.add_all(session.execute(_searches().where(SavedSearch.id.in_(chunk))))

    def add_all(self, rows: Iterable[Any]) -> None:
        """File saved searches (rows of `_searches`), replacing those of the same id."""
        for row in rows:
            self.remove(row.id)
            self._add(row)

    def _add(self, row: Any) -> None:
        needed = requirement(row.terms.split(), row.filters or {})
        any_of = tuple(self._share(one) for one in needed.any_of) if needed.any_of else ()
        group_key = self._share((self._share(needed.rest), any_of))
        filed = self._share((needed.key, group_key))
        group = self._postings.setdefault(needed.key, {}).setdefault(group_key, {})
        group[row.id] = Match(row.id, row.user_id, row.name, sys.intern(row.frequency))
        self._where[row.id] = filed

    def remove(self, saved_search_id: int) -> None:
        filed = self._where.pop(saved_search_id, None)
        if filed is None:
            return
        key, group_key = filed
        groups = self._postings[key]
        del groups[group_key][saved_search_id]
        if not groups[group_key]:
            del groups[group_key]
            if not groups:
                del self._postings[key]

    def _share(self, value: _T) -> _T:
        """One object for equal values: thousands of searches need the same few tokens."""
        return self._shared.setdefault(value, value)


def alert_index() -> AlertIndex:
    """This process's index of the current app's saved searches."""
    extensions = current_app.extensions
    index = extensions.get("search.alert_index")
    if index is None:
        index = extensions.setdefault("search.alert_index", AlertIndex())
    return index


def matching(tokens: set[str]) -> list[Match]:
    """The saved searches a listing carrying `tokens` matches (see `AlertIndex.matching`)."""
    return alert_index().matching(db.session, tokens)
