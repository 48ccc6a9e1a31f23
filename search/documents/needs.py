"""Open technology needs (技术需求) as search documents (NeedDocument, each backend's `needs`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy.orm import selectinload

from core.clock import as_utc
from listings.models import TechNeed
from listings.need_rules import NeedStatus
from listings.rules import ipc_section, price_band
from search.backend import SearchBackend
from search.documents import DocumentIndex, DocumentKind
from search.needs import NEED_FACETS, NEED_SORTS, NeedDocument

if TYPE_CHECKING:
    from sqlalchemy.orm.interfaces import LoaderOption
    from sqlalchemy.sql.elements import ColumnElement


def is_searchable(need: TechNeed | None) -> bool:
    """Only open needs appear in search (and in matching)."""
    return need is not None and need.status == NeedStatus.OPEN


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
    )


def _open() -> ColumnElement[bool]:
    return TechNeed.status == NeedStatus.OPEN


def _load_options() -> Sequence[LoaderOption]:
    return (selectinload(TechNeed.organisation),)


def _index_of(backend: SearchBackend) -> DocumentIndex:
    return backend.needs


NEEDS = DocumentKind(
    name="needs",
    label="technology needs",
    searchable_label="open technology needs",
    topic="search.need",
    model=TechNeed,
    facets=NEED_FACETS,
    sorts=NEED_SORTS,
    searchable_clause=_open,
    is_searchable=is_searchable,
    to_document=need_document,
    index_of=_index_of,
    load_options=_load_options,
)
