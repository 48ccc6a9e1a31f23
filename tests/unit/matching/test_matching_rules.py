"""Match scores: each component, the reasons shown, and properties over all inputs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from brokers.matching_rules import (
    EXTRA_SIGNAL_CAP,
    MAX_REASONS,
    NEED_LISTING_WEIGHTS,
    WEIGHTS,
    Interest,
    ListingProfile,
    MatchScore,
    NeedProfile,
    combine_signals,
    ipc_overlap,
    maturity_fit,
    price_fit,
    relative,
    same_region,
    score_interest,
    score_listing_for_need,
)

NEED = NeedProfile(
    field="energy",
    ipc_classes=("H01M 4/525",),
    budget_min_minor=20_000_000,
    budget_max_minor=80_000_000,
    min_trl=5,
    region="上海",
    transfer_modes=("assignment",),
)
GOOD = ListingProfile(
    field="energy",
    ipc_classes=("H01M 10/0525",),
    trl=6,
    asking_price_minor=50_000_000,
    region="上海市",
    transfer_modes=("assignment", "equity"),
)


def _texts(score: MatchScore) -> list[str]:
    return [reason.text() for reason in score.reasons]


def test_a_listing_that_fits_every_way_scores_high_and_says_why() -> None:
    score = score_listing_for_need(NEED, GOOD, relevance=1.0)
    assert score.score == 100.0
    texts = _texts(score)
    assert "IPC H01M shared" in texts
    assert "Price within budget" in texts
    assert "Same region: 上海" in texts
    assert "Same technology field" in texts
    assert "Mature enough: TRL 6 (at least 5 wanted)" in texts


def test_ranked_for_a_need_a_full_fit_still_scores_100_and_the_wording_outweighs_the_place() -> (
    None
):
    assert score_listing_for_need(NEED, GOOD, 1.0, NEED_LISTING_WEIGHTS).score == 100.0
    elsewhere = ListingProfile(**{**GOOD.__dict__, "region": "北京", "transfer_modes": ("equity",)})
    well_worded = score_listing_for_need(NEED, elsewhere, 1.0, NEED_LISTING_WEIGHTS)
    loosely_worded = score_listing_for_need(NEED, GOOD, 0.7, NEED_LISTING_WEIGHTS)
    assert well_worded.score > loosely_worded.score
    assert (
        score_listing_for_need(NEED, elsewhere, 1.0).score
        < score_listing_for_need(NEED, GOOD, 0.7).score
    )


def test_a_listing_of_another_field_class_and_place_scores_low_without_false_reasons() -> None:
    other = ListingProfile(field="biomed", ipc_classes=("A61K 36/00",), trl=2,
                           asking_price_minor=900_000_000, region="北京", transfer_modes=("equity",))  # fmt: skip
    score = score_listing_for_need(NEED, other, relevance=0.0)
    assert score.score < 10
    assert score.reasons == ()


def test_ipc_overlap_prefers_the_subclass_then_class_then_section() -> None:
    assert ipc_overlap(["H01M 4/525"], ["H01M"]) == (1.0, "H01M", "subclass")
    assert ipc_overlap(["H01M 4/525"], ["H01L 31/00"]) == (0.6, "H01", "class")
    assert ipc_overlap(["H01M"], ["H02J 7/00"]) == (0.25, "H", "section")
    assert ipc_overlap(["H01M"], ["A01B"]) == (0.0, None, "")
    assert ipc_overlap(["rubbish"], ["H01M"]) == (0.0, None, "")


def test_price_fit_within_below_above_and_unknown() -> None:
    assert price_fit(50, 20, 80) == (1.0, "within")
    assert price_fit(10, 20, 80) == (0.8, "below")
    assert price_fit(120, 20, 80) == (0.5, "above")
    assert price_fit(200, 20, 80)[0] == 0.0
    assert price_fit(None, 20, 80) == (0.5, "negotiable")
    assert price_fit(50, None, None) == (0.5, "no_budget")


def test_price_above_budget_is_said_with_how_much() -> None:
    pricey = ListingProfile(**{**GOOD.__dict__, "asking_price_minor": 100_000_000})
    assert "Price 25% above the budget" in _texts(score_listing_for_need(NEED, pricey, 0.0))


def test_maturity_and_region_rules() -> None:
    assert maturity_fit(6, 5) == 1.0
    assert maturity_fit(2, 5) == 0.0
    assert maturity_fit(9, None) == 1.0
    assert same_region("上海", "上海市") and same_region("广东省", "广东")
    assert not same_region("", "") and not same_region("上海", "北京")


def test_an_enterprise_that_negotiated_for_similar_technology_is_suggested() -> None:
    signal = score_interest(GOOD, Interest("negotiation", "energy", ("H01M 4/00",), 50_000_000))
    assert signal.score > 0
    assert "Negotiated for similar technology" in _texts(signal)
    assert score_interest(GOOD, Interest("bid", "biomed", ("A61K",), 1)).score == 0.0


def test_more_signals_add_a_capped_bonus_to_the_best() -> None:
    strong = score_listing_for_need(NEED, GOOD, relevance=0.5)
    weak = score_interest(GOOD, Interest("intent", "energy", (), None))
    combined = combine_signals([weak, strong, weak, weak, weak, weak])
    assert combined.score == min(100.0, strong.score + EXTRA_SIGNAL_CAP)
    assert "6 signs of interest" in _texts(combined)
    assert combine_signals([]).score == 0.0


profiles = st.builds(
    ListingProfile,
    field=st.sampled_from(["energy", "biomed", "ict"]),
    ipc_classes=st.lists(
        st.sampled_from(["H01M 4/525", "H01L", "A61K 9/00", "G06F"]), max_size=3
    ).map(tuple),
    trl=st.integers(1, 9),
    asking_price_minor=st.one_of(st.none(), st.integers(1, 10**10)),
    region=st.sampled_from(["上海", "北京市", ""]),
    transfer_modes=st.lists(st.sampled_from(["assignment", "equity"]), max_size=2).map(tuple),
)
needs = st.builds(
    NeedProfile,
    field=st.sampled_from(["energy", "biomed", "ict"]),
    ipc_classes=st.lists(st.sampled_from(["H01M", "H02J 7/00", "A61K", "G06N"]), max_size=3).map(
        tuple
    ),
    budget_min_minor=st.one_of(st.none(), st.integers(1, 10**8)),
    budget_max_minor=st.one_of(st.none(), st.integers(10**8, 10**10)),
    min_trl=st.one_of(st.none(), st.integers(1, 9)),
    region=st.sampled_from(["上海市", "北京", ""]),
    transfer_modes=st.lists(st.sampled_from(["assignment", "equity"]), max_size=2).map(tuple),
)


@given(needs, profiles, st.floats(-1, 2, allow_nan=False), st.booleans())
def test_scores_stay_between_0_and_100_with_a_few_reasons(
    need, listing, relevance, for_need
) -> None:
    weights = NEED_LISTING_WEIGHTS if for_need else WEIGHTS
    score = score_listing_for_need(need, listing, relevance, weights)
    assert 0.0 <= score.score <= 100.0
    assert len(score.reasons) <= MAX_REASONS
    assert all(reason.text() for reason in score.reasons)


@given(needs, profiles, st.floats(0, 1, allow_nan=False), st.floats(0, 1, allow_nan=False))
def test_more_relevant_text_never_lowers_the_score(need, listing, low, high) -> None:
    low, high = sorted((low, high))
    assert (
        score_listing_for_need(need, listing, low).score
        <= score_listing_for_need(need, listing, high).score
    )


@given(needs, profiles)
def test_sharing_the_need_field_never_lowers_the_score(need, listing) -> None:
    elsewhere = ListingProfile(**{**listing.__dict__, "field": "other"})
    same = ListingProfile(**{**listing.__dict__, "field": need.field})
    assert (
        score_listing_for_need(need, elsewhere, 0.5).score
        <= score_listing_for_need(need, same, 0.5).score
    )


@given(st.lists(st.floats(0, 1000, allow_nan=False), max_size=20))
def test_relative_relevance_is_a_share_of_the_best(scores) -> None:
    shares = relative(scores)
    assert all(0.0 <= s <= 1.0 for s in shares)
    if scores and max(scores) > 0:
        assert max(shares) == 1.0


def test_an_enterprise_shows_each_kind_of_reason_once_with_its_strongest_figure() -> None:
    strong = score_listing_for_need(NEED, GOOD, relevance=0.9)
    weak = score_listing_for_need(NEED, GOOD, relevance=0.3)
    combined = combine_signals([weak, strong])
    codes = [reason.code for reason in combined.reasons]
    assert len(codes) == len(set(codes))
    assert "Similar wording (90% of the best text match)" in _texts(combined)
