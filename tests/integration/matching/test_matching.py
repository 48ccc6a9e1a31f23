"""Matching on a real database and search index: who is suggested, why, and who may look."""

from __future__ import annotations

from pathlib import Path

import pytest

from brokers import matching
from core.domain import NotFound, PermissionDenied
from listings import needs
from listings.rules import ListingStatus
from tests import factories
from trading import negotiations

pytestmark = pytest.mark.usefixtures("db_session", "fresh_search")


def _published(owner, now, folder: Path, **overrides):  # type: ignore[no-untyped-def]
    return factories.listing(owner, now, status=ListingStatus.PUBLISHED, folder=folder, **overrides)


def _texts(match) -> list[str]:  # type: ignore[no-untyped-def]
    return [reason.text() for reason in match.reasons]


def test_a_need_is_matched_with_the_best_fitting_listings_and_says_why(
    clock, upload_folder: Path
) -> None:
    now = clock()
    university = factories.seller(now)
    buyer = factories.enterprise(now)
    best = _published(university, now, upload_folder,
                      title_zh="一种高镍三元正极材料的包覆改性方法", region="上海市",
                      ipc_classes=("H01M 4/525",), asking_price_minor=50_000_000, trl=6)  # fmt: skip
    near = _published(university, now, upload_folder,
                      title_zh="一种正极材料回收工艺", region="北京市",
                      ipc_classes=("H01M 10/54",), asking_price_minor=300_000_000, trl=4)  # fmt: skip
    unrelated = _published(university, now, upload_folder, title_zh="一种奶牛养殖环境监测系统",
                           field="agriculture", ipc_classes=("A01K 29/00",))  # fmt: skip
    draft = factories.listing(university, now, title_zh="一种高镍正极材料的未发布方法")
    own = _published(buyer, now, upload_folder, title_zh="一种高镍正极材料包覆方法（本企业）")
    need = factories.need(buyer, now, min_trl=5)

    found = matching.matches_for_need(buyer, need.id, now=now)
    ids = [m.listing.id for m in found]
    assert ids[0] == best.id
    assert ids.index(near.id) > 0
    assert unrelated.id not in ids[:2]
    assert draft.id not in ids and own.id not in ids
    top = _texts(found[0])
    assert "IPC H01M shared" in top
    assert "Price within budget" in top
    assert "Same region: 上海市" in top
    assert found[0].score > found[ids.index(near.id)].score


def test_sold_or_reserved_listings_are_not_suggested(clock, upload_folder: Path) -> None:
    now = clock()
    university = factories.seller(now)
    buyer = factories.enterprise(now)
    listing = _published(university, now, upload_folder, title_zh="一种高镍正极材料的包覆方法")
    need = factories.need(buyer, now)
    assert [m.listing.id for m in matching.matches_for_need(buyer, need.id, now=now)] == [
        listing.id
    ]
    from listings.rules import SaleState
    from listings.services import set_sale_state

    set_sale_state(listing.id, SaleState.UNDER_OFFER, now=now, actor_id=None)
    assert matching.matches_for_need(buyer, need.id, now=now) == []


def test_only_the_enterprise_sees_its_need_matches(clock) -> None:
    buyer = factories.enterprise(clock())
    colleague = factories.seller(clock())  # another organisation
    need = factories.need(buyer, clock())
    with pytest.raises(PermissionDenied):
        matching.matches_for_need(colleague, need.id, now=clock())
    with pytest.raises(PermissionDenied):
        matching.matches_for_need(None, need.id, now=clock())
    with pytest.raises(NotFound):
        matching.matches_for_need(buyer, 999_999, now=clock())


def test_a_listing_is_matched_with_enterprises_from_their_needs_and_their_negotiations(
    clock, upload_folder: Path
) -> None:
    now = clock()
    university = factories.seller(now)
    listing = _published(university, now, upload_folder,
                         title_zh="一种高镍三元正极材料的包覆改性方法", ipc_classes=("H01M 4/525",))  # fmt: skip
    other = _published(university, now, upload_folder, title_zh="一种锂电池正极浆料",
                       ipc_classes=("H01M 4/62",))  # fmt: skip
    needy = factories.enterprise(now, name="示范电池有限公司")
    need = factories.need(needy, now)
    negotiator = factories.enterprise(now, name="示范材料有限公司")
    negotiations.open_negotiation(
        negotiator, other.id, amount_minor=40_000_000, message="有意向", now=now
    )
    farmer = factories.enterprise(now, name="示范牧业有限公司")
    factories.need(farmer, now, title="寻求奶牛养殖环境监测系统", field="agriculture",
                   ipc_classes=("A01K 29/00",), problem="牧场需要实时监测牛舍温湿度和氨气浓度。")  # fmt: skip

    found = matching.matches_for_listing(university, listing.id, now=now)
    by_org = {m.organisation.id: m for m in found}
    assert found[0].organisation.id == needy.organisation_id
    assert [n.id for n in found[0].needs] == [need.id]
    assert "IPC H01M shared" in _texts(found[0])
    assert "Negotiated for similar technology" in _texts(by_org[negotiator.organisation_id])
    assert farmer.organisation_id not in by_org or (
        by_org[farmer.organisation_id].score < found[0].score / 2
    )
    assert university.organisation_id not in by_org


def test_only_the_listing_organisation_sees_its_matches(clock, upload_folder: Path) -> None:
    university = factories.seller(clock())
    listing = _published(university, clock(), upload_folder)
    with pytest.raises(PermissionDenied):
        matching.matches_for_listing(factories.enterprise(clock()), listing.id, now=clock())
    with pytest.raises(NotFound):
        matching.matches_for_listing(university, 999_999, now=clock())


def test_matches_of_a_draft_listing_look_like_it_does_not_exist_to_others(
    clock, upload_folder: Path
) -> None:
    university = factories.seller(clock())
    draft = factories.listing(university, clock(), folder=upload_folder)
    with pytest.raises(NotFound):
        matching.matches_for_listing(factories.enterprise(clock()), draft.id, now=clock())
    assert isinstance(matching.matches_for_listing(university, draft.id, now=clock()), list)


def test_matches_of_a_closed_need_look_like_it_does_not_exist_to_others(clock) -> None:
    buyer = factories.enterprise(clock())
    need = factories.need(buyer, clock())
    needs.close_need(buyer, need.id, now=clock(), reason="已找到方案")
    with pytest.raises(NotFound):
        matching.matches_for_need(factories.enterprise(clock()), need.id, now=clock())
    assert matching.matches_for_need(buyer, need.id, now=clock()) is not None


def test_expired_and_closed_needs_are_not_suggested(clock, upload_folder: Path) -> None:
    from datetime import date

    from listings import needs

    now = clock()
    university = factories.seller(now)
    listing = _published(university, now, upload_folder, title_zh="一种高镍正极材料的包覆方法")
    buyer = factories.enterprise(now)
    soon = factories.need(buyer, now, deadline=date(2026, 3, 10))
    other = factories.enterprise(now)
    closed = factories.need(other, now)
    needs.close_need(other, closed.id, now=now)
    assert [
        m.organisation.id for m in matching.matches_for_listing(university, listing.id, now=now)
    ] == [buyer.organisation_id]
    later = clock.advance(days=30)
    assert [
        n.id
        for m in matching.matches_for_listing(university, listing.id, now=later)
        for n in m.needs
    ] == []
    assert soon.id
