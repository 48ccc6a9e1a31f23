"""The market's event types: what it tells people, by default how, and in which words.

Pure: no database, no Flask. The texts are message ids (`N_`) translated when a
notification is shown or mailed, in the reader's language, with its `params`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from core.domain import N_


class EmailMode(enum.StrEnum):
    """How a user wants an event type by email."""

    INSTANT = "instant"
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


class EmailState(enum.StrEnum):
    """Where a notification's email stands; the row is the record, so nothing is lost."""

    PENDING = "pending"  # to send as soon as the delivery job runs
    DIGEST = "digest"  # waits for the recipient's daily digest
    WEEKLY = "weekly"  # waits for the recipient's weekly digest
    SENT = "sent"
    FAILED = "failed"  # gave up after MAX_ATTEMPTS (the inbox still has it)
    NONE = "none"  # email off for this event


@dataclass(frozen=True)
class EventType:
    """One kind of event: its label for the preferences page and its message."""

    key: str
    label: str
    subject: str  # message id with %(name)s parameters
    email: EmailMode = EmailMode.INSTANT


EVENTS: dict[str, EventType] = {
    event.key: event
    for event in (
        EventType(
            "auction.outbid",
            N_("Outbid in an auction"),
            N_("You have been outbid on “%(title)s”: the price is now %(price)s."),
        ),
        EventType(
            "auction.ending",
            N_("An auction ends within the hour"),
            N_("The auction of “%(title)s” ends within the hour; the price is %(price)s."),
        ),
        EventType(
            "auction.won", N_("Auction won"), N_("You won the auction of “%(title)s” at %(price)s.")
        ),
        EventType(
            "auction.lost",
            N_("Auction lost"),
            N_("The auction of “%(title)s” has closed without you as the winner: %(outcome)s."),
        ),
        EventType(
            "auction.result",
            N_("Result of my auction"),
            N_("The auction of “%(title)s” has closed: %(outcome)s."),
        ),
        EventType(
            "auction.announcement_published",
            N_("Auction announcement published"),
            N_("The announcement of the auction of “%(title)s” is published."),
        ),
        EventType(
            "auction.announcement_refused",
            N_("Auction announcement refused"),
            N_("The announcement of the auction of “%(title)s” was refused: %(reason)s"),
        ),
        EventType(
            "deposit.confirmed",
            N_("Deposit confirmed"),
            N_("Your deposit of %(amount)s for “%(title)s” is confirmed: you may bid or buy."),
        ),
        EventType(
            "deposit.rejected",
            N_("Deposit receipt refused"),
            N_("Your deposit receipt for “%(title)s” was refused: %(reason)s"),
        ),
        EventType(
            "listing.ownership_confirmed",
            N_("Ownership confirmed"),
            N_("Ownership of “%(title)s” is confirmed: you can publish it."),
        ),
        EventType(
            "listing.ownership_refused",
            N_("Ownership refused"),
            N_("Ownership of “%(title)s” was not confirmed: %(reason)s"),
        ),
        EventType(
            "sale.intent",
            N_("Intent registered on my listed sale"),
            N_("%(organisation)s registered intent to buy “%(title)s”."),
        ),
        EventType(
            "negotiation.opened",
            N_("A negotiation opened with me"),
            N_("%(organisation)s opened a negotiation with you on “%(title)s”."),
        ),
        EventType(
            "negotiation.offer",
            N_("Offer or counter-offer"),
            N_("New offer of %(price)s on “%(title)s”."),
        ),
        EventType(
            "negotiation.message",
            N_("A message in a negotiation"),
            N_("%(organisation)s wrote to you in the negotiation on “%(title)s”."),
        ),
        EventType(
            "negotiation.agreed",
            N_("Price agreed"),
            N_("The price of “%(title)s” is agreed at %(price)s; the public notice runs now."),
        ),
        EventType(
            "deposit.released",
            N_("Deposit released"),
            N_("Your deposit of %(amount)s for “%(title)s” is released and will be refunded."),
        ),
        EventType(
            "deposit.forfeited",
            N_("Deposit forfeited"),
            N_("Your deposit of %(amount)s for “%(title)s” is forfeited under the market's rules."),
        ),
        EventType(
            "deal.cancel_proposed",
            N_("A party proposes to cancel a deal"),
            N_(
                "%(organisation)s proposes to cancel the deal for “%(title)s”: %(reason)s. "
                "Nothing changes unless you confirm."
            ),
        ),
        EventType(
            "deal.cancel_requested",
            N_("A party asks the market to cancel a deal"),
            N_(
                "%(organisation)s asked the market to cancel the deal for “%(title)s”: "
                "%(reason)s. A reviewer will rule."
            ),
        ),
        EventType(
            "deal.cancel_answered",
            N_("A proposal to cancel a deal answered"),
            N_("The proposal to cancel the deal for “%(title)s” was %(outcome)s."),
        ),
        EventType(
            "deal.cancel_ruled",
            N_("Ruling on a request to cancel a deal"),
            N_("The request to cancel the deal for “%(title)s” was %(outcome)s."),
        ),
        EventType(
            "deal.cancelled",
            N_("Deal cancelled"),
            N_("The deal for “%(title)s” is cancelled %(how)s."),
        ),
        EventType(
            "mandate.proposed",
            N_("Mandate proposed"),
            N_("A broker mandate for “%(title)s” awaits your acceptance."),
        ),
        EventType(
            "mandate.active",
            N_("Mandate in force"),
            N_("The broker mandate for “%(title)s” is accepted by both sides and in force."),
        ),
        EventType(
            "mandate.closed",
            N_("Mandate proposal declined or withdrawn"),
            N_("The proposed broker mandate for “%(title)s” was %(outcome)s."),
        ),
        EventType(
            "mandate.terminated",
            N_("Notice to end a mandate"),
            N_(
                "Notice was given to end the broker mandate for “%(title)s”: it stays in "
                "force until %(day)s."
            ),
        ),
        EventType(
            "introduction.proposed",
            N_("Introduction by a broker"),
            N_("A broker introduced the parties for “%(title)s”: please accept or decline."),
        ),
        EventType(
            "introduction.declined",
            N_("My introduction declined"),
            N_(
                "%(organisation)s declined your introduction for “%(title)s”; it stays on "
                "record within the mandate's term."
            ),
        ),
        EventType(
            "valuation.declined",
            N_("Valuation request declined"),
            N_("The valuer declined your valuation request for “%(title)s”: %(reason)s"),
        ),
        EventType(
            "valuation.issued",
            N_("Valuation report issued"),
            N_("The valuation report for “%(title)s” is issued."),
        ),
        EventType(
            "open_licence.published",
            N_("Open licence published"),
            N_("Your open licence of patent %(name)s (“%(title)s”) is published."),
        ),
        EventType(
            "open_licence.refused",
            N_("Open licence refused"),
            N_("Your open-licence declaration of patent %(name)s is refused: %(reason)s"),
        ),
        EventType(
            "open_licence.notice",
            N_("Notice of taking an open licence"),
            N_("%(organisation)s gave notice that it takes the open licence of “%(title)s”."),
        ),
        EventType(
            "open_licence.granted",
            N_("Open licence granted"),
            N_("Licence %(name)s of “%(title)s” is granted to %(organisation)s."),
        ),
        EventType(
            "open_licence.withdrawn",
            N_("Open licence withdrawn"),
            N_(
                "The open licence of patent %(name)s is withdrawn as of %(day)s; your licence stays in force."
            ),
        ),
        EventType(
            "licence.proposed",
            N_("Licence offered to you"),
            N_(
                "%(organisation)s grants you a licence of “%(title)s” (deal %(name)s): sign it on the deal page."
            ),
        ),
        EventType(
            "royalty.reported",
            N_("Royalty reported"),
            N_("Royalty of %(amount)s reported for “%(title)s”, period %(period)s."),
        ),
        EventType(
            "reward.set",
            N_("My inventor's reward is set"),
            N_("Your inventor's reward for “%(title)s” is set: %(amount)s."),
        ),
        EventType(
            "co_owner.consent_asked",
            N_("A result my organisation co-owns needs its consent"),
            N_(
                "%(organisation)s names your organisation a co-owner of “%(title)s”: it is "
                "sold or licensed only once you consent."
            ),
        ),
        EventType(
            "royalty.reminder",
            N_("Royalty report due soon"),
            N_("The royalty report of “%(title)s” for period %(period)s is due on %(day)s."),
        ),
        EventType(
            "royalty.late",
            N_("Royalty report late"),
            N_(
                "The royalty report of “%(title)s” for period %(period)s was due on %(day)s and is late."
            ),
        ),
        EventType(
            "watch.auction_bid",
            N_("New bid in an auction I watch"),
            N_("New bid in the auction of “%(title)s”: the price is now %(price)s."),
            EmailMode.DAILY,
        ),
        EventType(
            "watch.auction_closed",
            N_("An auction I watch has closed"),
            N_("The auction of “%(title)s” has closed: %(outcome)s."),
        ),
        EventType(
            "watch.listing_for_sale",
            N_("A listing I watch goes on sale"),
            N_("“%(title)s” is now for sale: %(how)s."),
        ),
        EventType(
            "notice.objection",
            N_("Objection to a public notice"),
            N_("An objection was lodged against the public notice of “%(title)s”."),
        ),
        EventType(
            "notice.objection_decided",
            N_("Objection decided"),
            N_("The objection to the public notice of “%(title)s” was %(outcome)s."),
        ),
        EventType(
            "organisation.verified",
            N_("Organisation verified or refused"),
            N_("%(organisation)s: verification %(outcome)s."),
        ),
        EventType(
            "auction.starting",
            N_("An auction I may bid in opens"),
            N_("The auction of “%(title)s” is open for bids from %(price)s."),
        ),
        EventType(
            "broker.decided",
            N_("My broker accreditation decided"),
            N_("Your accreditation as a technology broker was %(outcome)s."),
        ),
        EventType(
            "broker.expiring",
            N_("My broker accreditation expires soon"),
            N_("Your accreditation as a technology broker expires on %(day)s: renew it in time."),
        ),
        EventType(
            "introduction.accepted",
            N_("Introduction accepted by both parties"),
            N_("Both parties accepted the introduction for “%(title)s”: it now binds."),
        ),
        EventType(
            "deal.milestone",
            N_("A deal reached a milestone"),
            N_("The deal for “%(title)s” reached a milestone: %(milestone)s."),
        ),
        EventType(
            "deal.overdue",
            N_("A deal's next milestone is overdue"),
            N_(
                "The deal for “%(title)s” has waited %(days)s days for its next step: "
                "%(milestone)s."
            ),
        ),
        EventType(
            "payment.received",
            N_("Payment received on a deal"),
            N_("A payment of %(amount)s for “%(title)s” was received by the market."),
        ),
        EventType(
            "payout.paid",
            N_("Payout made"),
            N_("The market paid out %(amount)s to you for “%(title)s”."),
        ),
        EventType(
            "need.match",
            N_("A new listing matches my open need"),
            N_("New on the market for your need “%(name)s”: “%(title)s”."),
        ),
        EventType(
            "watch.need_changed",
            N_("A need I watch changed"),
            N_("The technology need “%(title)s” %(how)s."),
        ),
        EventType(
            "watch.broker_changed",
            N_("News of a broker I watch"),
            N_("Broker %(name)s: %(how)s."),
        ),
        EventType(
            "event.reminder",
            N_("An event I registered for starts soon"),
            N_("The event “%(event)s” starts at %(starts_at)s."),
        ),
        EventType(
            "event.contact",
            N_("Contact asked for at an event"),
            N_(
                "At the event “%(event)s”, %(org)s (%(email)s) asked for contact about “%(title)s”."
            ),
        ),
        EventType(
            "event.introduction",
            N_("Introduction asked for at an event"),
            N_(
                "At the event “%(event)s”, %(org)s (%(email)s) asked for an introduction "
                "to “%(title)s”."
            ),
        ),
        EventType(
            "search.alert",
            N_("A new result matches my saved search"),
            N_("New on the market for your search “%(name)s”: “%(title)s”."),
        ),
    )
}
