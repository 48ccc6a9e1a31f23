"""REST endpoints of listed sales, negotiations and public notices: the same services as the pages.

Reads are public (sales, notices) or for the parties (negotiations; a token or the
browser session); every write takes a bearer token, since the API is exempt from CSRF.
"""

from __future__ import annotations

from typing import Any

from accounts.auth import api_reader, api_writer, token_api
from accounts.models import User
from core.clock import now
from core.domain import N_, ValidationFailed
from core.uow import unit_of_work
from trading import (
    closing,
    configured,
    listed_sales,
    negotiations,
    notice_queries,
    notices,
    queries,
)
from trading.models import ListedSaleStatus
from trading.schemas import (
    DecisionInputSchema,
    IntentOutSchema,
    ListedSaleInputSchema,
    ListedSaleOutSchema,
    MessageInputSchema,
    NegotiationMessageOutSchema,
    NegotiationOutSchema,
    NoticeListSchema,
    NoticeOutSchema,
    ObjectionInputSchema,
    ObjectionOutSchema,
    OfferInputSchema,
    OpenNegotiationInputSchema,
    SaleListArgsSchema,
    WithdrawInputSchema,
)

blp = token_api("sales_api", __name__, "Listed sales (挂牌) and negotiations (协议定价)")


def _intent_out(sale_id: int, actor: User) -> dict[str, Any]:
    sale = queries.get_sale(sale_id)
    intent = queries.intent_of(actor, sale)
    deposit = queries.deposit_of(actor, sale)
    assert intent is not None
    return {
        "id": intent.id,
        "sale_id": sale.id,
        "buyer_org_id": intent.buyer_org_id,
        "created_at": intent.created_at,
        "withdrawn_at": intent.withdrawn_at,
        "deposit_id": deposit.id if deposit else None,
        "deposit_status": deposit.status.value if deposit else None,
        "deposit_minor": deposit.amount_minor if deposit else None,
    }


# --- listed sales ----------------------------------------------------------------------


@blp.read("/", ListedSaleOutSchema(many=True), args=SaleListArgsSchema)
def list_sales(args: dict[str, Any]) -> Any:
    """Listed sales (open ones by default; ?status=no_buyer|sold|auctioned|withdrawn|all)."""
    status = None if args["status"] == "all" else ListedSaleStatus(args["status"])
    items = closing.request_if_due(queries.sales(status=status), now=now())
    return [sale for sale in items if status is None or sale.status == status]


@blp.write(
    "/",
    201,
    ListedSaleOutSchema,
    409,
    422,
    args=ListedSaleInputSchema,
    example={"listing_id": 12, "asking_price_minor": 50_000_000, "working_days": 20},
)
def start_sale(data: dict[str, Any]) -> Any:
    """Start a listed sale of one of your listings (listing_id, asking_price_minor, ...)."""
    if data.get("listing_id") is None:
        raise ValidationFailed(N_("This field is required."), field="listing_id")
    with unit_of_work(writer=True):
        return configured.start_listed_sale(api_writer(), data["listing_id"], data)


@blp.read("/<int:sale_id>", ListedSaleOutSchema, 404)
def get_sale(sale_id: int) -> Any:
    """One listed sale (one whose period is over is being closed by the job runner)."""
    [sale] = closing.request_if_due([queries.get_sale(sale_id)], now=now())
    return sale


@blp.write("/<int:sale_id>/intents", 201, IntentOutSchema, 403, 409)
def register_intent(sale_id: int) -> Any:
    """Register your organisation's intent to buy; the deposit then falls due."""
    actor = api_writer()
    with unit_of_work(writer=True):
        listed_sales.register_intent(actor, sale_id, now=now())
    return _intent_out(sale_id, actor)


@blp.write("/<int:sale_id>/intents", 200, IntentOutSchema, 409, method="DELETE")
def withdraw_intent(sale_id: int) -> Any:
    """Withdraw your organisation's intent during the listing period."""
    actor = api_writer()
    with unit_of_work(writer=True):
        listed_sales.withdraw_intent(actor, sale_id, now=now())
    return _intent_out(sale_id, actor)


@blp.write("/<int:sale_id>/withdraw", 200, ListedSaleOutSchema, 403, 409)
def withdraw_sale(sale_id: int) -> Any:
    """The seller withdraws its listed sale while nobody has registered intent in it."""
    with unit_of_work(writer=True):
        return configured.cancel_sale(api_writer(), sale_id)


@blp.write("/<int:sale_id>/relist", 201, ListedSaleOutSchema, 403, 409)
def relist(sale_id: int) -> Any:
    """After a sale without a buyer (or withdrawn), list again on the same terms: a new sale."""
    with unit_of_work(writer=True):
        return configured.relist(api_writer(), sale_id)


