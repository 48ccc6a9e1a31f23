"""REST endpoints of the registration batch (技术合同认定登记), attached to the deals API
blueprint: the contracts signed in a period, for the market's reviewers, as JSON a page at
a time or as the file the registration office imports (CSV or XLSX, as on the page); and the
ledger's registration records as one CSV, as the ledger page gives."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_babel import gettext
from marshmallow import Schema, fields

from accounts.auth import api_reader
from core import cursor
from core.clock import now
from core.i18n import market_tz
from core.marshmallow_messages import REQUIRED
from core.schema_kit import InputSchema
from core.schema_out import out_fields, page_of
from core.uow import unit_of_work
from core.views_kit import download
from deals import ledger_export, registration_export
from deals.api import blp
from deals.registration_export import XLSX_TYPE, ExportRow
from deals.schemas import DealListArgsSchema, RegistrationOutSchema

BATCH = "registration-batch"  # the cursor kind of the batch
_PERIOD = (422, "`from` or `to` is missing or not a date, or the period ends before it starts or is longer than a year.")  # fmt: skip
_REVIEWERS = (403, "Only the market's reviewers export the batch.")
_LEDGER_REVIEWERS = (403, "Only the market's reviewers read the whole ledger.")


def _day(key: str, description: str) -> fields.Date:
    return fields.Date(required=True, data_key=key, error_messages=REQUIRED, metadata={"description": description})  # fmt: skip


class PeriodArgsSchema(InputSchema):
    """`?from=…&to=…`: market days of signing, both included, at most a year."""

    start = _day("from", "The first day of signing (market time), e.g. 2026-02-01")
    end = _day("to", "The last day of signing (market time), e.g. 2026-02-28")


class BatchPageArgsSchema(PeriodArgsSchema, cursor.PageArgsSchema):
    """The period and the page."""


@out_fields(integers="transaction_amount_minor", strings="contract_number project_name contract_subtype technology_field seller_region_code buyer_region_code payment_method certificate_number?", dates="term_start term_end", datetimes="certified_at?")  # fmt: skip
class BatchFormOutSchema(Schema):
    """The registration form's fields as completed, and the certificate number once issued."""


class BatchRowOutSchema(Schema):
    """A contract of the batch: the deal's record, the form (null until completed)."""

    deal_id = fields.Integer(attribute="record.deal_id")
    state = fields.Function(
        registration_export.state,
        metadata={"type": "string", "enum": ["incomplete", "to_register", "registered"], "description": "incomplete: the form is not completed yet"},
    )  # fmt: skip
    record = fields.Nested(RegistrationOutSchema)
    form = fields.Nested(BatchFormOutSchema, allow_none=True)


BatchPageSchema = page_of(
    BatchRowOutSchema,
    "A page of the batch, highest deal id first; `next_cursor` is None on the last page.",
    name="BatchPageSchema",
    cursor=True,
)


@blp.read("/registration-batch", BatchPageSchema, _REVIEWERS, _PERIOD, args=BatchPageArgsSchema)
def registration_batch(args: dict[str, Any]) -> dict[str, Any]:
    """The contracts signed in a period and not cancelled, with their registration state,
    a page at a time (`?from=…&to=…&cursor=…&limit=…`; the file has them all)."""
    page = cursor.page_of(BATCH, args)
    with unit_of_work():
        rows: list[ExportRow] = registration_export.batch_page(
            api_reader(), args["start"], args["end"],
            tz=market_tz(), before=page.before, limit=page.limit + 1,
        )  # fmt: skip
    ids = [row.record.deal_id for row in rows]
    return {"items": rows[: page.limit], "next_cursor": cursor.next_cursor(BATCH, ids, page.limit)}


@blp.download("/registration-batch.<any(csv, xlsx):fmt>", ("text/csv", XLSX_TYPE), "The batch as the registration office imports it: its Chinese headings, one row per contract (CSV in UTF-8 with a BOM)", _REVIEWERS, _PERIOD, args=PeriodArgsSchema)  # fmt: skip
def registration_batch_file(args: dict[str, Any], fmt: str) -> Response:
    """The whole batch of a period as a file, the same as the reviewers' page gives."""
    start, end = args["start"], args["end"]
    with unit_of_work():
        rows = registration_export.batch(api_reader(), start, end, tz=market_tz())
    body, mimetype = registration_export.export_file(rows, fmt)
    disposition = f'attachment; filename="{registration_export.file_name(start, end, fmt)}"'
    headers = {"Content-Disposition": disposition, "Cache-Control": "private, no-store"}
    return Response(body, mimetype=mimetype, headers=headers)


@blp.download("/registrations.csv", ("text/csv",), "The registration records (技术合同认定登记) of the ledger's deals, one row per deal under headings in the request's language (UTF-8 with a BOM), the same as the reviewers' ledger page gives", _LEDGER_REVIEWERS, args=DealListArgsSchema)  # fmt: skip
def registrations_file(args: dict[str, Any]) -> Response:
    """The registration records of every deal on the ledger, filtered as the ledger is
    (`?channel=…&status=…&method=…`)."""
    with unit_of_work():
        body, name = ledger_export.registrations_file(
            api_reader(), args, tz=market_tz(), now=now(), translate=gettext
        )
    return download(body, ledger_export.CSV_TYPE, name)
