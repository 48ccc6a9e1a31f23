"""Signals of listings; higher domains answer them without listings knowing them."""

from blinker import Namespace

_signals = Namespace()

# sender: the Listing shown on its page; kwargs: viewer (the current user or anonymous),
# now. Receivers return a dict of template context (their panel: sale, auction,
# valuation, similar listings) or None; see core.signals.merged_from_signal.
listing_page = _signals.signal("listing-page")

# sender: the TechNeed shown on its page; kwargs: viewer, now. Receivers return a dict
# of template context (e.g. brokers: may_match) or None.
need_page = _signals.signal("need-page")

# sender: a Listing (the API's GET /api/v1/listings/<id>); kwargs: viewer (a User or None),
# now. Receivers return None or {"channels": [...], "actions": [...]}: each channel a dict
# with channel (listed_sale, negotiation, public_notice, auction), id, state, price_minor,
# currency, deadline and allowed_actions; `actions` are what the viewer may start on the
# listing (e.g. start_listed_sale, negotiate). They only read.
listing_sale = _signals.signal("listing-sale")

# sender: the User who offers to evaluate a listing (科技成果评价); kwargs: listing_id, now.
# Receivers return a listings.evaluation_rules.Evaluator (brokers: the actor's accreditation,
# agency, grade and mandates on the listing) or None.
evaluator_of = _signals.signal("evaluator-of")
