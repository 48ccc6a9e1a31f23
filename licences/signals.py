"""Signals of licences; higher domains answer them without licences knowing them."""

from blinker import Namespace

_signals = Namespace()

# sender: the RoyaltyReport whose royalty was just posted on its deal's ledger; kwargs:
# deal, fee_minor (the market's fee on it), co_owners_minor (the other rights holders'
# shares of the licensor's proceeds), now, actor_id. Rewards sets the inventors' pool of
# the royalty (促进科技成果转化法 Art. 45: the pool recurs with each royalty).
royalty_posted = _signals.signal("royalty-posted")
