"""Fixtures of the payments tests (defined in helpers.py, shared with the page tests)."""

from tests.integration.payments.helpers import auction_market, stripe_on  # noqa: F401
