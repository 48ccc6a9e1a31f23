"""REST endpoints of declaring open licences, on the open-licences blueprint: the patentee
declares (multipart, with the evaluation report) and withdraws; reviewers see their queue,
approve or refuse a declaration and record the bank transfer of a licence's fee."""

from __future__ import annotations

from typing import Any

from flask import current_app

from accounts.auth import api_reader, api_writer
from core.clock import now
from core.service_kit import Upload
from core.uow import unit_of_work
from licences import declarations, grants, rules
from licences.api import blp
from licences.api_schemas import (
    BankPaymentInSchema,
    DeclarationInSchema,
    DeclarationOutSchema,
    DeclarationRefusalInSchema,
    LicenceOutSchema,
    ReportFileSchema,
    ReviewQueueSchema,
)
from licences.models import OpenLicence, OpenLicenceDeclaration

_DECLARATION_EXAMPLE = {"ip_asset_id": 12, "fee_kind": "lump_sum", "lump_sum_minor": 2_000_000, "payment_method": "bank_transfer", "term_years": 5}  # fmt: skip
_STATE = (409, "The declaration or licence is not in a state that allows this.")


def _storage() -> declarations.Storage:
    folder = declarations.report_folder(current_app.config["UPLOAD_FOLDER"])
    return declarations.Storage(folder, current_app.config["MAX_EVIDENCE_BYTES"])


def _declaration_input(form: dict[str, Any], report: Any) -> declarations.Declaration:
    terms = rules.FeeTerms(
        rules.FeeKind(form["fee_kind"]),
        lump_sum_minor=form["lump_sum"],
        entry_fee_minor=form["entry_fee"],
        royalty_bp=form["royalty"],
    )
    upload = Upload(report.stream, report.filename or "") if report is not None else None
    return declarations.Declaration(
        ip_asset_id=form["ip_asset_id"],
        terms=terms,
        payment_method=rules.PaymentMethod(form["payment_method"]),
        term_years=form["term_years"],
        report=upload,
    )


@blp.write("/", 201, DeclarationOutSchema, 401, 403, (409, "The patent already has a declaration submitted or published."), 413, 422, args=DeclarationInSchema, files=ReportFileSchema, example=_DECLARATION_EXAMPLE)  # fmt: skip
def declare(form: dict[str, Any], files: dict[str, Any]) -> OpenLicenceDeclaration:
    """Declare an open licence of a patent of one of your published listings (multipart: the
    terms and, for a utility model or design, `report`); a reviewer checks it before it is published."""
    data = _declaration_input(form, files.get("report"))
    with unit_of_work():
        return declarations.declare(api_writer(), data, storage=_storage(), now=now())


@blp.write("/<int:declaration_id>/withdraw", 200, DeclarationOutSchema, 401, 403, 404, _STATE)
def withdraw(declaration_id: int) -> OpenLicenceDeclaration:
    """The patentee withdraws its published open licence; licences granted stay in force."""
    with unit_of_work():
        return declarations.withdraw(api_writer(), declaration_id, now=now())


@blp.read("/review", ReviewQueueSchema, 401, 403)
def review_queue() -> dict[str, Any]:
    """Reviewers: declarations waiting for a decision, licence fees to find on the statement."""
    reviewer = api_reader()
    return {
        "declarations": declarations.review_queue(reviewer),
        "licences": grants.awaiting_payment(reviewer),
    }


@blp.write("/<int:declaration_id>/approve", 200, DeclarationOutSchema, 401, 403, 404, _STATE)
def approve(declaration_id: int) -> OpenLicenceDeclaration:
    """A reviewer found the declaration in order: it is published in the catalogue."""
    with unit_of_work():
        return declarations.approve(api_writer(), declaration_id, now=now())


@blp.write("/<int:declaration_id>/refuse", 200, DeclarationOutSchema, 401, 403, 404, _STATE, 422, args=DeclarationRefusalInSchema, example={"reason": "专利已终止，不能声明开放许可。"})  # fmt: skip
def refuse(data: dict[str, Any], declaration_id: int) -> OpenLicenceDeclaration:
    """A reviewer refuses the declaration with the reason the patentee reads."""
    with unit_of_work():
        return declarations.refuse(api_writer(), declaration_id, data["reason"], now=now())


@blp.write("/licences/<int:licence_id>/payment", 200, LicenceOutSchema, 401, 403, 404, _STATE, 422, args=BankPaymentInSchema, example={"amount_minor": 2_000_000, "bank_reference": "OL-7"})  # fmt: skip
def record_payment(data: dict[str, Any], licence_id: int) -> OpenLicence:
    """A reviewer found the licensee's transfer on the statement: the licence is granted.

    The amount must be the fee due and the reference the licence's `transfer_reference`."""
    with unit_of_work():
        return grants.record_payment(
            api_writer(), licence_id, data["amount_minor"], data["bank_reference"], now=now()
        )
