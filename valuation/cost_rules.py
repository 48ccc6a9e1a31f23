"""The cost approach: reproduction cost less functional and economic obsolescence."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from core.domain import N_, ValidationFailed
from valuation.rules import BPS, ValueRange, round_half_up

# --- cost approach -----------------------------------------------------------------------

OBSOLESCENCE_STEP_BPS = 1_000  # the cost range: functional obsolescence ± 10 points


@dataclass(frozen=True)
class CostInputs:
    """Reproduction cost (R&D labour, materials, overhead, opportunity cost) and obsolescence."""

    labour_minor: int
    materials_minor: int
    overhead_minor: int
    opportunity_minor: int
    functional_obsolescence_bps: int
    economic_obsolescence_bps: int

    @property
    def reproduction_minor(self) -> int:
        return (
            self.labour_minor + self.materials_minor + self.overhead_minor + self.opportunity_minor
        )


@dataclass(frozen=True)
class CostResult:
    """Reproduction cost, the value after obsolescence and the range."""

    reproduction_minor: int
    value_minor: int
    range: ValueRange


def check_cost_inputs(inputs: CostInputs) -> None:
    """Raise ValidationFailed on a negative cost or an obsolescence outside 0–100%."""
    for name in ("labour_minor", "materials_minor", "overhead_minor", "opportunity_minor"):
        if getattr(inputs, name) < 0:
            raise ValidationFailed(
                N_("A cost cannot be negative."), field=name.removesuffix("_minor")
            )
    for name in ("functional_obsolescence_bps", "economic_obsolescence_bps"):
        if not 0 <= getattr(inputs, name) <= BPS:
            raise ValidationFailed(
                N_("Obsolescence must be between 0 and 100%."), field=name.removesuffix("_bps")
            )


def _cost_after(reproduction: int, functional_bps: int, economic_bps: int) -> int:
    return round_half_up(
        Fraction(reproduction * (BPS - functional_bps) * (BPS - economic_bps), BPS * BPS)
    )


def cost_value(inputs: CostInputs) -> CostResult:
    """Reproduction cost × (1 − functional obsolescence) × (1 − economic obsolescence)."""
    check_cost_inputs(inputs)
    repro = inputs.reproduction_minor
    functional, economic = inputs.functional_obsolescence_bps, inputs.economic_obsolescence_bps
    central = _cost_after(repro, functional, economic)
    return CostResult(
        reproduction_minor=repro,
        value_minor=central,
        range=ValueRange(
            _cost_after(repro, min(BPS, functional + OBSOLESCENCE_STEP_BPS), economic),
            central,
            _cost_after(repro, max(0, functional - OBSOLESCENCE_STEP_BPS), economic),
        ),
    )
