"""REST endpoints of portfolio imports, attached to the listings API blueprint: a member
uploads a patent list (CSV or XLSX, multipart); its valid rows become draft listings in one
job; the import shows its progress, its bad rows by number and the rows skipped."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_babel import gettext
from flask_smorest.fields import Upload as UploadField
from marshmallow import Schema, fields

from accounts.auth import api_reader, api_writer
from core.clock import now
from core.schema_kit import REQUIRED_NOT_NULL
from core.schema_out import out_fields, page_of
from core.uow import unit_of_work
from core.views_kit import download
from listings import portfolio
from listings.api import blp
from listings.models import PortfolioImport
from listings.need_rules import market_today
from listings.portfolio_files import XLSX_TYPE, template_file
from listings.portfolio_rules import MAX_FILE_BYTES


class PortfolioFileSchema(Schema):
    """The patent list (multipart): CSV or XLSX with the template's headings, up to 5 MB."""

    file = UploadField(required=True, error_messages=REQUIRED_NOT_NULL)


class ImportRowErrorOutSchema(Schema):
    """Why a row was not imported."""

    row = fields.Integer(metadata={"description": "The row in the sheet (the heading is row 1)"})
    column = fields.String(allow_none=True)
    message = fields.String(metadata={"description": "In the request's language"})


@out_fields(integers="id processed created updated skipped percent", strings="filename", datetimes="created_at finished_at?")  # fmt: skip
class PortfolioImportSummaryOutSchema(Schema):
    """A portfolio import: its job's progress."""

    status = fields.String(metadata={"description": "queued, running or done"})
    total = fields.Integer(metadata={"description": "Valid rows to import"})
    errors = fields.Integer(metadata={"description": "Rows refused (see `row_errors`)"})


class PortfolioImportOutSchema(PortfolioImportSummaryOutSchema):
    """A portfolio import: its job's progress, the bad rows by number, the rows skipped."""

    row_errors = fields.List(fields.Nested(ImportRowErrorOutSchema))
    skipped_rows = fields.List(fields.Dict())


PortfolioImportListSchema = page_of(
    PortfolioImportSummaryOutSchema,
    "The organisation's latest imports, newest first.",
    name="PortfolioImportListSchema",
)


def _message(error: dict[str, Any]) -> str:
    template = gettext(error["message"])
    return template % error["params"] if error.get("params") else template


def _shown(item: PortfolioImport, *, rows: bool = True) -> dict[str, Any]:
    shown = {
        **portfolio.progress(item).to_json(),
        "filename": item.filename,
        "created_at": item.created_at,
        "finished_at": item.finished_at,
    }
    if rows:
        errors = sorted(item.errors or [], key=lambda e: (e["row"], e["column"] or ""))
        shown["row_errors"] = [{**e, "message": _message(e)} for e in errors]
        shown["skipped_rows"] = item.skipped or []
    return shown


@blp.write("/imports", 201, PortfolioImportOutSchema, 401, 403, 413, 422, files=PortfolioFileSchema)
def portfolio_import(files: dict[str, Any]) -> dict[str, Any]:
    """Import a patent list: the file is checked at once (`row_errors`), its valid rows
    become draft listings in a job; read the import again for its progress."""
    upload = files["file"]
    data = upload.stream.read(MAX_FILE_BYTES + 1)
    moment = now()
    with unit_of_work():
        item = portfolio.start_import(
            api_writer(), upload.filename or "", data, now=moment, today=market_today(moment)
        )
        return _shown(item)


@blp.read("/imports", PortfolioImportListSchema, 401)
def portfolio_imports() -> dict[str, Any]:
    """The caller's organisation's latest imports, newest first."""
    with unit_of_work():
        imports = portfolio.imports_of(api_reader())
        return {"items": [_shown(item, rows=False) for item in imports]}


@blp.read("/imports/<int:import_id>", PortfolioImportOutSchema, 401)
def portfolio_import_status(import_id: int) -> dict[str, Any]:
    """One import: its progress, the bad rows by number, the rows skipped."""
    with unit_of_work():
        return _shown(portfolio.import_for(api_reader(), import_id))


@blp.download("/imports/template.<any(csv, xlsx):fmt>", ("text/csv", XLSX_TYPE), "The template: bilingual headings and one example row (CSV in UTF-8 with a BOM), as the import page gives")  # fmt: skip
def portfolio_template(fmt: str) -> Response:
    """The template to fill in (CSV or XLSX), for a signed-in member."""
    api_reader()
    return download(*template_file(fmt), private=False)
