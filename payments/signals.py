"""Signals of payments; higher domains answer them without payments knowing them."""

from blinker import Namespace

_signals = Namespace()

# sender: the Deal whose accrual is being posted. Receivers return an iterable of
# payments.rules.Commission (the commissions the deal owes), deterministic and
# idempotent within the transaction; see core.signals.values_from_signal.
deal_commissions = _signals.signal("deal-commissions")

# sender: a deposit's context_type ("auction", "listed_sale"); kwargs: context_id.
# The receiver that owns that context returns when its period ends (UTC), else None.
deposit_period_end = _signals.signal("deposit-period-end")

# sender: a deposit's context_type; kwargs: context_id. The receiver that owns that
# context returns {"listing_id": ..., "link": "/path"}: what the deposit's notifications
# name and link to.
deposit_subject = _signals.signal("deposit-subject")

# sender: a deposit's context_type; kwargs: actor, context_id, now. The receiver that owns
# that context returns the Deposit the actor's organisation owes there, put on the ledger
# (`deposits.require_deposit`) if it was not, after its own checks of who may take part
# (a refusal is its DomainError); contexts a person does not join this way do not answer.
deposit_owed = _signals.signal("deposit-owed")

# sender: a deposit's context_type; kwargs: context_id, org_id, now. Sent when a deposit
# becomes held (a reviewer confirmed the transfer, or the card was authorised): the
# context's owner may act on it in the same transaction (auctions draw a bidder number).
deposit_held = _signals.signal("deposit-held")

# sender: a Payment of purpose "open_licence" whose card money arrived on Stripe; kwargs: now.
# licences grants the licence (once: a replayed event finds it granted).
open_licence_paid = _signals.signal("open-licence-paid")
