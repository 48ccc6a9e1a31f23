"""REST endpoints of brokers (flask-smorest, in the OpenAPI document): the services the pages use.

The directory and profiles are public; every write takes a bearer token
(`Authorization: Bearer <token>`), since the API is exempt from CSRF. The
statement is the caller's own (token, or the browser session for reading).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accounts.auth import api_reader, api_writer, token_api
from accounts.models import User
from brokers import accreditation, commissions, introductions, mandates, profiles
from brokers import broker_access as shared
from brokers.models import Broker
from brokers.schemas import (
    ApplicationInSchema,
    BrokerListSchema,
    BrokerOutSchema,
    DecisionInSchema,
    DirectoryArgsSchema,
    IntroductionInSchema,
    IntroductionOutSchema,
    MandateInSchema,
    MandateOutSchema,
    ReasonInSchema,
    StatementSchema,
)
from brokers.views.blueprint import expiry_warning_days
from core.clock import now
from core.schema_out import page_of
from core.uow import unit_of_work

blp = token_api(
    "brokers_api",
    __name__,
    "Technology brokers (技术经纪人): accreditation, mandates, introductions",
)


MandateListSchema = page_of(MandateOutSchema, "Mandates, newest first.", name="MandateListSchema")
IntroductionListSchema = page_of(
    IntroductionOutSchema, "Introductions, newest first.", name="IntroductionListSchema"
)


def _as_broker_and_org(
    of_broker: Callable[[Broker], list[Any]], of_org: Callable[[User], list[Any]]
) -> dict[str, Any]:
    """The caller's rows as a broker (none when it is not one) and as its organisation,
    once each (a broker may be a party too), newest first."""
    actor = api_reader()
    broker = shared.broker_of(actor)
    groups = [of_broker(broker) if broker is not None else [], of_org(actor)]
    rows = {row.id: row for group in groups for row in group}
    return {"items": sorted(rows.values(), key=lambda row: (row.created_at, row.id), reverse=True)}


def broker_out(broker: Broker, stats: profiles.BrokerStats | None = None) -> dict[str, Any]:
    stats = stats or profiles.stats_for([broker.id])[broker.id]
    return {
        "id": broker.id,
        "name": broker.user.name,
        "organisation": broker.organisation.name,
        "level": broker.level.value,
        "status": broker.status.value,
        "certificate_number": broker.certificate_number,
        "issuing_body": broker.issuing_body,
        "expires_on": broker.expires_on,
        "region": broker.region,
        "expertise_fields": broker.expertise_fields,
        "languages": broker.languages,
        "accredited": shared.broker_accredited(broker, now=now()),
        "completed_deals": stats.completed_deals,
        "rating_average": stats.rating_average,
        "rating_count": stats.rating_count,
    }


@blp.read("/", BrokerListSchema, args=DirectoryArgsSchema, kept=True)
def directory(args: dict[str, Any]) -> dict[str, Any]:
    """Accredited brokers with a valid certificate, filtered by field and region."""
    brokers = profiles.directory(now=now(), field_code=args["field"], region=args["region"])
    stats = profiles.stats_for([b.id for b in brokers])
    return {"items": [(broker_out(b, stats[b.id])) for b in brokers]}


@blp.read("/<int:broker_id>", BrokerOutSchema, 404)
def profile(broker_id: int) -> Any:
    """A broker's public profile."""
    return broker_out(profiles.public_broker(broker_id))


@blp.write(
    "/applications",
    201,
    BrokerOutSchema,
    (403, "No verified organisation"),
    422,
    args=ApplicationInSchema,
)
def apply(data: accreditation.Application) -> Any:
    """Apply (or apply again) for accreditation; a reviewer decides."""
    with unit_of_work():
        broker = accreditation.apply(
            api_writer(),
            data,
            now=now(),
            warning_days=expiry_warning_days(),
        )
    return broker_out(broker)


@blp.write(
    "/<int:broker_id>/<any(accredit, refuse):decision>",
    200,
    BrokerOutSchema,
    (403, "Not a reviewer"),
    (409, "Already decided"),
    args=DecisionInSchema,
)
def decide(data: dict[str, Any], broker_id: int, decision: str) -> Any:
    """A reviewer accredits (with a note) or refuses (with a reason) an application."""
    with unit_of_work():
        if decision == "accredit":
            broker = accreditation.accredit(api_writer(), broker_id, now=now(), note=data["reason"])
        else:
            broker = accreditation.refuse(api_writer(), broker_id, data["reason"], now=now())
    return broker_out(broker)


