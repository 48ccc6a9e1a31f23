"""Portfolio import: a university's patent list becomes draft listings in one job.

`start_import` reads and validates the file at once (the seller sees every bad row by
number) and keeps the valid rows with the import; the job (`listings.portfolio_jobs`)
then calls `import_batch` until the import is done, one unit of work per batch, so
the progress bar moves and a job that died resumes where it stopped.

A row whose patent number the organisation already lists updates that listing while it
is a draft; a listing under review or published is never overwritten: the row is
reported as skipped. Importing the same file twice therefore changes nothing but the
drafts' contents and their `updated_at`.

They flush and never commit: the caller's unit of work commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from accounts.models import MemberRole, Organisation, User
from accounts.services import acts_for_org
from core import jobs, outbox
from core.domain import N_, NotFound, PermissionDenied
from core.extensions import db
from core.row_lists import all_of
from core.service_kit import audit_action
from core.uow import after_commit
from listings.models import IPAsset, Listing, PortfolioImport
from listings.portfolio_files import read_rows
from listings.portfolio_rules import PortfolioRow, validate_rows
from listings.rules import ListingStatus, TransferMode
from listings.services import SEARCH_TOPIC, snapshot

log = logging.getLogger(__name__)

IMPORT_JOB = "listings.import_portfolio"
BATCH_SIZE = 250
QUEUED, RUNNING, DONE = "queued", "running", "done"
# Until the seller chooses, an imported patent is offered for sale or licence.
DEFAULT_TRANSFER_MODES = (TransferMode.ASSIGNMENT.value, TransferMode.NON_EXCLUSIVE_LICENCE.value)


@dataclass(frozen=True)
class ImportProgress:
    """What the progress bar and the status endpoint show."""

    id: int
    status: str
    total: int
    processed: int
    created: int
    updated: int
    skipped: int
    errors: int

    @property
    def percent(self) -> int:
        """How far the job is, 0–100 (an import with nothing to do is complete)."""
        return 100 if self.total == 0 else self.processed * 100 // self.total

    def to_json(self) -> dict[str, Any]:
        """The status endpoint's body."""
        return {
            "id": self.id,
            "status": self.status,
            "total": self.total,
            "processed": self.processed,
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "errors": self.errors,
            "percent": self.percent,
        }


def progress(item: PortfolioImport) -> ImportProgress:
    """The import's progress as the page and the endpoint show it."""
    return ImportProgress(
        id=item.id,
        status=item.status,
        total=item.total,
        processed=item.processed,
        created=item.created_count,
        updated=item.updated_count,
        skipped=len(item.skipped or []),
        errors=len(item.errors or []),
    )


def _acting_org(actor: User) -> int:
    if actor.acting_org_id is None:
        raise PermissionDenied(N_("Join an organisation before you create listings."))
    return actor.acting_org_id


def start_import(
    actor: User, filename: str, data: bytes, *, now: datetime, today: date, queue: bool = True
) -> PortfolioImport:
    """Validate the file and queue its valid rows for the job (unless `queue` is false: the
    CLI runs the batches itself); ValidationFailed for a file that cannot be read at all.
    Bad rows are kept with the import, by row number."""
    org_id = _acting_org(actor)
    valid, errors = validate_rows(read_rows(filename, data), today)
    item = PortfolioImport(
        organisation_id=org_id,
        created_by_id=actor.id,
        filename=filename[-200:],
        status=QUEUED if valid else DONE,
        rows=[row.to_json() for row in valid],
        errors=[
            {"row": e.row, "column": e.column, "message": e.message, "params": e.params}
            for e in errors
        ],
        skipped=[],
        total=len(valid),
        processed=0,
        created_count=0,
        updated_count=0,
        created_at=now,
        updated_at=now,
        finished_at=None if valid else now,
    )
    db.session.add(item)
    db.session.flush()
    audit_action(
        "portfolio_import.start",
        item.id,
        actor.id,
        now,
        after={"rows": len(valid), "errors": len(errors), "filename": item.filename},
        object_type="portfolio_import",
    )
    if valid and queue:
        _queue_after_commit(item.id)
    return item


def _queue_after_commit(import_id: int) -> None:
    """Queue the job once the import is committed; an unreachable queue leaves the import
    queued for the job's sweep."""

    def enqueue() -> None:
        try:
            jobs.runner().enqueue(IMPORT_JOB, import_id=import_id)
        except Exception:
            log.exception(
                "portfolio import %s could not be queued; the sweep will run it", import_id
            )

    after_commit(enqueue)


def importer_of(org_id: int, email: str | None = None) -> User:
    """Who an import from the command line acts as: `email` if a member of the organisation,
    else its first administrator."""
    query = select(User).where(User.organisation_id == org_id, User.membership_approved.is_(True))
    if email is not None:
        query = query.where(User.email == email.strip().lower())
    else:
        query = query.order_by((User.org_role != MemberRole.ADMIN), User.id)
    user = db.session.scalars(query.limit(1)).first()
    if user is None:
        raise NotFound(N_("No member of organisation %(org)s to import as."), org=org_id)
    return user


def import_by_id(import_id: int) -> PortfolioImport:
    """An import by id (the command line), or NotFound."""
    item = db.session.get(PortfolioImport, import_id)
    if item is None:
        raise NotFound(N_("No such import."))
    return item


def import_for(actor: User, import_id: int) -> PortfolioImport:
    """An import the actor's organisation made; others look like they do not exist."""
    item = db.session.get(PortfolioImport, import_id)
    if item is None or not acts_for_org(actor, item.organisation_id):
        raise NotFound(N_("No such import."))
    return item


