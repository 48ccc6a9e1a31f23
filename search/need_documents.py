"""Open technology needs (技术需求) as search documents (NeedDocument, each backend's `needs`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from core.clock import as_utc
from listings.models import TechNeed
from listings.need_rules import NeedStatus
from listings.rules import ipc_section, price_band
from search.backend import NeedDocument
from search.documents import (
    ANALYSED,
    COMMON_SORTS,
    KEYWORD,
    STORED,
    DocumentKind,
    ElasticsearchSpec,
    EmbeddedSpec,
    FacetTable,
    common_source,
    strict_mappings,
)
from search.needs import NEED_FACETS, NEED_SORTS, RELATED_MAX_DOC_SHARE
from search.text.clauses import Clause, clause_words
from search.text.highlighting import highlight
from search.text.tokens import analyse


def need_document(need: TechNeed) -> NeedDocument:
    """What the index holds of a need: searchable text, facet values, sort keys."""
    ipc = tuple(need.ipc_classes or ())
    org = need.organisation
    return NeedDocument(
        id=need.id,
        title=need.title,
        problem=need.problem,
        ipc_classes=ipc,
        enterprise=" ".join(n for n in (org.name, org.name_en) if n) if org else "",
        field=need.field,
        ipc_section=ipc_section(list(ipc)),
        transfer_modes=tuple(sorted(set(need.transfer_modes or ()))),
        region=need.region,
        budget_band=price_band(need.budget_max_minor or need.budget_min_minor),
        budget_max_minor=need.budget_max_minor or need.budget_min_minor,
        deadline=need.deadline,
        published_at=as_utc(need.created_at),
        organisation_id=need.organisation_id,
        keywords=tuple(need.keywords or ()),
    )


SNIPPET_CHARS = 160


def highlights_for(
    texts: Mapping[str, str], clauses: Sequence[Clause | str], typos: Sequence[str] = ()
) -> dict[str, str]:
    """The title and a snippet of the problem, every query word marked (translations too)."""
    words = clause_words(clauses) + list(typos)
    return {
        "title": highlight(texts.get("title", ""), words),
        "problem": highlight(texts.get("problem", ""), words, SNIPPET_CHARS),
    }


# -- on Elasticsearch: own versioned index behind `<listings alias>-needs` ---------------------

NEED_MAPPINGS = strict_mappings(
    {
        "title": ANALYSED,
        "problem": ANALYSED,
        "extra": ANALYSED,
        "title_text": STORED,
        "problem_text": STORED,
        "budget_band": KEYWORD,
        "budget_max_minor": {"type": "long"},
        "deadline": {"type": "date"},
    }
)


def need_source(doc: NeedDocument) -> dict[str, Any]:
    """The indexed form of a need: analysed tokens, facet keywords, sort keys, originals."""
    return {
        **common_source(doc),
        "title": analyse(f"{doc.title}\n{' '.join(doc.keywords)}"),
        "problem": analyse(doc.problem),
        "extra": analyse(f"{' '.join(doc.ipc_classes)}\n{doc.enterprise}"),
        "title_text": doc.title,
        "problem_text": doc.problem,
        "budget_band": doc.budget_band,
        "budget_max_minor": doc.budget_max_minor,
        "deadline": doc.deadline.isoformat() if doc.deadline else None,
    }


ELASTICSEARCH = ElasticsearchSpec(
    alias_suffix="-needs",
    mappings=NEED_MAPPINGS,
    to_source=need_source,
    field_weights={"title": 10.0, "problem": 3.0, "extra": 1.0},
    related_fields=("title", "problem", "extra"),
    facets=NEED_FACETS,
    sorts={
        **COMMON_SORTS,
        "deadline": [{"deadline": {"order": "asc", "missing": "_last"}}, {"id": "desc"}],
        "budget_desc": [
            {"budget_max_minor": {"order": "desc", "missing": "_last"}},
            {"id": "desc"},
        ],
    },
    stored={"title": "title_text", "problem": "problem_text"},
    highlights=highlights_for,
)


# -- in the embedded index: need_docs, need_fts and need_facets beside the listings' tables -------

_NO_DEADLINE = 99_999_999  # needs without a deadline sort after every date


def _day_number(day: date | None) -> int:
    return _NO_DEADLINE if day is None else day.year * 10_000 + day.month * 100 + day.day


def docs_row(doc: NeedDocument) -> tuple[object, ...]:
    """A need's `need_docs` row: title and problem, sort keys."""
    return (
        int(doc.id),
        doc.title,
        doc.problem,
        -1 if doc.budget_max_minor is None else int(doc.budget_max_minor),
        _day_number(doc.deadline),
        as_utc(doc.published_at).timestamp(),
    )


def fts_texts(doc: NeedDocument) -> tuple[str, ...]:
    """The text of need_fts(title, problem, extra), before segmentation."""
    return (
        f"{doc.title}\n{' '.join(doc.keywords)}",
        doc.problem,
        f"{' '.join(doc.ipc_classes)}\n{doc.enterprise}",
    )


def facet_values(doc: NeedDocument) -> Iterator[tuple[str, str]]:
    """(facet, value) pairs of a need (one per transfer mode)."""
    yield "field", doc.field
    if doc.ipc_section:
        yield "ipc_section", doc.ipc_section
    for mode in dict.fromkeys(doc.transfer_modes):
        yield "transfer_mode", mode
    yield "region", doc.region
    yield "budget_band", doc.budget_band


EMBEDDED = EmbeddedSpec(
    prefix="need_",
    docs_columns=(
        "title TEXT NOT NULL",
        "problem TEXT NOT NULL",
        "budget_sort INTEGER NOT NULL",
        "deadline_sort INTEGER NOT NULL",
        "published_at REAL NOT NULL",
    ),
    docs_row=docs_row,
    fts_columns={"title": 10.0, "problem": 3.0, "extra": 1.0},
    fts_texts=fts_texts,
    facets=NEED_FACETS,
    facets_in=FacetTable("need_facets", facet_values),
    order_by={
        "newest": "published_at DESC, id DESC",
        "deadline": "deadline_sort ASC, id DESC",
        "budget_desc": "budget_sort DESC, id DESC",
    },
    texts=("title", "problem"),
    highlights=highlights_for,
    related_max_share=RELATED_MAX_DOC_SHARE,
)


# -- the kind ----------------------------------------------------------------------------------

NEEDS = DocumentKind(
    name="needs",
    label="technology needs",
    searchable_label="open technology needs",  # only open needs appear in search (and matching)
    topic="search.need",
    model=TechNeed,
    facets=NEED_FACETS,
    sorts=NEED_SORTS,
    searchable_status=NeedStatus.OPEN,
    to_document=need_document,
    index_of=lambda backend: backend.needs,
    preload=("organisation",),
    elasticsearch=ELASTICSEARCH,
    embedded=EMBEDDED,
)
