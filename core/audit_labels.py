"""What an audit action code (`listing.create`, `deal.cancel`) means to a person.

One table for every page that lists history. An action is `<object>.<verb>`; most verbs
mean the same whatever the object, so `VERBS` labels them once, and `ACTIONS` names the
few whose meaning depends on the object (a deposit "applied" to the price is not a
broker "applying" for accreditation). The labels are English source strings translated
at display time.
"""

from __future__ import annotations

import re

from flask_babel import gettext, pgettext

from core.domain import N_, NP_

ACTION = "audit action"  # the words' msgctxt, written out in each NP_: extraction reads literals

ACTIONS: dict[str, str] = {
    "event.schedule": NP_("audit action", "Event scheduled"),
    "event.cancel": NP_("audit action", "Event cancelled"),
    "event.register": NP_("audit action", "Registered for the event"),
    "event.unregister": NP_("audit action", "Registration for the event cancelled"),
    "event.interest": NP_("audit action", "Interest shown in a pitched listing"),
    "event.material_add": NP_("audit action", "Event material added"),
    "deal.trade_record": NP_("audit action", "Import/export record completed"),
    "deal.trade_check": NP_("audit action", "Import/export record checked"),
    "deal.trade_certificate": NP_(
        "audit action", "Import/export registration certificate recorded"
    ),
    "open_licence.declare": NP_("audit action", "Open licence declared"),
    "open_licence.publish": NP_("audit action", "Open licence published"),
    "open_licence.refuse": NP_("audit action", "Open licence declaration refused"),
    "open_licence.withdraw": NP_("audit action", "Open licence withdrawn"),
    "open_licence_grant.notice": NP_("audit action", "Notice of taking an open licence"),
    "open_licence_grant.paid": NP_("audit action", "Licence fee received"),
    "open_licence_grant.grant": NP_("audit action", "Open licence granted"),
    "patent_status.record": NP_("audit action", "Legal status recorded"),
    "pledgee_consent.record": NP_("audit action", "Pledgee's consent recorded"),
    "broker.apply": NP_("audit action", "Applied for accreditation"),
    "broker.accredited": NP_("audit action", "Accreditation granted"),
    "broker.refused": NP_("audit action", "Accreditation refused"),
    "broker.profile": NP_("audit action", "Profile updated"),
    "broker.rate": NP_("audit action", "Broker rated"),
    "deposit.apply": NP_("audit action", "Deposit applied to the price"),
    "deposit.move": NP_("audit action", "Deposit moved to the auction"),
    "deposit.release": NP_("audit action", "Deposit released"),
    "deposit.forfeit": NP_("audit action", "Deposit forfeited"),
    "deposit.require": NP_("audit action", "Deposit required"),
    "deposit.confirm": NP_("audit action", "Deposit receipt confirmed"),
    "deposit.hold_by_card": NP_("audit action", "Deposit held on a card"),
    "deposit.refund_made": NP_("audit action", "Deposit refunded"),
    "deal.cancel": NP_("audit action", "Deal cancelled"),
    "deal.create": NP_("audit action", "Deal created"),
    "deal.paid": NP_("audit action", "Paid in full"),
    "listing.sale_state": NP_("audit action", "Sale state changed"),
    "listing.import_create": NP_("audit action", "Imported from a portfolio"),
    "listing.import_update": NP_("audit action", "Updated from a portfolio import"),
    "need.post": NP_("audit action", "Need posted"),
    "valuation.formal": NP_("audit action", "Formal valuation report issued"),
    "valuation.indicative": NP_("audit action", "Indicative valuation saved"),
    "valuation.share": NP_("audit action", "Report shared with a bank"),
    "valuation.unshare": NP_("audit action", "Report no longer shared with a bank"),
    "evaluation.record": NP_("audit action", "Evaluation recorded"),
    "licence_deal.grant": NP_("audit action", "Licence granted"),
    "royalty.report": NP_("audit action", "Royalty report filed"),
    "royalty.remind": NP_("audit action", "Royalty report reminded"),
    "royalty.late": NP_("audit action", "Royalty report late"),
    "listing.offers": NP_("audit action", "Licence offers set"),
    "listing.rights_holders": NP_("audit action", "Rights holders named"),
    "listing.rights_agreement": NP_("audit action", "Rights agreement attached"),
    "listing.rights_agreement_signed_off": NP_("audit action", "Rights agreement signed off"),
    "listing.co_owner_consent": NP_("audit action", "Co-owner's consent recorded"),
    "listing.inventors_set": NP_("audit action", "Inventors named"),
    "deal_reward.award": NP_("audit action", "Inventors' reward awarded"),
    "deal_reward.royalty": NP_("audit action", "Inventors' reward on a royalty"),
    "notice.publish": NP_("audit action", "Public notice published"),
    "notice.running": NP_("audit action", "Public notice running"),
    "notice.clean": NP_("audit action", "Public notice ended without an upheld objection"),
    "notice.fallen": NP_("audit action", "Public notice fell on an objection"),
    "organisation.verified": NP_("audit action", "Organisation verified"),
    "organisation.rejected": NP_("audit action", "Organisation verification refused"),
    "organisation.pending": NP_("audit action", "Organisation sent back for verification"),
    "organisation.register": NP_("audit action", "Organisation registered"),
    "payment.succeeded": NP_("audit action", "Payment received"),
    "payment.failed": NP_("audit action", "Payment failed"),
    "payment.refunded": NP_("audit action", "Payment refunded"),
    "payment.cancelled": NP_("audit action", "Card hold released"),
    "payment.requires_capture": NP_("audit action", "Card held"),
    "payment.pending": NP_("audit action", "Waiting for payment"),
    "payment.receipt_submitted": NP_("audit action", "Receipt submitted"),
    "payment.rejected": NP_("audit action", "Receipt rejected"),
    "payout.paid": NP_("audit action", "Payout made"),
    "payout.failed": NP_("audit action", "Payout failed"),
    "payout.blocked": NP_("audit action", "Payout blocked"),
    "payout.pending": NP_("audit action", "Payout waiting"),
    "reference_rate.admin": NP_("audit action", "Reference rate set"),
    "reference_rate.import": NP_("audit action", "Reference rate imported"),
    "user.sign_up": NP_("audit action", "Signed up"),
    "user.accept_terms": NP_("audit action", "Accepted the new terms"),
    "user.sign_out": NP_("audit action", "Signed out"),
    "user.create_platform": NP_("audit action", "Platform account created"),
    "user.password_change": NP_("audit action", "Password changed"),
    "valuation_request.request": NP_("audit action", "Valuation requested"),
}

