"""REST endpoints of open licences (`/api/v1/open-licences`): the catalogue and a declaration
for anyone; a verified organisation's written notice; a licence's record for its parties."""

from __future__ import annotations

from typing import Any

from flask import current_app
from werkzeug.wrappers import Response

from accounts.auth import (
    api_actor,
    api_reader,
    api_writer,
    token_api,
)
from core.clock import now
from core.storage import ALLOWED_TYPES
from core.uow import unit_of_work
from core.views_kit import send_stored
from licences import card as licence_card
from licences import declarations, grants
from licences.api_schemas import (
    CatalogueArgsSchema,
    CataloguePageSchema,
    DeclarationOutSchema,
    LicenceOutSchema,
    NoticeInSchema,
)
from licences.models import OpenLicence, OpenLicenceDeclaration
from listings.rules import FIELDS
from payments import card
from payments.models import Payment
from payments.schemas import CheckoutInSchema, PaymentOutSchema

blp = token_api(
    "open_licences_api", __name__, "Open licences of patents (专利开放许可, 专利法 Art. 50–52)"
)


@blp.read("/", CataloguePageSchema, args=CatalogueArgsSchema)
def catalogue(args: dict[str, Any]) -> dict[str, Any]:
    """Open licences published (and withdrawn, with the date), by words and field."""
    field = args["field"] if args["field"] in FIELDS else ""
    return {"items": declarations.catalogue(args["q"], field)}


@blp.read("/<int:declaration_id>", DeclarationOutSchema)
def declaration(declaration_id: int) -> OpenLicenceDeclaration:
    """A declaration's terms and the licences granted under it."""
    return declarations.visible_declaration(api_actor(), declaration_id)


@blp.download("/reports/<int:report_id>", ALLOWED_TYPES, "The report as the patentee uploaded it (never served as active content)", (404, "No such report, or its declaration is not published and the caller is neither the patentee nor a reviewer."))  # fmt: skip
def report(report_id: int) -> Response:
    """A patent evaluation report: public with its published declaration, like the terms."""
    found = declarations.report_for_download(api_actor(), report_id)
    return send_stored(declarations.report_folder(current_app.config["UPLOAD_FOLDER"]), found)


@blp.write("/<int:declaration_id>/notice", 201, LicenceOutSchema, 401, 403, 404, 409, 422, args=NoticeInSchema, example={"notice": "我方按公布的条件实施该专利。"})  # fmt: skip
def notice(data: dict[str, Any], declaration_id: int) -> OpenLicence:
    """Take the licence by written notice on the published terms (no negotiation)."""
    with unit_of_work():
        return grants.give_notice(api_writer(), declaration_id, data["notice"], now=now())


@blp.read("/licences/<int:licence_id>", LicenceOutSchema, 401)
def licence(licence_id: int) -> OpenLicence:
    """A licence's record, for its licensor, its licensee and reviewers."""
    return grants.visible_licence(api_reader(), licence_id)


@blp.write(
    "/licences/<int:licence_id>/card", 201, PaymentOutSchema, 404, 409, args=CheckoutInSchema
)
def pay_by_card(data: dict[str, Any], licence_id: int) -> Payment:
    """The licensee pays the fee due with its notice by card: send the payer to `checkout_url`.

    Two units of work, as for a deal's price: the pending payment is kept even when Stripe
    cannot be reached; the licence is granted when Stripe reports the money arrived.
    """
    actor = api_writer()
    with unit_of_work():
        payment = licence_card.start_card_payment(actor, licence_id, now=now())
    with unit_of_work():
        return card.open_checkout(actor, payment.id, **data)
