"""The filtered audit trail as one CSV: the reviewers' page and the API build the same file.

Built whole before it is sent (a stream would read the database after the request's
session has gone), so at most EXPORT_LIMIT entries, newest first; a last line says when
more matched. UTF-8 with a BOM, so spreadsheets read the Chinese.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from accounts.models import User
from core.audit_labels import action_label
from core.audit_models import AuditEntry
from core.spreadsheet_cells import formula_safe
from marketplace.review import audit_labels, audit_trail

EXPORT_LIMIT = 100_000  # audit entries in one CSV
CSV_TYPE = "text/csv; charset=utf-8"


def audit_csv(actor: User, wanted: audit_trail.AuditFilter, *, now: datetime) -> tuple[bytes, str]:
    """The entries `wanted` finds (reviewers only: `audit_export`) and the file's name,
    headings and labels in the request's language."""
    lines = [_csv_line(_heading())]
    entries = audit_trail.audit_export(actor, wanted)
    for entry, person in itertools.islice(entries, EXPORT_LIMIT + 1):
        if len(lines) > EXPORT_LIMIT:
            more = _("Only the newest %(n)s entries: narrow the filters for the others.", n=EXPORT_LIMIT)  # fmt: skip
            lines.append(_csv_line([more]))
            break
        lines.append(_csv_line(_row(entry, person, wanted.zone)))
    stamp = now.astimezone(wanted.zone).strftime("%Y%m%d-%H%M")
    return ("\ufeff" + "".join(lines)).encode("utf-8"), f"audit-{stamp}.csv"


def _heading() -> list[str]:
    return [
        _("When"), _("Who"), _("Email"), _("Action code"), _("Action"), _("Object"),
        _("Object id"), _("Before"), _("After"), _("Reason"), _("Chain"),
    ]  # fmt: skip


def _row(entry: AuditEntry, person: User | None, zone: ZoneInfo) -> list[str]:
    return [
        entry.at.astimezone(zone).isoformat(timespec="seconds"),
        person.name if person else "",
        person.email if person else "",
        entry.action,
        action_label(entry.action),
        audit_labels.object_type_label(entry.object_type),
        str(entry.object_id),
        json.dumps(entry.before, ensure_ascii=False) if entry.before else "",
        json.dumps(entry.after, ensure_ascii=False) if entry.after else "",
        entry.reason or "",
        str(entry.chain_seq or ""),
    ]


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([formula_safe(cell) for cell in cells])
    return buffer.getvalue()
