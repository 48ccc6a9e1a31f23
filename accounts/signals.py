"""Signals of accounts; higher layers answer them without accounts knowing them."""

from blinker import Namespace

_signals = Namespace()

# sender: the Organisation a reviewer just verified or refused (in the decision's
# transaction); kwargs: now. Notifications tells its members.
organisation_decided = _signals.signal("organisation-decided")
