"""Pure rules of a forfeited deposit (保证金): the seller is compensated, less the market's fee.

A winner who does not sign loses its deposit (DOMAIN: deposit rules); the loss is the
seller's, whose sale fell through, so the deposit goes to the seller after the market's
fee on it (FORFEIT_FEE_BPS, by default the platform's fee). No Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass

from payments.rules import Account, Leg, check_balanced, platform_fee


@dataclass(frozen=True)
class ForfeitSplit:
    """Who gets a forfeited deposit: the market's fee and the seller's compensation."""

    market_fee: int
    seller: int


def forfeit_split(amount_minor: int, fee_bps: int) -> ForfeitSplit:
    """The market keeps its fee (rounded half up to the fen); the seller gets the rest."""
    fee = platform_fee(amount_minor, fee_bps)
    return ForfeitSplit(market_fee=fee, seller=amount_minor - fee)


def deposit_forfeited_legs(
    org_id: int, amount: int, currency: str, *, seller_org_id: int, fee_bps: int
) -> list[Leg]:
    """The forfeited deposit is no longer held for its payer: owed to the seller, less the fee."""
    split = forfeit_split(amount, fee_bps)
    legs = [
        Leg(Account.DEPOSITS_HELD, amount, currency, org_id),
        Leg(Account.FORFEITED_DEPOSITS, -split.market_fee, currency),
        Leg(Account.SELLER_PAYABLE, -split.seller, currency, seller_org_id),
    ]
    legs = [leg for leg in legs if leg.amount_minor != 0]
    check_balanced(legs)
    return legs
