"""Organisations' documents (the business licence given at sign-up): who may read them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from accounts.models import OrganisationDocument, User
from accounts.services import require_reviewer
from core.domain import N_, NotFound
from core.extensions import db
from core.row_lists import all_of


def licences_of(actor: User, organisation_ids: Iterable[int]) -> dict[int, OrganisationDocument]:
    """The latest business licence of each organisation that gave one (reviewers only)."""
    require_reviewer(actor)
    ids = set(organisation_ids)
    if not ids:
        return {}
    query = (
        select(OrganisationDocument)
        .where(OrganisationDocument.organisation_id.in_(ids))
        .order_by(OrganisationDocument.id)
    )
    return {doc.organisation_id: doc for doc in db.session.scalars(query)}


def document_for_download(actor: User, document_id: int) -> OrganisationDocument:
    """A document for a reviewer or a member of its organisation; NotFound for anyone else."""
    document = db.session.get(OrganisationDocument, document_id)
    allowed = document is not None and (
        actor.can_review
        or (actor.organisation_id == document.organisation_id and actor.membership_approved)
    )
    if document is None or not allowed:
        raise NotFound(N_("No such document."))
    return document


def documents_of(organisation_id: int) -> list[OrganisationDocument]:
    """An organisation's documents, oldest first, for whoever may already read the organisation."""
    query = (
        select(OrganisationDocument)
        .where(OrganisationDocument.organisation_id == organisation_id)
        .order_by(OrganisationDocument.id)
    )
    return all_of(query)
