"""Every kind of document the search engine keeps, in the order a full rebuild goes through them."""

from __future__ import annotations

from search.documents import DocumentKind
from search.listing_documents import LISTINGS
from search.need_documents import NEEDS

KINDS: tuple[DocumentKind, ...] = (LISTINGS, NEEDS)