def imports_of(actor: User, limit: int = 20) -> list[PortfolioImport]:
    """The organisation's latest imports, newest first."""
    if actor.acting_org_id is None:
        return []
    return all_of(
        select(PortfolioImport)
        .where(PortfolioImport.organisation_id == actor.acting_org_id)
        .order_by(PortfolioImport.id.desc())
        .limit(limit)
    )


def pending_imports() -> list[int]:
    """Imports the job has still to finish, oldest first."""
    return all_of(
        select(PortfolioImport.id)
        .where(PortfolioImport.status.in_((QUEUED, RUNNING)))
        .order_by(PortfolioImport.id)
    )


def import_batch(import_id: int, *, now: datetime, size: int = BATCH_SIZE) -> bool:
    """Turn the next `size` rows into draft listings; True once the import is done."""
    item = db.session.get(PortfolioImport, import_id, with_for_update=True)
    if item is None or item.status == DONE:
        return True
    actor = db.session.get(User, item.created_by_id)
    org = db.session.get(Organisation, item.organisation_id)
    assert actor is not None and org is not None
    batch = [PortfolioRow.from_json(r) for r in item.rows[item.processed : item.processed + size]]
    existing = _listed(item.organisation_id, [row.number for row in batch])
    skipped = list(item.skipped or [])
    changed: list[tuple[Listing, str]] = []
    for row in batch:
        found = existing.get(row.number)
        if found is None:
            existing[row.number] = _create(row, actor, org, now=now)
            changed.append((existing[row.number][0], "create"))
        elif found[0].status == ListingStatus.DRAFT:
            _fill(found[0], found[1], row)
            changed.append((found[0], "update"))
        else:
            skipped.append({"row": row.row, "number": row.number, "listing_id": found[0].id})
    _record(changed, actor, now=now)
    item.created_count += sum(1 for _, action in changed if action == "create")
    item.updated_count += sum(1 for _, action in changed if action == "update")
    item.skipped = skipped
    item.processed += len(batch)
    item.updated_at = now
    item.status = RUNNING
    if item.processed >= item.total:
        _finish(item, actor, now=now)
    db.session.flush()
    return item.status == DONE


def _finish(item: PortfolioImport, actor: User, *, now: datetime) -> None:
    item.status = DONE
    item.finished_at = now
    item.rows = []  # the drafts hold them now
    audit_action(
        "portfolio_import.finish",
        item.id,
        actor.id,
        now,
        before={"status": RUNNING},
        after={
            "status": DONE,
            "created": item.created_count,
            "updated": item.updated_count,
            "skipped": len(item.skipped),
        },
        object_type="portfolio_import",
    )


def _listed(org_id: int, numbers: list[str]) -> dict[str, tuple[Listing, IPAsset]]:
    """The organisation's listings holding each of `numbers`, with the asset.

    Two single-table queries, not a join: inside the import's transaction PostgreSQL's
    statistics still say the tables are empty, and the join's plan (nested loops over
    sequential scans) took minutes for 5,000 rows.
    """
    if not numbers:
        return {}
    assets = all_of(select(IPAsset).where(IPAsset.number.in_(numbers)))
    listings = {
        listing.id: listing
        for listing in db.session.scalars(
            select(Listing).where(Listing.id.in_({asset.listing_id for asset in assets}))
        )
    }
    found: dict[str, tuple[Listing, IPAsset]] = {}
    for asset in sorted(assets, key=lambda a: a.listing_id):
        listing = listings.get(asset.listing_id)
        if listing is not None and listing.organisation_id == org_id:
            found.setdefault(asset.number, (listing, asset))
    return found


def _fill(listing: Listing, asset: IPAsset, row: PortfolioRow) -> None:
    """The columns the file carries; what the seller set by hand (price, modes) stays."""
    if row.in_chinese:
        listing.title_zh = row.title
        listing.summary_zh = row.abstract or listing.summary_zh
    else:
        listing.title_en = row.title
        listing.summary_en = row.abstract or listing.summary_en
    listing.field = row.field
    listing.trl = row.trl
    listing.inventors = list(row.inventors)
    listing.ipc_classes = list(row.ipc_classes)
    asset.kind = row.kind
    asset.title = row.title
    asset.legal_status = row.legal_status
    asset.filed_on = row.filed_on
    asset.granted_on = row.granted_on


def _create(
    row: PortfolioRow, actor: User, org: Organisation, *, now: datetime
) -> tuple[Listing, IPAsset]:
    listing = Listing(
        organisation_id=org.id,
        created_by_id=actor.id,
        status=ListingStatus.DRAFT,
        created_at=now,
        currency="CNY",
        holder=org.name,
        region=org.region,
        transfer_modes=list(DEFAULT_TRANSFER_MODES),
        keywords=[],
    )
    asset = IPAsset(kind=row.kind, number=row.number)
    _fill(listing, asset, row)
    listing.ip_assets = [asset]
    db.session.add(listing)
    return listing, asset


def _record(changed: list[tuple[Listing, str]], actor: User, *, now: datetime) -> None:
    """Audit each draft made or updated and tell the search index: `services.record_change`
    for a whole batch, flushed once (a flush per row made 5,000 rows take minutes)."""
    for listing, _ in changed:
        listing.updated_at = now
    db.session.flush()
    for listing, action in changed:
        audit_action(
            f"listing.import_{action}",
            listing.id,
            actor.id,
            now,
            before=None if action == "create" else snapshot(listing),
            after=snapshot(listing),
        )
        outbox.emit(SEARCH_TOPIC, listing.id, now=now)