VERBS: dict[str, str] = {
    "accept": NP_("audit action", "Accepted"),
    "accepted": NP_("audit action", "Accepted"),
    "active": NP_("audit action", "In force"),
    "adjust": NP_("audit action", "Adjusted"),
    "applied": NP_("audit action", "Applied by the rules"),
    "approve": NP_("audit action", "Approved"),
    "bid": NP_("audit action", "Bid placed"),
    "broker_commission": NP_("audit action", "Broker's commission recorded"),
    "cancellation_agreed": NP_("audit action", "Cancellation agreed"),
    "cancellation_applied": NP_("audit action", "Cancellation applied by the rules"),
    "cancellation_declined": NP_("audit action", "Cancellation declined"),
    "cancellation_dismissed": NP_("audit action", "Cancellation request dismissed"),
    "cancellation_proposed": NP_("audit action", "Cancellation proposed"),
    "cancellation_requested": NP_("audit action", "Cancellation requested from the market"),
    "cancellation_upheld": NP_("audit action", "Cancellation request upheld"),
    "cancellation_withdrawn": NP_("audit action", "Cancellation withdrawn"),
    "cancelled": NP_("audit action", "Cancelled"),
    "capture_before": NP_("audit action", "Card hold deadline recorded"),
    "capture_before_lapse": NP_("audit action", "Card hold captured before it lapsed"),
    "close": NP_("audit action", "Closed"),
    "closed": NP_("audit action", "Closed"),
    "completed": NP_("audit action", "Completed"),
    "compute": NP_("audit action", "Computed"),
    "confirm": NP_("audit action", "Confirmed"),
    "counter": NP_("audit action", "Counter-offer made"),
    "create": NP_("audit action", "Created"),
    "decline": NP_("audit action", "Declined"),
    "declined": NP_("audit action", "Declined"),
    "define": NP_("audit action", "Defined"),
    "delete": NP_("audit action", "Deleted"),
    "document_add": NP_("audit action", "Document added"),
    "evidence_add": NP_("audit action", "Ownership evidence added"),
    "evidence_remove": NP_("audit action", "Ownership evidence removed"),
    "failed": NP_("audit action", "Failed"),
    "feature": NP_("audit action", "Featured on the home page"),
    "finish": NP_("audit action", "Finished"),
    "frequency": NP_("audit action", "Alert frequency changed"),
    "hold_lapsed": NP_("audit action", "Card hold lapsed"),
    "image_add": NP_("audit action", "Image added"),
    "image_remove": NP_("audit action", "Image removed"),
    "image_strip_metadata": NP_("audit action", "Image rewritten without its metadata"),
    "intent": NP_("audit action", "Intention to buy registered"),
    "intent_withdraw": NP_("audit action", "Intention to buy withdrawn"),
    "issue": NP_("audit action", "Issued"),
    "issued": NP_("audit action", "Issued"),
    "objection": NP_("audit action", "Objection raised"),
    "objection_decide": NP_("audit action", "Objection decided"),
    "offer": NP_("audit action", "Offer made"),
    "open": NP_("audit action", "Opened"),
    "paid": NP_("audit action", "Paid"),
    "propose": NP_("audit action", "Proposed"),
    "proposed": NP_("audit action", "Proposed"),
    "publish": NP_("audit action", "Published"),
    "publish_announcement": NP_("audit action", "Announcement published"),
    "raise_max": NP_("audit action", "Maximum bid raised"),
    "refuse": NP_("audit action", "Refused"),
    "refuse_announcement": NP_("audit action", "Announcement refused"),
    "register": NP_("audit action", "Registered"),
    "register_offline": NP_("audit action", "Registered as closed offline"),
    "registration_certificate": NP_("audit action", "Registration certificate added"),
    "registration_details": NP_("audit action", "Registration details recorded"),
    "reject": NP_("audit action", "Rejected"),
    "reject_receipt": NP_("audit action", "Receipt rejected"),
    "reopen": NP_("audit action", "Reopened"),
    "request": NP_("audit action", "Requested"),
    "revoke": NP_("audit action", "Revoked"),
    "rights_registered": NP_("audit action", "Rights registered"),
    "rotate_secret": NP_("audit action", "Secret renewed"),
    "send_again": NP_("audit action", "Sent again"),
    "set": NP_("audit action", "Settings changed"),
    "signed": NP_("audit action", "Contract signed"),
    "start": NP_("audit action", "Started"),
    "submit": NP_("audit action", "Submitted for review"),
    "submit_receipt": NP_("audit action", "Receipt submitted"),
    "take": NP_("audit action", "Taken on"),
    "terminate": NP_("audit action", "Notice of termination given"),
    "terminated": NP_("audit action", "Terminated"),
    "update": NP_("audit action", "Updated"),
    "verified": NP_("audit action", "Verified"),
    "withdraw": NP_("audit action", "Withdrawn"),
}