@blp.write(
    "/mandates",
    201,
    MandateOutSchema,
    403,
    (409, "Exclusivity, broker not accredited"),
    (422, "Terms; above_statutory_cap"),
    args=MandateInSchema,
)
def propose_mandate(data: mandates.MandateInput) -> Any:
    """Propose a mandate (the principal or the broker); it binds when the other side accepts.

    A rate above 500 bps (the Auction Law's 5 % reference) answers 422
    `above_statutory_cap` unless `above_cap_agreed` is true.
    """
    with unit_of_work():
        return mandates.propose_mandate(api_writer(), data, now=now())


@blp.read("/mandates", MandateListSchema, 401)
def my_mandates() -> dict[str, Any]:
    """The caller's mandates, newest first: those it holds as a broker (the workbench) and
    those its organisation gave (its brokers' page)."""
    return _as_broker_and_org(mandates.mandates_of_broker, mandates.mandates_of_org)


@blp.read("/mandates/<int:mandate_id>", MandateOutSchema, 404)
def get_mandate(mandate_id: int) -> Any:
    """A mandate, for its broker, the principal and the reviewers."""
    return mandates.visible_mandate(api_reader(), mandate_id)


@blp.write(
    "/mandates/<int:mandate_id>/<any(accept, decline, terminate):action>",
    200,
    MandateOutSchema,
    404,
    409,
    422,
    args=ReasonInSchema,
)
def mandate_action(data: dict[str, Any], mandate_id: int, action: str) -> Any:
    """Accept or decline (withdraw) a proposal, or end a mandate by notice (reason required)."""
    with unit_of_work():
        if action == "accept":
            return mandates.accept_mandate(api_writer(), mandate_id, now=now())
        if action == "decline":
            return mandates.decline_mandate(
                api_writer(), mandate_id, now=now(), reason=data["reason"]
            )
        return mandates.terminate_mandate(api_writer(), mandate_id, data["reason"], now=now())


@blp.write(
    "/introductions",
    201,
    IntroductionOutSchema,
    (403, "No mandate in force"),
    409,
    args=IntroductionInSchema,
)
def introduce(data: dict[str, Any]) -> Any:
    """Introduce a buyer (buyer_org_id) to a listing, or a listing's seller to a need (need_id)."""
    with unit_of_work():
        return introductions.introduce(api_writer(), now=now(), **data)


@blp.read("/introductions", IntroductionListSchema, 401)
def my_introductions() -> dict[str, Any]:
    """The caller's introductions, newest first: those it made as a broker (the workbench)
    and those its organisation is a party to and answers (its brokers' page)."""
    return _as_broker_and_org(
        introductions.introductions_of_broker, introductions.introductions_of_org
    )


@blp.read("/introductions/<int:introduction_id>", IntroductionOutSchema, 404)
def get_introduction(introduction_id: int) -> Any:
    """An introduction, for its parties, its broker and the reviewers."""
    return introductions.visible_introduction(api_reader(), introduction_id)


@blp.write(
    "/introductions/<int:introduction_id>/<any(accept, decline):answer>",
    200,
    IntroductionOutSchema,
    404,
    409,
)
def answer_introduction(introduction_id: int, answer: str) -> Any:
    """A party accepts or declines; when both accept, a negotiation opens (negotiation_id)."""
    with unit_of_work():
        return introductions.respond_to_introduction(
            api_writer(), introduction_id, accept=answer == "accept", now=now()
        )


@blp.read("/statement", StatementSchema, (404, "The caller is not a broker"))
def statement() -> dict[str, Any]:
    """The caller's commission statement: deals, amounts, paid as the payments ledger says."""
    result = commissions.statement(api_reader())
    return {
        "lines": [
            {
                "deal_id": line.deal.id,
                "deal_title": line.deal.title,
                "deal_status": line.deal.status.value,
                "price_minor": line.commission.basis_minor,
                "commission_minor": line.commission.amount_minor,
                "currency": line.commission.currency,
                "payer": line.commission.payer.value,
                "mandate_id": line.commission.mandate_id,
                "paid": line.paid,
            }
            for line in result.lines
        ],
        "earned": result.earned,
        "paid": result.paid,
        "outstanding": result.outstanding,
    }
