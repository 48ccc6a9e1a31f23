"""Signals of the deal ledger; other domains react without the deals package knowing them."""

from blinker import Namespace

_signals = Namespace()

# sender: the Deal, just flushed in the creating transaction (online sale or offline
# registration); kwargs: now, actor_id. Receivers write in that transaction, never commit.
deal_created = _signals.signal("deal-created")
# sender: the Deal; kwargs: now, at_fault_org_id (its deposit is forfeited, the others
# released; None: no fault), actor_id
deal_cancelled = _signals.signal("deal-cancelled")
# sender: the Deal; kwargs: now, actor_id
deal_signed = _signals.signal("deal-signed")
# sender: the acting User; kwargs: now. A receiver returns True when the actor may
# register deals closed at the physical market (brokers: an accredited broker).
may_register_offline = _signals.signal("may-register-offline")
