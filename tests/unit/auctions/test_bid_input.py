"""The bid's lean parse (`BidInSchema.plain_load`) agrees with the full `load`: what it
takes it reads alike, and it leaves to `load` everything `load` refuses."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import ValidationError

from auctions.schemas import MAX_BID_MINOR, BidInSchema
from core.bounds import DEFAULTS
from core.schema_kit import bound_fields

SCHEMA = bound_fields(BidInSchema(), strict=True)  # as the endpoint has it: strict integers
TOP = min(MAX_BID_MINOR, DEFAULTS["MAX_AMOUNT_MINOR"])

amounts = st.one_of(
    st.integers(min_value=-2, max_value=TOP + 2),
    st.sampled_from([0, 1, TOP, TOP + 1, MAX_BID_MINOR + 1, -1]),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
)
bodies = st.one_of(
    st.fixed_dictionaries(
        {"amount_minor": amounts},
        optional={"max_minor": amounts, "note": st.text(max_size=3)},
    ),
    st.lists(st.integers(), max_size=2),
    st.integers(),
    st.none(),
)


@given(bodies)
def test_the_lean_parse_agrees_with_the_full_load(body: Any) -> None:
    try:
        loaded = SCHEMA.load(body)
    except ValidationError:
        assert SCHEMA.plain_load(body) is None
        return
    plain = SCHEMA.plain_load(body)
    assert plain is None or plain == loaded


@pytest.mark.parametrize(
    "body",
    [
        {"amount_minor": 1_050_000},
        {"amount_minor": 1_050_000, "max_minor": 2_000_000},
        {"amount_minor": 1_050_000, "max_minor": None, "unknown": "ignored"},
    ],
)
def test_a_well_formed_bid_takes_the_lean_parse(body: dict[str, Any]) -> None:
    assert SCHEMA.plain_load(body) == SCHEMA.load(body)