def action_source(code: str) -> str | None:
    """The English source string of an action code, or None when no table has it."""
    if code in ACTIONS:
        return ACTIONS[code]
    return VERBS.get(code.partition(".")[2])


def in_context(context: str, source: str | None, otherwise: str) -> str:
    """`source` (marked NP_(context, ...)) in the reader's language; `otherwise` without one."""
    return pgettext(context, source) if source else otherwise


def action_label(code: str) -> str:
    """An action code in the reader's language; an unknown one reads as a plain change."""
    return in_context(ACTION, action_source(code), gettext("Changed"))


# Reasons the market itself writes (a person's reason is their own words, shown as written).
REASONS: dict[str, str] = {
    "paid in full": N_("paid in full"),
    "forfeited deposit": N_("the deposit was forfeited"),
    "listed_sale": N_("turned from a listed sale into an auction"),
    "listed_sale.no_buyer": N_("the listed sale ended without a buyer"),
    "auction.sold": N_("sold at auction"),
    "auction.no_bids": N_("the auction ended without bids"),
    "auction.reserve_not_met": N_("the auction ended below the reserve price"),
    "auction.announcement_refused": N_("the auction's announcement was refused"),
    "notice.fallen": N_("the sale did not stand its public notice"),
}
_NEGOTIATED = re.compile(r"agreed in negotiation (\d+)")


def reason_label(reason: str | None) -> str:
    """An audit entry's reason in the reader's language when the market wrote it."""
    if not reason:
        return ""
    if reason in REASONS:
        return gettext(REASONS[reason])
    if negotiated := _NEGOTIATED.fullmatch(reason):
        return gettext("agreed in negotiation %(number)s", number=negotiated.group(1))
    return reason
