"""Published listings as search documents (SearchDocument, the backend's main index)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy.orm import selectinload

from core.clock import as_utc
from listings.models import Listing
from listings.rules import ListingStatus, ipc_section, price_band
from search.backend import FACETS, SORTS, SearchBackend, SearchDocument
from search.documents import DocumentIndex, DocumentKind

if TYPE_CHECKING:
    from sqlalchemy.orm.interfaces import LoaderOption
    from sqlalchemy.sql.elements import ColumnElement


def is_searchable(listing: Listing | None) -> bool:
    """Only published listings appear in search."""
    return listing is not None and listing.status == ListingStatus.PUBLISHED


def document_for(listing: Listing) -> SearchDocument:
    """What the index holds of a listing: searchable text, facet values, sort keys."""
    assets = " ".join(
        part for asset in listing.ip_assets for part in (asset.number, asset.title or "") if part
    )
    body = "\n".join(
        part for part in (listing.problem, listing.advantage, listing.economics, assets) if part
    )
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
    )


def _published() -> ColumnElement[bool]:
    return Listing.status == ListingStatus.PUBLISHED


def _load_options() -> Sequence[LoaderOption]:
    return (selectinload(Listing.ip_assets),)


def _index_of(backend: SearchBackend) -> DocumentIndex:
    return backend


LISTINGS = DocumentKind(
    name="listings",
    label="listings",
    searchable_label="published listings",
    topic="search.listing",
    model=Listing,
    facets=FACETS,
    sorts=SORTS,
    searchable_clause=_published,
    is_searchable=is_searchable,
    to_document=document_for,
    index_of=_index_of,
    load_options=_load_options,
)
