"""Payments: one deal ledger (double entry) written by two channels, Stripe and bank transfer.

Modules: `rules` (pure: accounts, postings, fees), `models`, `ledger` (posting and
reading); use cases: `accruals` (a deal's settlement and its reversal), `payment_state`
(a payment's moves), `bank_rules` and `bank_transfer` (the market's accounts, the
reference a transfer quotes, its QR code), `card` (paying by card through Checkout), `card_events` (what
Stripe reports), `payouts` (connected accounts, payouts), `offline` (bank transfers
confirmed by a reviewer), `deposits` and `deposit_settlement` (保证金); `queries` (read
models), `stripe_channel` (the Stripe client and its queued operations), `stripe_queue` (the queue's runner), `webhooks`,
`reconciliation`, `handlers` (reactions to deals' signals), `cli`, `views`, `api`.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Connect the deal receivers and make the Stripe calls a request queued after it."""
    from core.clock import now
    from payments import bank_transfer, handlers, stripe_queue

    handlers.connect()
    bank_transfer.init_app(app)

    @app.after_request
    def _run_queued_stripe_calls(response):  # type: ignore[no-untyped-def]
        stripe_queue.run_after_request(now())
        return response