# --- negotiations ----------------------------------------------------------------------


@blp.read("/negotiations", NegotiationOutSchema(many=True))
def my_negotiations() -> Any:
    """Your organisation's negotiations, as seller and as buyer."""
    return queries.negotiations_of(api_reader())


@blp.write(
    "/negotiations",
    201,
    NegotiationOutSchema,
    403,
    409,
    422,
    args=OpenNegotiationInputSchema,
    example={"listing_id": 12, "amount_minor": 40_000_000, "message": "We are interested."},
)
def open_negotiation(data: dict[str, Any]) -> Any:
    """Open a negotiation on a listing with an offer (amount_minor), a message or both."""
    with unit_of_work():
        return negotiations.open_negotiation(
            api_writer(),
            data["listing_id"],
            amount_minor=data.get("amount_minor"),
            message=data.get("message", ""),
            buyer_org_id=data.get("buyer_org_id"),
            now=now(),
        )


@blp.read("/negotiations/<int:negotiation_id>", NegotiationOutSchema, 404)
def get_negotiation(negotiation_id: int) -> Any:
    """One negotiation with its thread (for its parties and reviewers)."""
    return queries.visible_negotiation(api_reader(), negotiation_id)


@blp.write(
    "/negotiations/<int:negotiation_id>/offers",
    201,
    NegotiationOutSchema,
    409,
    422,
    args=OfferInputSchema,
    example={"amount_minor": 45_000_000, "message": "Our best offer."},
)
def make_offer(data: dict[str, Any], negotiation_id: int) -> Any:
    """Make an offer or a counter-offer (it replaces the offer on the table)."""
    with unit_of_work(writer=True):
        return negotiations.make_offer(
            api_writer(),
            negotiation_id,
            data["amount_minor"],
            message=data.get("message", ""),
            now=now(),
        )


@blp.write(
    "/negotiations/<int:negotiation_id>/messages",
    201,
    NegotiationMessageOutSchema,
    409,
    args=MessageInputSchema,
)
def post_message(data: dict[str, Any], negotiation_id: int) -> Any:
    """Write in the negotiation's thread."""
    with unit_of_work(writer=True):
        return negotiations.post_message(api_writer(), negotiation_id, data["body"], now=now())


@blp.write("/negotiations/<int:negotiation_id>/accept", 201, NoticeOutSchema, 409)
def accept(negotiation_id: int) -> Any:
    """Accept the other side's open offer: the price is agreed and the public notice starts."""
    with unit_of_work(writer=True):
        return configured.accept_offer(api_writer(), negotiation_id)


@blp.write(
    "/negotiations/<int:negotiation_id>/withdraw",
    200,
    NegotiationOutSchema,
    409,
    args=WithdrawInputSchema,
)
def withdraw(data: dict[str, Any], negotiation_id: int) -> Any:
    """Walk away from a negotiation before a price is agreed."""
    with unit_of_work(writer=True):
        return negotiations.withdraw(
            api_writer(), negotiation_id, now=now(), message=data.get("message", "")
        )


# --- public notices --------------------------------------------------------------------


@blp.read("/notices", NoticeListSchema)
def list_notices() -> Any:
    """Public notices (公示) of negotiated prices: current and past."""
    notices.request_if_due(notice_queries.current_notices(), now=now())
    return {"current": notice_queries.current_notices(), "past": notice_queries.past_notices()}


@blp.read("/notices/<int:notice_id>", NoticeOutSchema, 404)
def get_notice(notice_id: int) -> Any:
    """One public notice."""
    [notice] = notices.request_if_due([notice_queries.get_notice(notice_id)], now=now())
    return notice


@blp.write(
    "/notices/<int:notice_id>/objections",
    201,
    ObjectionOutSchema,
    409,
    422,
    args=ObjectionInputSchema,
)
def lodge_objection(data: dict[str, Any], notice_id: int) -> Any:
    """Lodge an objection (异议) with reasons; one per person and notice."""
    with unit_of_work(writer=True):
        return notices.lodge_objection(api_writer(), notice_id, data["reasons"], now=now())


@blp.read("/notices/objections", ObjectionOutSchema(many=True), 403)
def objection_queue() -> Any:
    """Reviewers: objections waiting for a decision."""
    return notice_queries.objection_queue(api_reader())


@blp.write(
    "/notices/objections/<int:objection_id>/decision",
    200,
    ObjectionOutSchema,
    403,
    409,
    args=DecisionInputSchema,
)
def decide_objection(data: dict[str, Any], objection_id: int) -> Any:
    """Reviewers: uphold (the agreement falls) or dismiss an objection, with the reason."""
    with unit_of_work(writer=True):
        return notices.decide_objection(
            api_writer(), objection_id, uphold=data["uphold"], reason=data["reason"], now=now()
        )
