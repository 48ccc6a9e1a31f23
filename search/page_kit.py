"""What the search pages of listings and of needs share: reading the query string, the
links that change it, and the facet sidebar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import request, url_for

from search.backend import SearchQuery, SearchResult

R = TypeVar("R")

_SAFE = "!$'()*,/:;?@"  # what url_for leaves unquoted in a query string, so links look alike
FacetCounts = Callable[[str, dict[str, int]], list[tuple[str, int]]]


def _as_counted(facet: str, counts: dict[str, int]) -> list[tuple[str, int]]:
    return list(counts.items())  # most documents first, as the backend counts them


def _page_arg() -> int:
    try:
        return int(request.args.get("page", "1"))
    except ValueError:
        return 1


@dataclass(frozen=True)
class SearchPage:
    """A search page: its endpoint, its facets, their titles, value labels and value order."""

    endpoint: str
    facets: tuple[str, ...]
    title: Callable[[str], str]
    label: Callable[[str, str], str]
    ordered: FacetCounts = _as_counted

    def read_query(
        self, make_query: Callable[..., SearchQuery], per_page: int
    ) -> tuple[SearchQuery, dict[str, list[str]]]:
        """The query the query string asks for, and the string's non-empty values by name."""
        args = {key: [v for v in request.args.getlist(key) if v] for key in request.args}
        query = make_query(
            text=request.args.get("q", ""),
            filters={facet: args.get(facet, []) for facet in self.facets},
            sort=request.args.get("sort", "relevance"),
            page=_page_arg(),
            per_page=per_page,
        )
        return query, args

    def run(
        self,
        make_query: Callable[..., SearchQuery],
        search: Callable[[SearchQuery], R],
        per_page: int,
    ) -> tuple[SearchQuery, dict[str, list[str]], R]:
        """The query the query string asks for, its non-empty values, and what `search` found."""
        query, args = self.read_query(make_query, per_page)
        return query, args, search(query)

    def url(self, args: dict[str, list[str]], **changes: Any) -> str:
        """This page with `args` changed (a None value removes the argument)."""
        merged = {key: list(values) for key, values in args.items()}
        for key, value in changes.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value if isinstance(value, list) else [str(value)]
        params: dict[str, Any] = {k: v for k, v in merged.items() if v}
        return url_for(self.endpoint, **params)

    def sidebar(self, result: SearchResult, args: dict[str, list[str]]) -> list[dict[str, Any]]:
        """Facets as the templates draw them: title, and values with count, tick and toggle link.

        The rest of the query is encoded once per facet, not once per value: each link
        costs only its own facet's values (a page of many values stays linear).
        """
        sidebar = []
        for facet in self.facets:
            counts = dict(result.facets.get(facet, {}))
            chosen = args.get(facet, [])
            for value in chosen:  # a ticked value stays visible to be unticked, even at 0
                counts.setdefault(value, 0)
            ticked_values = set(chosen)
            toggle = self._toggle_url(args, facet)
            values = []
            for value, count in self.ordered(facet, counts):
                ticked = value in ticked_values
                toggled = [v for v in chosen if v != value] if ticked else [*chosen, value]
                values.append(
                    {
                        "value": value,
                        "label": self.label(facet, value),
                        "count": count,
                        "checked": ticked,
                        "url": toggle(toggled),
                    }
                )
            if values:
                sidebar.append({"name": facet, "title": self.title(facet), "values": values})
        return sidebar

    def _toggle_url(self, args: dict[str, list[str]], facet: str) -> Callable[[list[str]], str]:
        """This page on its first page with `facet`'s values replaced: the rest built once."""
        base = self.url(args, **{facet: None, "page": None})
        joiner = "&" if "?" in base else "?"

        def toggle(values: list[str]) -> str:
            return (
                f"{base}{joiner}{urlencode([(facet, v) for v in values], safe=_SAFE)}"
                if values
                else base
            )

        return toggle

    def links(
        self, query: SearchQuery, result: SearchResult, args: dict[str, list[str]]
    ) -> dict[str, Any]:
        """What the page draws around its results: the facet sidebar, the links that clear
        the filters or turn the page, and the number of the last page."""
        return {
            "sidebar": self.sidebar(result, args),
            "has_filters": bool(query.filters),
            "clear_url": self.url(args, **{facet: None for facet in self.facets}, page=None),
            "page_url": lambda number: self.url(args, page=number),
            "last_page": max(1, -(-result.total // query.per_page)),
        }
