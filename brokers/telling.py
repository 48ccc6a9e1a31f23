"""What brokers' work tells people: mandates proposed and in force, introductions."""

from __future__ import annotations

from datetime import datetime

from accounts.models import Organisation
from brokers.models import Broker, Introduction, Mandate
from brokers.rules import last_day
from core.clock import as_utc
from core.extensions import db
from listings.models import Listing, TechNeed
from notifications.services import notify, notify_org
from notifications.watches import notify_watchers


def _title(listing_id: int | None, need_id: int | None) -> dict[str, str]:
    if listing_id is not None and (listing := db.session.get(Listing, listing_id)) is not None:
        return {"title": listing.title("zh_CN"), "title_en": listing.title("en")}
    need = db.session.get(TechNeed, need_id) if need_id is not None else None
    return {"title": need.title if need else ""}


def _parties(
    mandate: Mandate,
    *,
    to_broker: bool,
    to_principal: bool,
    event: str,
    now: datetime,
    **extra: str,
) -> None:
    params = {**_title(mandate.listing_id, mandate.need_id), **extra}
    link = f"/brokers/mandates/{mandate.id}"
    broker = db.session.get(Broker, mandate.broker_id)
    if to_broker and broker is not None:
        notify([broker.user_id], event, params=params, link=link, now=now)
    if to_principal:
        notify_org(mandate.principal_org_id, event, params=params, link=link, now=now)


def mandate_proposed(mandate: Mandate, *, by_broker: bool, now: datetime) -> None:
    """The side that did not propose is asked to accept (flushes)."""
    _parties(
        mandate, to_broker=not by_broker, to_principal=by_broker, event="mandate.proposed", now=now
    )


def mandate_active(mandate: Mandate, *, now: datetime) -> None:
    """Both sides learn the mandate binds (flushes)."""
    _parties(mandate, to_broker=True, to_principal=True, event="mandate.active", now=now)


def mandate_closed(mandate: Mandate, *, by_broker: bool, withdrawn: bool, now: datetime) -> None:
    """The other side learns a proposal was declined, or withdrawn by its proposer (flushes)."""
    _parties(
        mandate,
        to_broker=not by_broker,
        to_principal=by_broker,
        event="mandate.closed",
        now=now,
        outcome="撤回" if withdrawn else "被拒绝",
        outcome_en="withdrawn" if withdrawn else "declined",
    )


def mandate_terminated(mandate: Mandate, *, by_broker: bool, now: datetime) -> None:
    """The side that did not give notice learns the mandate's last day (flushes)."""
    end = mandate.terminates_at or mandate.ends_at
    _parties(
        mandate,
        to_broker=not by_broker,
        to_principal=by_broker,
        event="mandate.terminated",
        now=now,
        day=last_day(as_utc(end)).isoformat(),
    )


def introduction_proposed(introduction: Introduction, *, now: datetime) -> None:
    """Both introduced parties are asked to answer (flushes)."""
    params = _title(introduction.listing_id, introduction.need_id)
    link = f"/brokers/introductions/{introduction.id}"
    for org_id in (introduction.seller_org_id, introduction.buyer_org_id):
        notify_org(org_id, "introduction.proposed", params=params, link=link, now=now)


def introduction_declined(introduction: Introduction, *, now: datetime) -> None:
    """The broker learns which party declined (flushes): the introduction still protects them."""
    by = db.session.get(Organisation, introduction.declined_by_org_id)
    params = {
        **_title(introduction.listing_id, introduction.need_id),
        "organisation": by.display_name("zh_CN") if by else "",
        "organisation_en": by.display_name("en") if by else "",
    }
    notify(
        [introduction.broker.user_id],
        "introduction.declined",
        params=params,
        link=f"/brokers/introductions/{introduction.id}",
        now=now,
    )


def introduction_accepted(introduction: Introduction, *, now: datetime) -> None:
    """Both parties and the broker learn the introduction binds (flushes)."""
    params = _title(introduction.listing_id, introduction.need_id)
    link = f"/brokers/introductions/{introduction.id}"
    told = notify(
        [introduction.broker.user_id], "introduction.accepted", params=params, link=link, now=now
    )
    for org_id in (introduction.seller_org_id, introduction.buyer_org_id):
        told += notify_org(
            org_id, "introduction.accepted", params=params, link=link, now=now,
            except_user_id=told[0].user_id if told else None,
        )  # fmt: skip


def _broker_news(broker: Broker, how: tuple[str, str], *, now: datetime) -> None:
    """Those watching the broker learn the news (flushes)."""
    notify_watchers(
        "broker", broker.id, "watch.broker_changed",
        params={"name": broker.user.name, "how": how[0], "how_en": how[1]},
        link=f"/brokers/{broker.id}", now=now, told=[broker.user_id],
    )  # fmt: skip


def broker_decided(broker: Broker, *, accredited: bool, now: datetime) -> None:
    """The applicant learns the reviewer's decision; the broker's watchers learn an accreditation."""
    reason = broker.decision_reason or ""
    outcome = (
        ("已获批准", "granted") if accredited else ("未获批准：" + reason, "refused: " + reason)
    )
    notify(
        [broker.user_id], "broker.decided",
        params={"outcome": outcome[0], "outcome_en": outcome[1]},
        link="/brokers/workbench", now=now,
    )  # fmt: skip
    if accredited:
        day = broker.expires_on.isoformat()
        _broker_news(broker, (f"获得认证，有效期至 {day}", f"accredited until {day}"), now=now)


def broker_expiring(broker: Broker, *, now: datetime) -> None:
    """The broker is warned its accreditation expires soon; its watchers learn it too."""
    day = broker.expires_on.isoformat()
    notify(
        [broker.user_id], "broker.expiring", params={"day": day}, link="/brokers/workbench", now=now
    )
    _broker_news(broker, (f"认证将于 {day} 到期", f"accreditation expires on {day}"), now=now)
