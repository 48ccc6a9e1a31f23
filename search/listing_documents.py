"""Published listings as search documents (SearchDocument, the backend's main index)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from core.clock import as_utc
from listings.models import Listing
from listings.rules import DETAILS, ListingStatus, ipc_section, price_band
from search.backend import FACETS, SORTS, SearchDocument
from search.documents import (
    ANALYSED,
    COMMON_SORTS,
    KEYWORD,
    STORED,
    DocumentKind,
    ElasticsearchSpec,
    EmbeddedSpec,
    FacetColumns,
    SideTable,
    common_source,
    strict_mappings,
)
from search.text.cedict import chinese_bridge, english_bridge
from search.text.clauses import Clause, clause_words
from search.text.highlighting import highlight, marks_nothing
from search.text.pinyin import pinyin_tokens
from search.text.spelling import vocabulary_words
from search.text.suggestions import suggestion_keys, suggestion_weight
from search.text.tokens import analyse


def document_for(listing: Listing) -> SearchDocument:
    """What the index holds of a listing: searchable text, facet values, sort keys."""
    assets = " ".join(
        part for asset in listing.ip_assets for part in (asset.number, asset.title or "") if part
    )
    details = [getattr(listing, f"{name}{suffix}") for name in DETAILS for suffix in ("", "_en")]
    body = "\n".join(part for part in (*details, assets) if part)
    ipc_classes = tuple(listing.ipc_classes or ())
    published = listing.published_at or listing.updated_at or listing.created_at
    return SearchDocument(
        id=listing.id,
        title_zh=listing.title_zh or "",
        title_en=listing.title_en or "",
        summary_zh=listing.summary_zh or "",
        summary_en=listing.summary_en or "",
        body=body,
        ipc_classes=ipc_classes,
        inventors=tuple(listing.inventors or ()),
        holder=listing.holder,
        field=listing.field,
        ipc_section=ipc_section(list(ipc_classes)),
        transfer_modes=tuple(sorted(set(listing.transfer_modes or ()))),
        trl=listing.trl,
        region=listing.region,
        price_band=price_band(listing.asking_price_minor),
        asking_price_minor=listing.asking_price_minor,
        published_at=as_utc(published),
        organisation_id=listing.organisation_id,
        keywords=tuple(listing.keywords or ()),
        advancement=listing.evaluations[-1].advancement.value if listing.evaluations else "",
    )


SUMMARY_CHARS = 160
_EPOCH_2000 = datetime(2000, 1, 1, tzinfo=UTC)


def _bridge(doc: SearchDocument) -> str:
    """English glosses of the Chinese title and summary a listing gives in no English,
    and of its keywords (as a listing's title, they hold no English of their own); the
    Chinese words of an English title and summary a listing gives in no Chinese."""
    zh = [
        text
        for text, english in ((doc.title_zh, doc.title_en), (doc.summary_zh, doc.summary_en))
        if text and not english
    ] + list(doc.keywords)
    en = [
        text
        for text, chinese in ((doc.title_en, doc.title_zh), (doc.summary_en, doc.summary_zh))
        if text and not chinese
    ]
    return " ".join(
        (english_bridge("\n".join(zh)) if zh else "", chinese_bridge("\n".join(en)) if en else "")
    )


def _body_text(doc: SearchDocument) -> str:
    """The low-weight text: details, IPC classes, pinyin of the title, the English bridge."""
    return (
        f"{doc.body or ''}\n{' '.join(doc.ipc_classes)}\n{pinyin_tokens(doc.title_zh)}"
        f"\n{_bridge(doc)}"
    )


def _best(zh: str, en: str) -> str:
    """The snippet that shows a match, Chinese first; else whichever is not empty."""
    if "<mark>" in zh or ("<mark>" not in en and zh):
        return zh
    return en


def highlights_for(
    texts: Mapping[str, str], clauses: Sequence[Clause | str], typos: Sequence[str] = ()
) -> dict[str, str]:
    """Snippets of titles and summaries in both languages, and the best of each ('title').

    The words as typed (and `typos`, words that matched only with typos) are
    marked; translations only in a listing where nothing else is.
    """
    typed = clause_words(clauses, translated=False) + list(typos)
    every = clause_words(clauses) + list(typos)
    for marked in (typed, every):
        result = {
            "title_zh": highlight(texts.get("title_zh", ""), marked),
            "title_en": highlight(texts.get("title_en", ""), marked),
            "summary_zh": highlight(texts.get("summary_zh", ""), marked, SUMMARY_CHARS),
            "summary_en": highlight(texts.get("summary_en", ""), marked, SUMMARY_CHARS),
        }
        if len(every) == len(typed) or not marks_nothing(result.values()):
            break
    result["title"] = _best(result["title_zh"], result["title_en"])
    result["summary"] = _best(result["summary_zh"], result["summary_en"])
    return result


# -- on Elasticsearch --------------------------------------------------------------------------

MAPPINGS = strict_mappings(
    {
        # Tokens made by search.text.tokens.analyse.
        "title": ANALYSED,
        "summary": ANALYSED,
        "body": ANALYSED,
        "inventors": ANALYSED,
        "holder": ANALYSED,
        # The English words of titles and summaries: the vocabulary of spelling corrections.
        "words": {"type": "keyword"},
        # The originals, for snippets: kept, never searched.
        "title_zh": STORED,
        "title_en": STORED,
        "summary_zh": STORED,
        "summary_en": STORED,
        # Facets of listings only (keyword: terms aggregations keyed as on the embedded backend).
        "trl": KEYWORD,
        "price_band": KEYWORD,
        "advancement": KEYWORD,
        # Sort keys.
        "trl_level": {"type": "integer"},
        "asking_price_minor": {"type": "long"},
        # Suggestions as you type: normalised titles and their later words (suggestion_keys).
        "suggest": {
            "type": "completion",
            "analyzer": "keyword",
            "preserve_separators": True,
            "preserve_position_increments": True,
            "max_input_length": 60,
        },
    }
)
# bm25 field weights, as the embedded backend's column weights (title > summary > the rest).
FIELD_WEIGHTS: dict[str, float] = {
    "title": 10.0,
    "summary": 4.0,
    "body": 1.0,
    "inventors": 1.0,
    "holder": 1.0,
}


def to_source(doc: SearchDocument) -> dict[str, Any]:
    """The indexed form of a document: analysed tokens, facet keywords, sort keys, originals."""
    days = (as_utc(doc.published_at) - _EPOCH_2000).days
    suggest = [
        {"input": key, "weight": suggestion_weight(position == 0, days)}
        for title in (doc.title_zh, doc.title_en)
        for position, key in enumerate(suggestion_keys(title or ""))
    ]
    return {
        **common_source(doc),
        "title": analyse(f"{doc.title_zh or ''}\n{doc.title_en or ''}\n{' '.join(doc.keywords)}"),
        "summary": analyse(f"{doc.summary_zh or ''}\n{doc.summary_en or ''}"),
        "body": analyse(_body_text(doc)),
        "words": sorted(vocabulary_words([f"{doc.title_en or ''} {doc.summary_en or ''}"])),
        "inventors": analyse(" ".join(doc.inventors)),
        "holder": analyse(doc.holder or ""),
        "title_zh": doc.title_zh or "",
        "title_en": doc.title_en or "",
        "summary_zh": doc.summary_zh or "",
        "summary_en": doc.summary_en or "",
        "trl": str(doc.trl),
        "trl_level": int(doc.trl),
        "price_band": doc.price_band,
        "advancement": [doc.advancement] if doc.advancement else [],
        "asking_price_minor": doc.asking_price_minor,
        "suggest": suggest,
    }


ELASTICSEARCH = ElasticsearchSpec(
    alias_suffix="",
    mappings=MAPPINGS,
    to_source=to_source,
    field_weights=FIELD_WEIGHTS,
    related_fields=("title", "summary"),
    facets=FACETS,
    sorts={
        **COMMON_SORTS,
        "price_asc": [{"asking_price_minor": {"order": "asc", "missing": "_last"}}, {"id": "asc"}],
        "price_desc": [
            {"asking_price_minor": {"order": "desc", "missing": "_last"}},
            {"id": "desc"},
        ],
        "trl_desc": [{"trl_level": "desc"}, {"published_at": "desc"}, {"id": "desc"}],
    },
    stored={name: name for name in ("title_zh", "title_en", "summary_zh", "summary_en")},
    highlights=highlights_for,
    fuzzy=True,
)


# -- in the embedded index ---------------------------------------------------------------------

_NO_PRICE_ASC = 2**62  # negotiable listings sort after every price, both ways
_NO_PRICE_DESC = -1


def docs_row(doc: SearchDocument) -> tuple[object, ...]:
    """A listing's `docs` row: original titles and summaries, facet values, sort keys."""
    price = doc.asking_price_minor
    return (
        int(doc.id),
        doc.title_zh or "",
        doc.title_en or "",
        doc.summary_zh or "",
        doc.summary_en or "",
        doc.field,
        doc.ipc_section,
        " ".join(doc.transfer_modes),
        int(doc.trl),
        doc.region,
        doc.price_band,
        _NO_PRICE_ASC if price is None else price,
        _NO_PRICE_DESC if price is None else price,
        as_utc(doc.published_at).timestamp(),
        doc.advancement,
    )


def fts_texts(doc: SearchDocument) -> tuple[str, ...]:
    """The text of fts(title, summary, body, people), before segmentation."""
    return (
        f"{doc.title_zh or ''}\n{doc.title_en or ''}\n{' '.join(doc.keywords)}",
        f"{doc.summary_zh or ''}\n{doc.summary_en or ''}",
        _body_text(doc),
        f"{' '.join(doc.inventors)}\n{doc.holder}",
    )


def facet_entries(row: Sequence[Any]) -> Iterator[tuple[str, str]]:
    """(facet, value) pairs of a `docs` facet row (transfer modes are several)."""
    _, field_, section, modes, trl, region, band, advancement = row
    yield "field", str(field_)
    if section:
        yield "ipc_section", str(section)
    for mode in str(modes).split():
        yield "transfer_mode", mode
    yield "trl", str(trl)
    yield "region", str(region)
    yield "price_band", str(band)
    if advancement:
        yield "advancement", str(advancement)


def suggestion_rows(doc: SearchDocument) -> Iterator[tuple[str, int, int, int]]:
    """(key, id, language, weight) of a listing's titles: language 0 Chinese, 1 English."""
    days = (as_utc(doc.published_at) - _EPOCH_2000).days
    for lang, title in enumerate((doc.title_zh or "", doc.title_en or "")):
        for position, key in enumerate(suggestion_keys(title)):
            yield key, int(doc.id), lang, suggestion_weight(position == 0, days)


SUGGESTIONS = SideTable(
    name="suggestions",
    columns=(
        "key TEXT NOT NULL",
        "doc_id INTEGER NOT NULL",
        "lang INTEGER NOT NULL",
        "weight INTEGER NOT NULL",
    ),
    primary_key=("key", "doc_id", "lang"),
    rows=suggestion_rows,
)
EMBEDDED = EmbeddedSpec(
    prefix="",
    docs_columns=(
        "title_zh TEXT NOT NULL",
        "title_en TEXT NOT NULL",
        "summary_zh TEXT NOT NULL",
        "summary_en TEXT NOT NULL",
        "field TEXT NOT NULL",
        "ipc_section TEXT",
        "transfer_mode TEXT NOT NULL",
        "trl INTEGER NOT NULL",
        "region TEXT NOT NULL",
        "price_band TEXT NOT NULL",
        "price_asc INTEGER NOT NULL",
        "price_desc INTEGER NOT NULL",
        "published_at REAL NOT NULL",
        # Added after files existed: last, with a default (search.embedded_tables adds it).
        "advancement TEXT NOT NULL DEFAULT ''",
    ),
    docs_row=docs_row,
    docs_indexes={
        "docs_newest": "published_at",
        "docs_price_asc": "price_asc",
        "docs_price_desc": "price_desc",
        "docs_trl": "trl, published_at",
    },
    fts_columns={"title": 10.0, "summary": 4.0, "body": 1.0, "people": 1.0},
    fts_texts=fts_texts,
    facets=FACETS,
    facets_in=FacetColumns(facet_entries),
    order_by={
        "newest": "published_at DESC, id DESC",
        "price_asc": "price_asc ASC, id ASC",
        "price_desc": "price_desc DESC, id DESC",
        "trl_desc": "trl DESC, published_at DESC, id DESC",
    },
    texts=("title_zh", "title_en", "summary_zh", "summary_en"),
    highlights=highlights_for,
    # Listings are many: words in more than 5% of them cost much in related() and say little.
    related_max_share=0.05,
    related_columns=("title", "summary"),
    side_tables=(SUGGESTIONS,),
    change_log=True,
    rank_in_tiers=True,
    scale_translations=True,
    doc_freq_ttl=600.0,
)


# -- the kind ----------------------------------------------------------------------------------

LISTINGS = DocumentKind(
    name="listings",
    label="listings",
    searchable_label="published listings",  # only published listings appear in search
    topic="search.listing",
    model=Listing,
    facets=FACETS,
    sorts=SORTS,
    searchable_status=ListingStatus.PUBLISHED,
    to_document=document_for,
    index_of=lambda backend: backend,
    preload=("ip_assets", "organisation", "images", "evaluations"),
    elasticsearch=ELASTICSEARCH,
    embedded=EMBEDDED,
)
